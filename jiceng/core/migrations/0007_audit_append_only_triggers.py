"""On PostgreSQL, the database itself refuses to change or remove audit rows.

UPDATE and DELETE of ``core_auditevent`` raise, whoever asks, with one exception: the
archive command (``manage.py audit_archive``) sets ``jiceng.audit_archive = 'on'`` for its
transaction and may then delete rows that are older than 180 days *and* already lie in a
recorded archive segment. Checkpoints and archive segments can never be changed or removed.
TRUNCATE is not guarded here (Django's test flush uses it); revoke it from the application's
role (docs/operations.md) — the checkpoints catch it either way.
"""

from django.db import migrations

GUARD_EVENTS = """
CREATE OR REPLACE FUNCTION jiceng_audit_event_guard() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'DELETE'
       AND current_setting('jiceng.audit_archive', true) = 'on'
       AND OLD.at < now() - interval '180 days'
       AND EXISTS (SELECT 1 FROM core_auditarchivesegment s
                   WHERE OLD.id BETWEEN s.first_id AND s.last_id) THEN
        RETURN OLD;
    END IF;
    RAISE EXCEPTION '审计日志只能追加：拒绝 % 第 % 条记录', TG_OP, OLD.id
        USING ERRCODE = 'insufficient_privilege';
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER core_auditevent_append_only
    BEFORE UPDATE OR DELETE ON core_auditevent
    FOR EACH ROW EXECUTE FUNCTION jiceng_audit_event_guard();
"""

GUARD_STORE = """
CREATE OR REPLACE FUNCTION jiceng_audit_store_guard() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION '审计检查点与归档记录只能追加：拒绝 % %', TG_OP, TG_TABLE_NAME
        USING ERRCODE = 'insufficient_privilege';
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER core_auditcheckpoint_append_only
    BEFORE UPDATE OR DELETE ON core_auditcheckpoint
    FOR EACH ROW EXECUTE FUNCTION jiceng_audit_store_guard();
CREATE TRIGGER core_auditarchivesegment_append_only
    BEFORE UPDATE OR DELETE ON core_auditarchivesegment
    FOR EACH ROW EXECUTE FUNCTION jiceng_audit_store_guard();
"""

DROP = """
DROP TRIGGER IF EXISTS core_auditarchivesegment_append_only ON core_auditarchivesegment;
DROP TRIGGER IF EXISTS core_auditcheckpoint_append_only ON core_auditcheckpoint;
DROP TRIGGER IF EXISTS core_auditevent_append_only ON core_auditevent;
DROP FUNCTION IF EXISTS jiceng_audit_store_guard();
DROP FUNCTION IF EXISTS jiceng_audit_event_guard();
"""


def install(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(GUARD_EVENTS, params=None)
        schema_editor.execute(GUARD_STORE, params=None)


def remove(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP, params=None)


class Migration(migrations.Migration):
    dependencies = [("core", "0006_audit_checkpoints_archive_and_task_heartbeat")]

    operations = [migrations.RunPython(install, remove)]
