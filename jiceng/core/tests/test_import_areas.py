import csv
import dataclasses
import zipfile
from io import StringIO

import openpyxl
import pytest
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import CommandError

from jiceng.core.errors import ValidationFailed
from jiceng.core.imports import area_file as area_import
from jiceng.core.imports.area_file import (
    AreaRow,
    import_area_file,
    import_area_rows,
    read_area_file,
    validate_area_rows,
)
from jiceng.core.models import Area, AreaKind, AuditEvent
from jiceng.core.roles import Role
from jiceng.core.tests.factories import AreaFactory

DIVISIONS = settings.SHARED_DATA_DIR / "divisions"
STREETS_FILE = DIVISIONS / "370103_streets.csv"
VILLAGES_FILE = DIVISIONS / "370103_villages.csv"
GENERIC_HEADER = ["编码", "名称", "类型", "上级编码", "户数"]
VILLAGES_HEADER = "code,name,streetCode,streetName,areaCode,cityCode,provinceCode,kind"


@pytest.fixture
def district(db) -> Area:
    return AreaFactory(code="370103", name="市中区", kind=AreaKind.DISTRICT)


@pytest.fixture
def street(district) -> Area:
    return AreaFactory(code="370103002", name="大观园街道", kind=AreaKind.STREET, parent=district)


@pytest.fixture
def official_files():
    if not (STREETS_FILE.exists() and VILLAGES_FILE.exists()):
        pytest.skip(f"the official division files are not in {DIVISIONS}")
    return STREETS_FILE, VILLAGES_FILE


def _write_csv(path, rows, header=GENERIC_HEADER, encoding="utf-8"):
    with path.open("w", encoding=encoding, newline="") as f:
        writer = csv.writer(f)
        writer.writerow(header)
        writer.writerows(rows)
    return path


def _snapshot():
    return list(Area.objects.order_by("code").values()), AuditEvent.objects.count()


def _official_codes(path):
    with path.open(encoding="utf-8") as f:
        return {row["code"] for row in csv.DictReader(f)}


def _hundred_rows():
    """One new street, 10 communities and 89 grids: data lines 2-101 of the file."""
    rows = [["370103030", "试点街道", "街道", "370103", ""]]
    for n in range(1, 11):
        rows.append([f"370103030{n:03d}", f"试点{n}社区", "社区", "370103030", "3000"])
    for i in range(89):
        community = f"370103030{i % 10 + 1:03d}"
        rows.append([f"{community}{i // 10 + 1:03d}", f"第{i}网格", "网格", community, 300 + i])
    return rows


def _hundred_rows_three_bad():
    rows = _hundred_rows()
    rows[20 - 2][0] = "37010303000100"  # a grid code of 14 digits
    rows[50 - 2][:4] = ["370103030099001", "无主网格", "网格", "370103030099"]  # no such parent
    rows[80 - 2][:4] = ["370103030999001", "街道直属网格", "网格", "370103030"]  # grid under street
    return rows


# ---- the official files ---------------------------------------------------------------


def test_official_files_import_all_streets_communities_and_villages(district, official_files):
    streets, villages = official_files

    first = import_area_file(streets)
    second = import_area_file(villages)

    assert (first.created, second.created) == (17, 216)
    assert not first.errors and not second.errors
    assert Area.objects.of_kind(AreaKind.STREET).count() == 17
    assert Area.objects.of_kind(AreaKind.COMMUNITY).count() == 139
    assert Area.objects.of_kind(AreaKind.VILLAGE).count() == 77
    saved = set(Area.objects.exclude(pk=district.pk).values_list("code", flat=True))
    assert saved == _official_codes(streets) | _official_codes(villages)
    chunyuanli = Area.objects.select_related("parent").get(name="春元里社区")
    assert (chunyuanli.parent.code, chunyuanli.depth) == ("370103003", 2)
    assert Area.objects.filter(name__in=["党家庄东村", "乐山小区社区"]).count() == 2
    assert not Area.objects.filter(name__endswith="委员会").exists()


def test_official_import_leaves_one_audit_row_per_file(district, official_files):
    streets, _ = official_files

    import_area_file(streets)

    event = AuditEvent.objects.get(action="area.import")
    assert event.object_repr == "370103_streets.csv"
    assert event.changes == {"created": [None, 17], "updated": [None, 0]}


def test_reimporting_the_official_files_changes_nothing(district, official_files):
    streets, villages = official_files
    import_area_file(streets)
    import_area_file(villages)
    before = _snapshot()

    again = [import_area_file(streets), import_area_file(villages)]

    assert [(r.created, r.updated, r.unchanged) for r in again] == [(0, 0, 17), (0, 0, 216)]
    assert _snapshot() == before


def test_official_streets_without_the_district_report_the_missing_parent_on_every_row(
    db, official_files
):
    streets, _ = official_files

    result = import_area_file(streets)

    assert len(result.errors) == 17
    assert {e.reason for e in result.errors} == {"上级区域 370103 不存在"}
    assert [e.line for e in result.errors] == list(range(2, 19))
    assert not Area.objects.exists()


@pytest.mark.parametrize(
    ("official", "short", "code", "kind"),
    [
        ("春元里社区居民委员会", "春元里社区", "370103002001", "居委会(社区)"),
        ("乐山小区社区居民委员会", "乐山小区社区", "370103002001", "居委会(社区)"),
        ("英西南路社区居委会", "英西南路社区", "370103002001", "居委会(社区)"),
        ("袁柳东居居民委员会", "袁柳东居", "370103002001", "居委会(社区)"),
        ("谷庄居民委员会", "谷庄社区", "370103002001", "居委会(社区)"),
        ("党家庄东村村民委员会", "党家庄东村", "370103002200", "村委会(村)"),
        ("瓦峪沟村民委员会", "瓦峪沟村", "370103002200", "村委会(村)"),
    ],
)
def test_official_committee_names_are_stored_short(street, tmp_path, official, short, code, kind):
    path = tmp_path / "villages.csv"
    path.write_text(
        f"{VILLAGES_HEADER}\n{code},{official},370103002,大观园街道,370103,3701,37,{kind}\n",
        encoding="utf-8",
    )

    import_area_file(path)

    assert Area.objects.get(code=code).name == short


# ---- all or nothing -------------------------------------------------------------------


def test_generic_file_imports_parents_before_children_with_depths(district, tmp_path):
    path = _write_csv(tmp_path / "areas.csv", _hundred_rows())

    result = import_area_file(path)

    assert (result.created, result.updated, result.unchanged) == (100, 0, 0)
    grid = Area.objects.select_related("parent__parent").get(code="370103030001001")
    assert (grid.depth, grid.parent.code, grid.parent.parent.code) == (
        3,
        "370103030001",
        "370103030",
    )
    assert grid.households == 300


def test_file_with_three_bad_rows_imports_nothing_and_names_those_lines(district, tmp_path):
    path = _write_csv(tmp_path / "areas.csv", _hundred_rows_three_bad())
    before = _snapshot()

    result = import_area_file(path)

    assert [e.line for e in result.errors] == [20, 50, 80]
    assert result.created == 0
    assert "15 位" in result.errors[0].reason
    assert result.errors[1].reason == "上级区域 370103030099 不存在"
    assert "网格的上级应为社区/村" in result.errors[2].reason
    assert _snapshot() == before


def test_command_prints_each_bad_row_to_stderr_and_fails(district, tmp_path):
    path = _write_csv(tmp_path / "areas.csv", _hundred_rows_three_bad())
    before = _snapshot()
    out, err = StringIO(), StringIO()

    with pytest.raises(CommandError) as failure:
        call_command("import_areas", str(path), stdout=out, stderr=err)

    lines = err.getvalue().splitlines()
    assert [line.split(" [")[0] for line in lines] == ["第 20 行", "第 50 行", "第 80 行"]
    assert lines[1] == "第 50 行 [370103030099001]: 上级区域 370103030099 不存在"
    assert "3 行有错误" in str(failure.value)
    assert failure.value.returncode == 1
    assert _snapshot() == before


def test_command_reports_counts_on_success(district, tmp_path):
    path = _write_csv(tmp_path / "areas.csv", _hundred_rows())
    out = StringIO()

    call_command("import_areas", str(path), stdout=out)
    call_command("import_areas", str(path), stdout=out)

    assert out.getvalue().splitlines() == [
        "导入完成：新增 100 条，更新 0 条，未变 0 条",
        "导入完成：新增 0 条，更新 0 条，未变 100 条",
    ]


def test_dry_run_counts_but_writes_nothing(district, tmp_path):
    path = _write_csv(tmp_path / "areas.csv", _hundred_rows())
    before = _snapshot()
    out = StringIO()

    call_command("import_areas", str(path), "--dry-run", stdout=out)

    assert "将新增 100 条" in out.getvalue()
    assert _snapshot() == before


def test_duplicate_code_is_reported_on_its_second_line_naming_the_first(street, tmp_path):
    rows = [
        ["370103002001", "甲社区", "社区", "370103002", ""],
        ["370103002002", "乙社区", "社区", "370103002", ""],
        ["370103002001", "丙社区", "社区", "370103002", ""],
    ]
    path = _write_csv(tmp_path / "areas.csv", rows)

    result = import_area_file(path)

    assert [(e.line, e.code, e.reason) for e in result.errors] == [
        (4, "370103002001", "编码 370103002001 与第 2 行重复")
    ]
    assert not Area.objects.filter(kind=AreaKind.COMMUNITY).exists()


def test_parent_may_come_after_its_child_in_the_file(street, tmp_path):
    rows = [
        ["370103002001001", "第一网格", "网格", "370103002001", "400"],
        ["370103002001", "甲社区", "社区", "370103002", ""],
    ]
    path = _write_csv(tmp_path / "areas.csv", rows)

    result = import_area_file(path)

    assert result.created == 2
    assert Area.objects.get(code="370103002001001").parent.code == "370103002001"


def test_district_root_may_stand_in_a_generic_file(db, tmp_path):
    rows = [["370104", "槐荫区", "区", "", ""], ["370104001", "振兴街街道", "街道", "370104", ""]]
    path = _write_csv(tmp_path / "areas.csv", rows)

    import_area_file(path)

    assert list(Area.objects.values_list("code", "depth", "parent__code")) == [
        ("370104", 0, None),
        ("370104001", 1, "370104"),
    ]


# ---- formats ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("header", "kinds"),
    [
        (GENERIC_HEADER, ["街道", "社区", "村", "网格", "小区", "楼栋"]),
        (
            ["code", "name", "kind", "parent_code", "households"],
            ["street", "community", "village", "grid", "compound", "building"],
        ),
    ],
)
def test_kinds_are_read_as_chinese_labels_or_english_values(district, tmp_path, header, kinds):
    street, community, village, grid, compound, building = kinds
    rows = [
        ["370103040", "新街道", street, "370103", ""],
        ["370103040001", "新社区", community, "370103040", ""],
        ["370103040200", "新村", village, "370103040", ""],
        ["370103040001001", "新网格", grid, "370103040001", "350"],
        ["370103040001001001", "新小区", compound, "370103040001001", ""],
        ["370103040001001001001", "1号楼", building, "370103040001001001", "48"],
    ]
    path = _write_csv(tmp_path / "areas.csv", rows, header=header)

    result = import_area_file(path)

    assert result.created == 6
    assert list(
        Area.objects.filter(code__startswith="370103040").values_list("kind", flat=True)
    ) == [
        AreaKind.STREET,
        AreaKind.COMMUNITY,
        AreaKind.GRID,
        AreaKind.COMPOUND,
        AreaKind.BUILDING,
        AreaKind.VILLAGE,
    ]


def test_unknown_kind_label_is_reported(street, tmp_path):
    path = _write_csv(tmp_path / "areas.csv", [["370103002001", "甲", "居民点", "370103002", ""]])

    result = import_area_file(path)

    assert result.errors[0].line == 2
    assert "类型“居民点”无效" in result.errors[0].reason


def test_xlsx_file_is_read_with_numeric_cells_and_blank_rows(street, tmp_path):
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(GENERIC_HEADER)
    sheet.append([370103002001, "甲社区", "社区", 370103002, None])
    sheet.append([])
    sheet.append(["370103002001001", " 第一网格 ", "网格", "370103002001", 420.0])
    path = tmp_path / "areas.xlsx"
    workbook.save(path)

    rows = read_area_file(path)
    result = import_area_file(path)

    assert [(r.line, r.code, r.name, r.households) for r in rows] == [
        (2, "370103002001", "甲社区", None),
        (4, "370103002001001", "第一网格", 420),
    ]
    assert result.created == 2


def test_xlsx_code_longer_than_excel_numbers_hold_is_reported(street, tmp_path):
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(GENERIC_HEADER)
    sheet.append([370103002001001001.0, "小区", "小区", "370103002001001", None])
    path = tmp_path / "areas.xlsx"
    workbook.save(path)

    result = import_area_file(path)

    assert result.errors[0].line == 2
    assert "Excel 已丢失末几位" in result.errors[0].reason


def test_gbk_csv_is_read(street, tmp_path):
    path = _write_csv(
        tmp_path / "areas.csv",
        [["370103002001", "纬一路社区", "社区", "370103002", "2800"]],
        encoding="gbk",
    )

    import_area_file(path)

    assert Area.objects.get(code="370103002001").name == "纬一路社区"


@pytest.mark.parametrize("header", [["foo", "bar"], ["编码", "名称", "上级编码"]])
def test_unknown_header_is_refused_naming_the_expected_headers(db, tmp_path, header):
    path = _write_csv(tmp_path / "areas.csv", [["370103002", "x", "y"]], header=header)

    with pytest.raises(ValidationFailed) as refused:
        read_area_file(path)
    with pytest.raises(CommandError) as failed:
        call_command("import_areas", str(path))

    assert "编码,名称,类型,上级编码" in refused.value.message
    assert "code,name,areaCode,provinceCode,cityCode" in refused.value.message
    assert str(failed.value) == refused.value.message


def test_missing_generic_column_is_named(db, tmp_path):
    path = _write_csv(tmp_path / "areas.csv", [], header=["编码", "名称", "上级编码"])

    with pytest.raises(ValidationFailed, match="缺少列：类型"):
        read_area_file(path)


def test_blank_rows_are_skipped_and_lines_still_count(street, tmp_path):
    path = tmp_path / "areas.csv"
    path.write_text(
        "编码,名称,类型,上级编码\n"
        "\n"
        "370103002001,甲社区,社区,370103002\n"
        ",,,\n"
        "   ,  ,,\n"
        "370103002002,,社区,370103002\n",
        encoding="utf-8",
    )

    result = import_area_file(path)

    assert [(e.line, e.reason) for e in result.errors] == [(6, "名称不能为空")]


@pytest.mark.parametrize("households", ["-3", "很多", "12.5"])
def test_households_must_be_a_non_negative_integer(street, tmp_path, households):
    path = _write_csv(
        tmp_path / "areas.csv", [["370103002001", "甲社区", "社区", "370103002", households]]
    )

    result = import_area_file(path)

    assert [(e.line, e.reason) for e in result.errors] == [(2, f"户数“{households}”须为非负整数")]


# ---- rows already saved ---------------------------------------------------------------


def test_saved_area_of_another_kind_is_an_error(street, tmp_path):
    AreaFactory(code="370103002001", name="甲社区", kind=AreaKind.COMMUNITY, parent=street)
    path = _write_csv(tmp_path / "areas.csv", [["370103002001", "甲社区", "村", "370103002", ""]])

    result = import_area_file(path)

    assert [e.reason for e in result.errors] == [
        "编码 370103002001 已存在且类型/上级不同（现为社区，上级 370103002）"
    ]


def test_saved_area_with_a_new_name_or_households_is_updated(street, tmp_path):
    AreaFactory(code="370103002001", name="旧名社区", kind=AreaKind.COMMUNITY, parent=street)
    AreaFactory(
        code="370103002002", name="乙社区", kind=AreaKind.COMMUNITY, parent=street, households=900
    )
    rows = [
        ["370103002001", "新名社区", "社区", "370103002", "3100"],
        ["370103002002", "乙社区", "社区", "370103002", ""],
    ]
    path = _write_csv(tmp_path / "areas.csv", rows)

    result = import_area_file(path)

    assert (result.created, result.updated, result.unchanged) == (0, 1, 1)
    renamed = Area.objects.get(code="370103002001")
    assert (renamed.name, renamed.households) == ("新名社区", 3100)
    assert Area.objects.get(code="370103002002").households == 900
    event = AuditEvent.objects.get(action="area.import")
    assert event.changes == {"created": [None, 0], "updated": [None, 1]}


def test_rows_outside_the_importers_scope_are_refused(world):
    staff = world.users[Role.STREET_STAFF]  # street A only
    rows = [
        AreaRow(
            line=2, code="370103002009", name="新社区", kind="community", parent_code="370103002"
        ),
        AreaRow(
            line=3, code="370103003009", name="他街社区", kind="community", parent_code="370103003"
        ),
    ]
    before = _snapshot()

    result = import_area_rows(rows, by=staff, source="upload.csv")

    assert [(e.line, e.reason) for e in result.errors] == [(3, "您无权在区域 370103003 下新增区域")]
    assert _snapshot() == before


def test_validate_area_rows_collects_every_problem_without_writing(district):
    rows = [
        AreaRow(line=2, code="37010499", name="", kind="street", parent_code="370103"),
        AreaRow(
            line=3,
            code="370103099",
            name="甲街道",
            kind="street",
            parent_code="370103",
            households=-1,
        ),
    ]

    errors = validate_area_rows(rows)

    assert [e.line for e in errors] == [2, 3]
    assert errors[0].reason.split("；") == [
        "街道编码应为 9 位数字，实际为 8 位",
        "名称不能为空",
        "编码 37010499 须以上级编码 370103 开头",
    ]
    assert errors[1].reason == "户数“-1”须为非负整数"
    assert Area.objects.count() == 1


# ---- limits -----------------------------------------------------------------------------


def test_file_over_20_mb_is_refused(db, tmp_path):
    path = tmp_path / "big.xlsx"
    with path.open("wb") as f:
        f.write(b"PK\x03\x04")
        f.truncate(area_import.LIMITS.max_file_bytes + 1)

    with pytest.raises(ValidationFailed, match="超过 20 MB"):
        read_area_file(path)


def test_xlsx_with_too_many_rows_is_refused(db, tmp_path, monkeypatch):
    monkeypatch.setattr(area_import, "LIMITS", dataclasses.replace(area_import.LIMITS, max_rows=5))
    workbook = openpyxl.Workbook()
    for n in range(10):
        workbook.active.append([f"37010300{n}", "x", "街道", "370103"])
    path = tmp_path / "many.xlsx"
    workbook.save(path)

    with pytest.raises(ValidationFailed, match="超过 5 行"):
        read_area_file(path)


def test_xlsx_that_unpacks_too_large_is_refused(db, tmp_path, monkeypatch):
    limits = dataclasses.replace(area_import.LIMITS, max_unpacked_bytes=1024)
    monkeypatch.setattr(area_import, "LIMITS", limits)
    workbook = openpyxl.Workbook()
    workbook.active.append(GENERIC_HEADER)
    path = tmp_path / "bomb.xlsx"
    workbook.save(path)

    with pytest.raises(ValidationFailed, match="解压后约"):
        read_area_file(path)


def test_xlsx_with_a_bomb_ratio_part_is_refused_before_unpacking(db, tmp_path):
    workbook = openpyxl.Workbook()
    workbook.active.append(GENERIC_HEADER)
    path = tmp_path / "ratio.xlsx"
    workbook.save(path)
    with zipfile.ZipFile(path, "a", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/media/padding.bin", b"\0" * (4 * 2**20))

    with pytest.raises(ValidationFailed, match="压缩比异常"):
        read_area_file(path)
