"""Rosters arrive from spreadsheets: all or nothing, errors row by row, files read safely."""

import zipfile
from datetime import date
from io import BytesIO

import openpyxl
import openpyxl.xml
import pytest
from defusedxml import EntitiesForbidden
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from jiceng.appeals.models import DutyRoster
from jiceng.core.models import Area, AreaKind, AuditEvent, ExportJob, Person, Post, PostTitle
from jiceng.core.roles import Role

from .factories import PersonFactory, valid_id_number

PEOPLE_HEADER = ["姓名*", "性别", "出生日期", "手机号", "身份证号", "学历", "政治面貌",
                 "入党日期", "所属区域编码*", "职务", "任职区域编码", "任职日期"]  # fmt: skip


def _xlsx(rows, header=PEOPLE_HEADER, *, edit=None) -> bytes:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(header)
    for row in rows:
        ws.append(row)
    if edit:
        edit(ws)
    buffer = BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def _upload(content: bytes, name="名单.xlsx"):
    return SimpleUploadedFile(name, content, content_type="application/octet-stream")


def _post(client, key, content, name="名单.xlsx"):
    return client.post(reverse("core:import", args=[key]), {"file": _upload(content, name)})


def _person_row(i, area_code, **over):
    row = {
        "name": f"导入{i}",
        "sex": "女",
        "birth": None,
        "phone": f"139{i:08d}",
        "id": "",
        "education": "本科",
        "political": "群众",
        "joined": None,
        "area": area_code,
        "title": "",
        "post_area": "",
        "starts": None,
    }
    row.update(over)
    return list(row.values())


@pytest.fixture
def exports_dir(tmp_path, settings):
    settings.JICENG_EXPORT_ROOT = tmp_path / "exports"
    return settings.JICENG_EXPORT_ROOT


def _counts():
    return Person.objects.count(), Post.objects.count(), Area.objects.count()


# ---- the acceptance case ------------------------------------------------------------------


def test_three_bad_rows_among_200_import_nothing_and_come_back_with_reasons(
    client, world, exports_dir
):
    code = world.community_a1.code
    rows = [_person_row(i, code) for i in range(200)]
    rows[16] = _person_row(16, code, phone="12345")  # line 18
    rows[99] = _person_row(99, world.community_b1.code)  # line 101: out of scope
    rows[178] = _person_row(178, code, birth="2024-02-30")  # line 180: no such date
    client.force_login(world.users[Role.COMMUNITY_STAFF])
    before = _counts()
    response = _post(client, "core.people", _xlsx(rows))
    assert response.status_code == 400
    assert _counts() == before
    report = response.context["report"]
    assert report.rows == 200
    assert [(f.line, f.values[0]) for f in report.failures] == [
        (18, "导入16"),
        (101, "导入99"),
        (180, "导入178"),
    ]
    reasons = [f.reason for f in report.failures]
    assert "手机号" in reasons[0]
    assert "不在您的管辖范围内" in reasons[1]
    assert "出生日期" in reasons[2] and "不是有效日期" in reasons[2]
    page = response.content.decode()
    assert page.count('<td class="text-danger small">') == 3
    # The page masks numbers as every page does; the error file keeps them for correcting.
    assert report.failures[1].values[3] == "139****0099" and "13900000099" not in page
    # The error file: every input row, with the reason beside each bad one.
    download = client.get(reverse("core:export_job_download", args=[report.error_job.pk]))
    assert download.status_code == 200
    sheet = list(
        openpyxl.load_workbook(BytesIO(b"".join(download.streaming_content))).active.values
    )
    assert sheet[0][-1] == "错误原因" and len(sheet) == 201
    flagged = [r[0] for r in sheet[1:] if r[-1]]
    assert flagged == ["导入16", "导入99", "导入178"]
    assert sheet[100][3] == "13900000099"
    assert not AuditEvent.objects.filter(action__in=["core.import", "person.create"]).exists()


def test_a_clean_file_imports_every_row_with_posts_and_one_summary_audit(client, world):
    code = world.grid_a1.code
    rows = [_person_row(i, code) for i in range(5)]
    rows[0] = _person_row(
        0, code, id=valid_id_number(77), political="中共党员", joined="2010-07-01",
        title="网格管家", starts=date(2024, 3, 1),
    )  # fmt: skip
    client.force_login(world.users[Role.COMMUNITY_STAFF])
    response = _post(client, "core.people", _xlsx(rows))
    assert response.status_code == 200, response.context.get("file_error")
    assert response.context["report"].written == 5
    person = Person.objects.get(name="导入0")
    assert person.area == world.grid_a1 and person.party_joined_on == date(2010, 7, 1)
    assert person.id_number == valid_id_number(77)
    post = Post.objects.get(person=person)
    assert (post.title, post.area, post.starts_on) == (
        PostTitle.GRID_STEWARD,
        world.grid_a1,
        date(2024, 3, 1),
    )
    event = AuditEvent.objects.get(action="core.import")
    assert event.changes["rows"] == [None, 5]
    assert AuditEvent.objects.filter(action="person.create").count() == 5


def test_an_id_number_already_registered_or_repeated_is_an_error(client, world):
    PersonFactory(area=world.community_a1, with_id=valid_id_number(5))
    code = world.community_a1.code
    rows = [
        _person_row(1, code, id=valid_id_number(5)),
        _person_row(2, code, id=valid_id_number(6)),
        _person_row(3, code, id=valid_id_number(6)),
    ]
    client.force_login(world.users[Role.STREET_STAFF])
    report = _post(client, "core.people", _xlsx(rows)).context["report"]
    assert [(f.line, f.reason) for f in report.failures] == [
        (2, "该身份证号已登记（请在人员页面修改该人员）"),
        (4, "身份证号与第 3 行重复"),
    ]


# ---- safe reading ------------------------------------------------------------------------


def test_openpyxl_parses_with_defusedxml():
    assert openpyxl.xml.DEFUSEDXML is True


def _with_part(content: bytes, part: str, data: bytes) -> bytes:
    source = zipfile.ZipFile(BytesIO(content))
    out = BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            target.writestr(item, data if item.filename == part else source.read(item.filename))
    return out.getvalue()


def test_an_entity_expansion_in_the_workbook_is_refused(client, world):
    laughs = (
        b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
        b'<!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">]>'
        b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        b'<sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>&lol2;</t></is></c></row>'
        b"</sheetData></worksheet>"
    )
    content = _with_part(_xlsx([]), "xl/worksheets/sheet1.xml", laughs)
    with pytest.raises(ValueError) as refused:
        openpyxl.load_workbook(BytesIO(content))
    assert isinstance(refused.value.__context__, EntitiesForbidden)  # defusedxml said no
    client.force_login(world.users[Role.COMMUNITY_STAFF])
    before = _counts()
    response = _post(client, "core.people", content)
    assert response.status_code == 400
    assert "无法读取该文件" in response.context["file_error"]
    assert _counts() == before


def _zip_bomb(unpacked: int) -> bytes:
    out = BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        with archive.open("xl/worksheets/sheet1.xml", "w") as part:
            chunk = b"\0" * 2**20
            for _ in range(unpacked // 2**20):
                part.write(chunk)
    return out.getvalue()


def test_a_zip_bomb_is_refused_before_unpacking(client, world):
    content = _zip_bomb(64 * 2**20)
    assert len(content) < 2**20  # 64 MB that fit in under one
    client.force_login(world.users[Role.COMMUNITY_STAFF])
    response = _post(client, "core.people", content)
    assert response.status_code == 400
    assert "压缩炸弹" in response.context["file_error"]
    assert "拒绝读取" in response.content.decode()


def test_a_part_with_an_absurd_compression_ratio_is_refused(client, world):
    client.force_login(world.users[Role.COMMUNITY_STAFF])
    response = _post(client, "core.people", _zip_bomb(4 * 2**20))
    assert "压缩比异常" in response.context["file_error"]


def test_a_formula_cell_is_refused_and_never_evaluated(client, world):
    def formula(ws):
        ws["A2"] = "=1+1"  # openpyxl stores it as a formula

    content = _xlsx([_person_row(1, world.community_a1.code)], edit=formula)
    client.force_login(world.users[Role.COMMUNITY_STAFF])
    before = _counts()
    report = _post(client, "core.people", content).context["report"]
    assert _counts() == before
    assert "公式" in report.failures[0].reason and "=1+1" in report.failures[0].reason
    assert not Person.objects.filter(name="2").exists()


def test_formula_like_text_is_imported_as_text_and_escaped_on_export(client, world):
    def text(ws):
        ws["A2"].value = "=1+1"
        ws["A2"].data_type = "s"  # typed as text in Excel ('=1+1)

    content = _xlsx([_person_row(1, world.community_a1.code)], edit=text)
    client.force_login(world.users[Role.COMMUNITY_STAFF])
    assert _post(client, "core.people", content).status_code == 200
    assert Person.objects.filter(name="=1+1").exists()
    export = client.post(reverse("core:list_export", args=["core.people"]))
    names = [r[0] for r in openpyxl.load_workbook(BytesIO(export.content)).active.values]
    assert "'=1+1" in names and "=1+1" not in names


def test_merged_cells_are_refused(client, world):
    def merge(ws):
        ws.merge_cells("A2:B2")

    content = _xlsx([_person_row(1, world.community_a1.code)], edit=merge)
    client.force_login(world.users[Role.COMMUNITY_STAFF])
    response = _post(client, "core.people", content)
    assert "合并单元格（A2:B2）" in response.context["file_error"]


def test_too_many_rows_are_refused(client, world, settings):
    settings.JICENG_IMPORT_MAX_ROWS = 5
    rows = [_person_row(i, world.community_a1.code) for i in range(6)]
    client.force_login(world.users[Role.COMMUNITY_STAFF])
    response = _post(client, "core.people", _xlsx(rows))
    assert "超过 5 行" in response.context["file_error"]
    assert not Person.objects.filter(name__startswith="导入").exists()


def test_blank_rows_are_skipped_and_lines_keep_their_numbers(client, world):
    code = world.community_a1.code
    rows = [_person_row(1, code), [None] * 12, ["  "] * 12, _person_row(2, "999")]
    client.force_login(world.users[Role.COMMUNITY_STAFF])
    report = _post(client, "core.people", _xlsx(rows)).context["report"]
    assert report.rows == 2
    assert [f.line for f in report.failures] == [5]


@pytest.mark.parametrize(
    "content, message",
    [
        (b"\xd0\xcf\x11\xe0" + b"\0" * 100, "旧版 Excel"),
        ("姓名,区域\n张三,1".encode(), "请上传 Excel（.xlsx）文件"),
        (b"PK\x03\x04 broken", "不是有效的 Excel"),
    ],
)
def test_files_that_are_not_xlsx_are_refused(client, world, content, message):
    client.force_login(world.users[Role.COMMUNITY_STAFF])
    response = _post(client, "core.people", content)
    assert response.status_code == 400 and message in response.context["file_error"]


def test_a_missing_required_column_is_named(client, world):
    client.force_login(world.users[Role.COMMUNITY_STAFF])
    response = _post(client, "core.people", _xlsx([["张三"]], header=["姓名"]))
    assert "缺少必填列：所属区域编码" in response.context["file_error"]


def test_wrong_types_are_reported_per_cell(client, world):
    rows = [
        _person_row(1, world.community_a1.code, sex="男性", joined="去年", political="中共党员")
    ]
    client.force_login(world.users[Role.COMMUNITY_STAFF])
    reason = _post(client, "core.people", _xlsx(rows)).context["report"].failures[0].reason
    assert "性别“男性”无效" in reason and "入党日期“去年”不是有效日期" in reason


def test_roles_without_the_right_cannot_import(client, world):
    rows = [_person_row(1, world.community_a1.code)]
    for role in (Role.AUDITOR, Role.GRID_STEWARD):
        client.force_login(world.users[role])
        assert _post(client, "core.people", _xlsx(rows)).status_code == 403
    assert not Person.objects.filter(name="导入1").exists()


# ---- templates ---------------------------------------------------------------------------


@pytest.mark.parametrize("key", ["core.people", "core.areas", "appeals.duty_roster"])
def test_templates_have_chinese_headers_hints_and_an_example(client, world, key):
    client.force_login(world.users[Role.STREET_STAFF])
    response = client.get(reverse("core:import_template", args=[key]))
    assert response.status_code == 200
    assert "filename*=UTF-8''" in response["Content-Disposition"]
    wb = openpyxl.load_workbook(BytesIO(response.content))
    data, guide = wb.worksheets
    headers = [c.value for c in data[1]]
    assert all(h and any("\u4e00" <= ch <= "\u9fff" for ch in h) for h in headers)
    assert all(c.comment is not None for c in data[1])
    assert guide.title == "填写说明"
    examples = [r[3] for r in guide.iter_rows(min_row=4, values_only=True) if r[0]]
    assert any(examples)


def test_the_people_template_lists_the_choices(client, world):
    client.force_login(world.users[Role.STREET_STAFF])
    response = client.get(reverse("core:import_template", args=["core.people"]))
    data = openpyxl.load_workbook(BytesIO(response.content)).worksheets[0]
    formulas = [dv.formula1 for dv in data.data_validations.dataValidation]
    assert '"男,女"' in formulas and any("中共党员" in (f or "") for f in formulas)


def test_a_filled_template_imports(client, world):
    client.force_login(world.users[Role.COMMUNITY_STAFF])
    template = client.get(reverse("core:import_template", args=["core.people"])).content
    wb = openpyxl.load_workbook(BytesIO(template))
    wb.worksheets[0].append(["孙模板", "男", None, "13700000000", None, None, None, None,
                             world.community_a1.code])  # fmt: skip
    buffer = BytesIO()
    wb.save(buffer)
    assert _post(client, "core.people", buffer.getvalue()).status_code == 200
    assert Person.objects.get(name="孙模板").phone == "13700000000"


# ---- areas and duty rosters ----------------------------------------------------------------

AREA_HEADER = ["编码", "名称", "类型", "上级编码", "户数"]


def test_grids_compounds_and_buildings_import_in_scope_only(client, world):
    a1 = world.community_a1.code
    rows = [
        [f"{a1}009", "第九网格", "网格", a1, 400],
        [f"{a1}009001", "新小区", "小区", f"{a1}009", None],
        [f"{a1}009001001", "1号楼", "楼栋", f"{a1}009001", "36"],
    ]
    client.force_login(world.users[Role.COMMUNITY_STAFF])
    response = _post(client, "core.areas", _xlsx(rows, header=AREA_HEADER))
    assert response.status_code == 200, response.context["report"].failures
    assert Area.objects.get(code=f"{a1}009001001").kind == AreaKind.BUILDING
    assert Area.objects.get(code=f"{a1}009").households == 400


def test_an_area_row_outside_the_scope_fails_and_nothing_is_written(client, world):
    a1, b1 = world.community_a1.code, world.community_b1.code
    rows = [[f"{a1}009", "第九网格", "网格", a1, None], [f"{b1}009", "越界网格", "网格", b1, None]]
    client.force_login(world.users[Role.COMMUNITY_STAFF])
    report = _post(client, "core.areas", _xlsx(rows, header=AREA_HEADER)).context["report"]
    assert [f.line for f in report.failures] == [3]
    assert "无权" in report.failures[0].reason
    assert not Area.objects.filter(code__in=[f"{a1}009", f"{b1}009"]).exists()


def test_areas_of_other_kinds_are_not_taken(client, world):
    rows = [["370103002099", "新社区", "社区", "370103002", None]]
    client.force_login(world.users[Role.DISTRICT_ADMIN])
    report = _post(client, "core.areas", _xlsx(rows, header=AREA_HEADER)).context["report"]
    assert "类型“社区”无效" in report.failures[0].reason


ROSTER_HEADER = ["网格编码", "值班网格管家", "管家手机号", "备岗人员", "备岗手机号", "起始日期",
                 "截止日期"]  # fmt: skip


def test_a_duty_roster_imports_and_a_second_import_updates(client, world):
    steward, backup = world.people_a[1], world.people_a[0]
    grid = world.grid_a1.code
    rows = [[grid, steward.name, None, backup.name, None, date(2024, 3, 1), None]]
    client.force_login(world.users[Role.COMMUNITY_STAFF])
    response = _post(client, "appeals.duty_roster", _xlsx(rows, header=ROSTER_HEADER))
    assert response.status_code == 200, response.context["report"].failures
    roster = DutyRoster.objects.get()
    assert (roster.grid, roster.steward, roster.backup) == (world.grid_a1, steward, backup)
    rows[0][6] = "2024-12-31"
    _post(client, "appeals.duty_roster", _xlsx(rows, header=ROSTER_HEADER))
    roster = DutyRoster.objects.get()
    assert roster.ends_on == date(2024, 12, 31)
    assert AuditEvent.objects.filter(action="appeals.roster_update").count() == 1
    assert AuditEvent.objects.filter(action="appeals.import").count() == 2


def test_a_roster_row_outside_the_scope_is_an_error(client, world):
    rows = [
        [world.grid_b1.code, world.people_a[1].name, None, None, None, "2024-03-01", None],
        [world.grid_a1.code, world.people_b[0].name, None, None, None, "2024-03-01", None],
        [world.grid_a1.code, world.people_a[1].name, None, None, None, "2024-03-09", "2024-03-01"],
    ]
    client.force_login(world.users[Role.COMMUNITY_STAFF])
    response = _post(client, "appeals.duty_roster", _xlsx(rows, header=ROSTER_HEADER))
    reasons = [f.reason for f in response.context["report"].failures]
    assert "不在您的管辖范围内" in reasons[0]
    assert "不是您管辖范围内登记的人员" in reasons[1]
    assert "截止日期不能早于起始日期" in reasons[2]
    assert not DutyRoster.objects.exists()


def test_the_import_home_lists_what_the_user_may_import(client, world):
    client.force_login(world.users[Role.COMMUNITY_STAFF])
    page = client.get(reverse("core:import_home")).content.decode()
    assert "人员与职务" in page and "网格管家值班安排" in page
    client.force_login(world.users[Role.GRID_STEWARD])
    assert client.get(reverse("core:import_home")).status_code == 403


def test_the_error_file_is_its_requesters_only(client, world, exports_dir):
    rows = [_person_row(1, "999")]
    client.force_login(world.users[Role.COMMUNITY_STAFF])
    job = _post(client, "core.people", _xlsx(rows)).context["report"].error_job
    assert ExportJob.objects.filter(pk=job.pk).exists()
    client.force_login(world.users[Role.STREET_STAFF])
    assert client.get(reverse("core:export_job_download", args=[job.pk])).status_code == 404


def test_upload_without_file_is_a_chinese_error(client, world):
    client.force_login(world.users[Role.COMMUNITY_STAFF])
    response = client.post(reverse("core:import", args=["core.people"]))
    assert response.status_code == 400 and "请选择" in response.context["file_error"]
