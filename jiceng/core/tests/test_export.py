"""Lists leave as spreadsheets: scope, filters, masking, audit, escaping, background jobs."""

from datetime import timedelta
from io import BytesIO
from urllib.parse import quote

import openpyxl
import pytest
from django.urls import reverse
from django.utils import timezone

from jiceng.core.excel import escape_cell, xlsx_response
from jiceng.core.exports import export_jobs_expire, export_root
from jiceng.core.models import AuditEvent, ExportJob, ExportStatus, Person
from jiceng.core.roles import Role
from jiceng.core.tests.factories import PersonFactory


def _sheet(response) -> list[tuple]:
    wb = openpyxl.load_workbook(BytesIO(response.content))
    return list(wb.worksheets[0].values)


def _export(client, key, query=""):
    url = reverse("core:list_export", args=[key]) + (f"?{query}" if query else "")
    return client.post(url)


@pytest.fixture
def exports_dir(tmp_path, settings):
    settings.JICENG_EXPORT_ROOT = tmp_path / "exports"
    return settings.JICENG_EXPORT_ROOT


@pytest.mark.parametrize(
    "text, stored",
    [
        ("=1+1", "'=1+1"),
        ('=HYPERLINK("http://x")', '\'=HYPERLINK("http://x")'),
        ("+86", "'+86"),
        ("-2", "'-2"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\t=1", "'\t=1"),
        ("\r=1", "'\r=1"),
        ("张三", "张三"),
    ],
)
def test_formula_like_text_is_escaped(text, stored):
    assert escape_cell(text) == stored


def test_xlsx_response_names_the_file_in_chinese_and_escapes_every_string():
    response = xlsx_response(
        filename="人员名单.xlsx", headers=["姓名", "数"], rows=[["=cmd|' /C calc'!A0", -3]]
    )
    assert response["Content-Disposition"].endswith(f"filename*=UTF-8''{quote('人员名单.xlsx')}")
    assert 'filename="export.xlsx"' in response["Content-Disposition"]
    assert _sheet(response) == [("姓名", "数"), ("'=cmd|' /C calc'!A0", -3)]


def test_community_users_export_has_only_their_scope_and_masked_numbers(client, world):
    PersonFactory(name="孙号码", area=world.grid_a1, phone="13812345678")
    client.force_login(world.users[Role.COMMUNITY_STAFF])
    response = _export(client, "core.people")
    assert response.status_code == 200
    rows = _sheet(response)
    names = {r[0] for r in rows[1:]}
    assert {"王睦和", "李网格", "孙号码"} <= names
    assert not names & {"赵春元", "钱村民"}
    phone = next(r[3] for r in rows if r[0] == "孙号码")
    assert phone == "138****5678"
    assert all("13812345678" not in str(cell) for row in rows for cell in row)


def test_export_applies_the_pages_filters(client, world):
    client.force_login(world.users[Role.DISTRICT_ADMIN])
    rows = _sheet(_export(client, "core.people", f"area={world.street_b.code}"))
    assert {r[0] for r in rows[1:]} == {"赵春元", "钱村民"}
    rows = _sheet(_export(client, "core.people", "q=王睦"))
    assert [r[0] for r in rows[1:]] == ["王睦和"]


def test_a_filter_outside_the_scope_is_refused_and_not_audited(client, world):
    client.force_login(world.users[Role.COMMUNITY_STAFF])
    response = _export(client, "core.people", f"area={world.community_b1.code}")
    assert response.status_code == 400
    assert "管辖范围" in response.content.decode()
    assert not AuditEvent.objects.filter(action="core.export").exists()


def test_export_is_audited_with_its_row_count(client, world):
    client.force_login(world.users[Role.STREET_STAFF])
    rows = _sheet(_export(client, "core.people"))
    event = AuditEvent.objects.get(action="core.export")
    assert event.actor == world.users[Role.STREET_STAFF]
    assert event.changes["rows"] == [None, len(rows) - 1]
    assert event.changes["list"] == [None, "core.people"]


def test_exported_names_are_escaped(client, world):
    Person.objects.filter(pk=world.people_a[0].pk).update(name="=1+1")
    client.force_login(world.users[Role.COMMUNITY_STAFF])
    rows = _sheet(_export(client, "core.people"))
    assert "'=1+1" in {r[0] for r in rows}


@pytest.mark.parametrize(
    "role, key",
    [
        (Role.AUDITOR, "core.people"),
        (Role.SECURITY_ADMIN, "core.areas"),
        (Role.DISTRICT_ADMIN, "core.accounts"),
        (Role.COMMUNITY_STAFF, "core.audit"),
    ],
)
def test_a_role_that_may_not_see_the_list_may_not_export_it(client, world, role, key):
    client.force_login(world.users[role])
    response = _export(client, key)
    assert response.status_code == 403
    assert not AuditEvent.objects.filter(action="core.export").exists()


def test_unknown_export_is_404_and_get_is_not_allowed(client, world):
    client.force_login(world.users[Role.DISTRICT_ADMIN])
    assert _export(client, "core.nothing").status_code == 404
    assert client.get(reverse("core:list_export", args=["core.people"])).status_code == 405


def test_export_query_count_does_not_grow_with_rows(client, world, django_assert_max_num_queries):
    for i in range(60):
        PersonFactory(name=f"人员{i}", area=world.grid_a1)
    client.force_login(world.users[Role.DISTRICT_ADMIN])
    with django_assert_max_num_queries(13):  # constant: session, user, scope, count, rows, audit
        response = _export(client, "core.people")
    assert len(_sheet(response)) > 60


def test_areas_export_stays_in_scope(client, world):
    client.force_login(world.users[Role.COMMUNITY_STAFF])
    codes = {r[0] for r in _sheet(_export(client, "core.areas"))[1:]}
    assert world.grid_a1.code in codes
    assert world.community_b1.code not in codes


# ---- background exports -----------------------------------------------------------------


def test_large_export_runs_in_background_and_only_its_requester_downloads_it(
    client, world, settings, exports_dir, django_capture_on_commit_callbacks
):
    settings.JICENG_EXPORT_ASYNC_ROWS = 1
    user = world.users[Role.STREET_STAFF]
    client.force_login(user)
    with django_capture_on_commit_callbacks(execute=True):
        response = _export(client, "core.people")
    assert response.status_code == 302 and response.url == reverse("core:export_jobs")
    job = ExportJob.objects.get()
    assert job.requester == user and job.status == ExportStatus.DONE
    assert job.progress_rows == job.total_rows >= 2
    page = client.get(reverse("core:export_jobs")).content.decode()
    assert "人员名单" in page and reverse("core:export_job_download", args=[job.pk]) in page
    download = client.get(reverse("core:export_job_download", args=[job.pk]))
    assert download.status_code == 200
    rows = list(openpyxl.load_workbook(BytesIO(b"".join(download.streaming_content))).active.values)
    assert len(rows) - 1 == job.total_rows
    assert AuditEvent.objects.filter(action="core.export", object_id=str(job.pk)).exists()
    # Nobody else gets the file, not even the district administrator.
    client.force_login(world.users[Role.DISTRICT_ADMIN])
    assert client.get(reverse("core:export_job_download", args=[job.pk])).status_code == 404
    assert client.get(reverse("core:export_job_progress", args=[job.pk])).status_code == 404


def test_pending_job_row_polls_its_progress(client, world):
    user = world.users[Role.STREET_STAFF]
    job = ExportJob.objects.create(
        requester=user,
        key="core.people",
        title="人员名单",
        total_rows=10_000,
        progress_rows=2_500,
        status=ExportStatus.RUNNING,
    )
    client.force_login(user)
    row = client.get(reverse("core:export_job_progress", args=[job.pk]), HTTP_HX_REQUEST="true")
    body = row.content.decode()
    assert 'hx-trigger="every 2s"' in body and "25%" in body and "2500 / 10000" in body


def test_expired_files_are_deleted_after_a_day(world, exports_dir):
    exports_dir.mkdir(parents=True)
    (exports_dir / "old.xlsx").write_bytes(b"x")
    (exports_dir / "new.xlsx").write_bytes(b"x")
    user = world.users[Role.STREET_STAFF]
    now = timezone.now()
    old = ExportJob.objects.create(
        requester=user,
        key="core.people",
        title="a",
        status=ExportStatus.DONE,
        file="old.xlsx",
        finished_at=now - timedelta(days=1, minutes=1),
    )
    new = ExportJob.objects.create(
        requester=user,
        key="core.people",
        title="b",
        status=ExportStatus.DONE,
        file="new.xlsx",
        finished_at=now - timedelta(hours=23),
    )
    assert export_jobs_expire(now=now) == 1
    assert export_jobs_expire(now=now) == 0
    old.refresh_from_db()
    new.refresh_from_db()
    assert old.status == ExportStatus.EXPIRED and not (exports_dir / "old.xlsx").exists()
    assert new.status == ExportStatus.DONE and (export_root() / "new.xlsx").exists()


def test_file_expiry_runs_every_hour():
    from jiceng.core.periodic import periodic_jobs

    job = next(j for j in periodic_jobs() if j.name == "core.expire_exports")
    assert job.every_seconds == 3600


def test_a_job_whose_worker_died_is_failed_after_a_day(world):
    user = world.users[Role.STREET_STAFF]
    job = ExportJob.objects.create(requester=user, key="core.people", title="人员名单")
    ExportJob.objects.filter(pk=job.pk).update(created_at=timezone.now() - timedelta(days=2))
    export_jobs_expire()
    job.refresh_from_db()
    assert job.status == ExportStatus.FAILED and "重新导出" in job.error


def test_background_export_reads_in_slices_and_writes_every_row_once(
    client, world, settings, exports_dir, monkeypatch, django_capture_on_commit_callbacks
):
    from jiceng.core import exports

    monkeypatch.setattr(exports, "ITERATOR_CHUNK", 7)
    monkeypatch.setattr(exports, "PROGRESS_EVERY", 5)
    settings.JICENG_EXPORT_ASYNC_ROWS = 3
    for i in range(20):
        PersonFactory(name=f"切片{i:02d}", area=world.grid_a1)
    client.force_login(world.users[Role.STREET_STAFF])
    with django_capture_on_commit_callbacks(execute=True):
        _export(client, "core.people")
    job = ExportJob.objects.get()
    rows = list(openpyxl.load_workbook(exports_dir / job.file).active.values)[1:]
    names = [r[0] for r in rows]
    assert len(names) == len(set(names)) == job.total_rows == 22
    assert {f"切片{i:02d}" for i in range(20)} <= set(names)
