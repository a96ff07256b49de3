from django.core.management.base import BaseCommand, CommandError

from jiceng.core.audit import audit_verify
from jiceng.core.models import AuditEvent


class Command(BaseCommand):
    help = "校验审计日志的哈希链，指出第一条被篡改或删除的记录。"

    def handle(self, *args, **options):
        broken = audit_verify()
        if broken is not None:
            raise CommandError(f"审计日志校验失败：第 {broken.row_id} 条记录，{broken.reason}")
        count = AuditEvent.objects.count()
        self.stdout.write(self.style.SUCCESS(f"审计日志完整：共 {count} 条记录，哈希链无断裂。"))
