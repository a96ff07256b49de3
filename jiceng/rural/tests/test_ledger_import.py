"""The collective income ledger's Excel import: all or nothing, every bad row reported with
its line, within the user's scope; the template and the export round-trip."""

import io
import zipfile
from decimal import Decimal

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from jiceng.core.errors import PermissionDenied, ValidationFailed
from jiceng.core.models import AuditEvent
from jiceng.core.roles import Role

from ..excel import HEADERS
from ..models import CollectiveIncome, IncomeModel
from ..services import import_ledger_upload
from ..services.ledger_import import MAX_UPLOAD_BYTES
from .factories import IncomeFactory

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def xlsx(rows, header=HEADERS) -> bytes:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(list(header))
    for row in rows:
        sheet.append(list(row))
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def upload(data: bytes, name="台账.xlsx"):
    return SimpleUploadedFile(name, data, content_type=XLSX)


def good_rows(rural):
    a, a2 = rural.village_a, rural.village_a2
    return [
        (a.code, a.name, 2023, "标准厂房租赁", "物业租赁型", 320000, ""),
        (a.code, "", "2023", "土地流转服务费", "土地运营型", "180,000.50", "含托管"),
        (a2.code, a2.name, 2023.0, "农机作业服务", "服务创收型", 99999.99, None),
    ]


def test_a_clean_file_is_imported_with_one_audit_row(rural):
    user = rural.user(Role.STREET_STAFF)
    result = import_ledger_upload(by=user, upload=upload(xlsx(good_rows(rural))))
    assert result.ok and (result.created, result.updated, result.unchanged) == (3, 0, 0)
    rows = CollectiveIncome.objects.filter(area=rural.village_a, year=2023)
    assert sum(r.amount for r in rows) == Decimal("500000.50")
    assert rows.get(source="土地流转服务费").model == IncomeModel.LAND
    event = AuditEvent.objects.get(action="rural.ledger_import")
    assert event.changes["created"] == [None, 3]


def test_importing_the_same_file_again_changes_nothing_and_a_changed_amount_updates(rural):
    user = rural.user(Role.STREET_STAFF)
    import_ledger_upload(by=user, upload=upload(xlsx(good_rows(rural))))
    again = import_ledger_upload(by=user, upload=upload(xlsx(good_rows(rural))))
    assert (again.created, again.updated, again.unchanged) == (0, 0, 3)
    rows = good_rows(rural)
    rows[0] = (*rows[0][:5], 330000, "")
    changed = import_ledger_upload(by=user, upload=upload(xlsx(rows)))
    assert (changed.created, changed.updated, changed.unchanged) == (0, 1, 2)
    line = CollectiveIncome.objects.get(area=rural.village_a, source="标准厂房租赁")
    assert line.amount == Decimal("330000")


def test_bad_rows_import_nothing_and_exactly_those_rows_are_reported(rural):
    a, b = rural.village_a, rural.village_b
    user = rural.user(Role.STREET_STAFF)
    rows = [
        (a.code, a.name, 2023, "标准厂房租赁", "物业租赁型", 320000, ""),  # line 2: fine
        (a.code, a.name, "二〇二三", "商铺租赁", "物业租赁型", 1000, ""),  # 3: year
        (a.code, a.name, 2023, "光伏发电", "光伏型", 1000, ""),  # 4: model
        (b.code, b.name, 2023, "厂房租赁", "物业租赁型", 1000, ""),  # 5: out of scope
        (a.code, a.name, 2023, "标准厂房租赁", "物业租赁型", 5000, ""),  # 6: duplicate of 2
        (a.code, a.name, 2023, "土地流转", "土地运营型", -5, ""),  # 7: negative
        (a.code, "和平村", 2023, "农机服务", "服务创收型", 1000, ""),  # 8: name mismatch
        (a.code, a.name, 2023, "劳务服务", "服务创收型", "3万", ""),  # 9: 万
        ("", "", "", "", "", "", ""),  # blank: skipped
        (a.code, a.name, 2022, "劳务服务", "服务创收型", 12.345, ""),  # 11: three decimals
        (a.code, a.name, 2022, "", "服务创收型", 1000, ""),  # 12: no source
    ]
    before = CollectiveIncome.objects.count()
    result = import_ledger_upload(by=user, upload=upload(xlsx(rows)))
    assert not result.ok
    assert [e.line for e in result.errors] == [3, 4, 5, 6, 7, 8, 9, 11, 12]
    reasons = {e.line: e.reason for e in result.errors}
    assert "年度" in reasons[3]
    assert "发展模式“光伏型”无效" in reasons[4]
    assert "不在您可编辑的范围内" in reasons[5]
    assert "与第 2 行重复" in reasons[6]
    assert "不能为负数" in reasons[7]
    assert "与编码" in reasons[8]
    assert "不要写“万”" in reasons[9]
    assert "两位小数" in reasons[11]
    assert "收入来源不能为空" in reasons[12]
    assert CollectiveIncome.objects.count() == before
    assert not AuditEvent.objects.filter(action="rural.ledger_import").exists()


def test_a_csv_in_gbk_is_read(rural):
    a = rural.village_a
    text = ",".join(HEADERS) + f"\r\n{a.code},{a.name},2023,沿街商铺租赁,物业租赁型,88000,\r\n"
    result = import_ledger_upload(
        by=rural.user(Role.STREET_STAFF), upload=upload(text.encode("gb18030"), "台账.csv")
    )
    assert result.ok and result.created == 1


@pytest.mark.parametrize(
    "data, name, message",
    [
        (b"\xd0\xcf\x11\xe0" + b"\0" * 100, "old.xlsx", "旧版 Excel"),
        (b"not a spreadsheet", "x.pdf", ".xlsx 或 .csv"),
        (b"PK\x03\x04garbage", "broken.xlsx", "不是有效的 .xlsx"),
    ],
)
def test_unreadable_files_are_refused_in_chinese(rural, data, name, message):
    with pytest.raises(ValidationFailed, match=message):
        import_ledger_upload(by=rural.user(Role.STREET_STAFF), upload=upload(data, name))


def test_a_workbook_with_a_bomb_ratio_part_is_refused_before_unpacking(rural):
    a = rural.village_a
    buffer = io.BytesIO(xlsx([(a.code, a.name, 2023, "租赁", "物业租赁型", 1000, "")]))
    with zipfile.ZipFile(buffer, "a", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/media/padding.bin", b"\0" * (4 * 2**20))
    before = CollectiveIncome.objects.count()

    with pytest.raises(ValidationFailed, match="压缩比异常"):
        import_ledger_upload(
            by=rural.user(Role.STREET_STAFF), upload=upload(buffer.getvalue(), "台账.xlsx")
        )
    assert CollectiveIncome.objects.count() == before


def test_a_file_over_the_upload_limit_is_refused(rural):
    big = upload(b"x" * (MAX_UPLOAD_BYTES + 1), "big.csv")
    with pytest.raises(ValidationFailed, match="5 MB"):
        import_ledger_upload(by=rural.user(Role.STREET_STAFF), upload=big)


def test_an_unknown_header_names_the_missing_columns(rural):
    data = xlsx([("370103002200", 2023)], header=("编码", "年份"))
    with pytest.raises(ValidationFailed, match="缺少列 收入来源、发展模式、金额"):
        import_ledger_upload(by=rural.user(Role.STREET_STAFF), upload=upload(data))


def test_xml_entities_are_refused(rural):
    """openpyxl parses through defusedxml: a workbook declaring entities is not read."""
    data = xlsx(good_rows(rural))
    source, out = io.BytesIO(data), io.BytesIO()
    bomb = (
        '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaaaaaaaa">'
        '<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]>'
    )
    with zipfile.ZipFile(source) as zin, zipfile.ZipFile(out, "w") as zout:
        for item in zin.infolist():
            content = zin.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                body = content.split(b"?>", 1)[-1]
                content = bomb.encode() + body
            zout.writestr(item, content)
    with pytest.raises(ValidationFailed):
        import_ledger_upload(by=rural.user(Role.STREET_STAFF), upload=upload(out.getvalue()))
    assert not CollectiveIncome.objects.exists()


def test_roles_without_the_right_cannot_import(rural):
    with pytest.raises(PermissionDenied):
        import_ledger_upload(by=rural.user("fs_a"), upload=upload(xlsx(good_rows(rural))))
    assert not CollectiveIncome.objects.exists()


def test_the_import_page_lists_the_errors_by_line(client, rural):
    client.force_login(rural.user(Role.STREET_STAFF))
    rows = good_rows(rural) + [(rural.village_b.code, "", 2023, "租赁", "物业租赁型", 1, "")]
    response = client.post(reverse("rural:ledger_import"), {"file": upload(xlsx(rows))})
    page = response.content.decode()
    assert response.status_code == 400
    assert 'data-line="5"' in page and "未导入任何数据" in page
    assert not CollectiveIncome.objects.exists()
    response = client.post(reverse("rural:ledger_import"), {"file": upload(xlsx(good_rows(rural)))})
    assert response.status_code == 200 and "导入完成" in response.content.decode()
    assert CollectiveIncome.objects.count() == 3


def test_the_template_has_the_chinese_headers_and_the_editable_villages(client, rural):
    client.force_login(rural.user(Role.STREET_STAFF))
    response = client.get(reverse("rural:ledger_template", args=[rural.world.street_a.code]))
    assert response["Content-Type"] == XLSX
    workbook = openpyxl.load_workbook(io.BytesIO(response.content))
    assert tuple(c.value for c in workbook["收入台账"][1]) == HEADERS
    directory = [r[1] for r in workbook["村名录"].iter_rows(min_row=2, values_only=True)]
    assert directory == ["睦邻村", "和平村", "新生村"]


def test_the_export_escapes_formulas_and_imports_back_unchanged(client, rural):
    IncomeFactory(area=rural.village_a, year=2023, source="=HYPERLINK(1)", note="+1")
    client.force_login(rural.user(Role.STREET_STAFF))
    response = client.get(
        reverse("rural:ledger_export", args=[rural.world.street_a.code]), {"year": 2023}
    )
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    cells = [c.value for c in sheet[2]]
    assert cells[3] == "'=HYPERLINK(1)" and cells[6] == "'+1"
    assert sheet.cell(row=2, column=4).data_type == "s"
    result = import_ledger_upload(by=rural.user(Role.STREET_STAFF), upload=upload(response.content))
    assert (result.created, result.updated, result.unchanged) == (0, 0, 1)
    assert AuditEvent.objects.filter(action="rural.ledger_export").count() == 1


def test_the_export_holds_only_rows_in_scope(client, rural):
    IncomeFactory(area=rural.village_a, source="甲村收入")
    IncomeFactory(area=rural.village_b, source="外村厂房租赁")
    client.force_login(rural.user("fs_a"))
    response = client.get(reverse("rural:ledger_export", args=[rural.village_a.code]))
    sources = [
        r[3]
        for r in openpyxl.load_workbook(io.BytesIO(response.content)).active.iter_rows(
            min_row=2, values_only=True
        )
    ]
    assert sources == ["甲村收入"]
    assert (
        client.get(reverse("rural:ledger_export", args=[rural.village_b.code])).status_code == 404
    )


def test_the_command_imports_a_file_and_lists_bad_rows(rural, tmp_path):
    from django.core.management import CommandError, call_command

    good = tmp_path / "good.xlsx"
    good.write_bytes(xlsx(good_rows(rural)))
    out = io.StringIO()
    call_command("import_ledger", str(good), stdout=out)
    assert "新增 3 条" in out.getvalue()
    bad = tmp_path / "bad.xlsx"
    bad.write_bytes(xlsx([(rural.village_a.code, "", 2023, "x", "无此模式", 1, "")]))
    err = io.StringIO()
    with pytest.raises(CommandError, match="1 行错误"):
        call_command("import_ledger", str(bad), stderr=err)
    assert "第 2 行" in err.getvalue()
