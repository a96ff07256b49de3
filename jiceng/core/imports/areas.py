"""Importing grids, compounds and buildings through the core's area importer
(``area_file``): the same checks (codes, kinds, parents, the editor's scope)
and the same all-or-nothing write, fed from the template's columns."""

from ..errors import ValidationFailed
from ..models import AreaKind
from ..permissions import can
from .area_file import AreaRow, import_area_rows, plan_area_rows
from .base import Field, ImportRow, ImportSpec, register_import

KINDS = {
    AreaKind.GRID.label: AreaKind.GRID.value,
    AreaKind.COMPOUND.label: AreaKind.COMPOUND.value,
    "小区": AreaKind.COMPOUND.value,
    "楼院": AreaKind.COMPOUND.value,
    AreaKind.BUILDING.label: AreaKind.BUILDING.value,
}

FIELDS = (
    Field(
        "code",
        "编码",
        True,
        hint="网格 15 位（社区编码+3 位序号），小区 18 位，楼栋 21 位；请按文本填写",
        example="370103002003004",
        max_length=24,
    ),
    Field("name", "名称", True, example="睦和苑社区第四网格"),
    Field("kind", "类型", True, choices=tuple(dict.fromkeys(KINDS)), example="网格"),
    Field(
        "parent_code",
        "上级编码",
        True,
        hint="网格的上级是社区/村，小区的上级是网格，楼栋的上级是小区；上级可在同一文件中",
        example="370103002003",
        max_length=24,
    ),
    Field("households", "户数", kind="int", hint="非负整数", example="420"),
)


def check_areas(*, by, rows: list[ImportRow]):
    area_rows = [
        AreaRow(
            line=r.line,
            code=r.values["code"],
            name=r.values["name"],
            kind=KINDS.get(r.values["kind"], r.values["kind"]),
            parent_code=r.values["parent_code"],
            households=r.values["households"],
        )
        for r in rows
    ]
    by_line = {r.line: r for r in rows}
    for error in plan_area_rows(area_rows, by=by):
        by_line[error.line].fail(error.reason)
    return area_rows


def write_areas(*, by, plan: list[AreaRow]) -> int:
    result = import_area_rows(plan, by=by, source="Excel 导入")
    if result.errors:  # changed since the check: the caller's transaction rolls back
        raise ValidationFailed(result.errors[0].reason, field="file")
    return result.created + result.updated


register_import(
    ImportSpec(
        key="core.areas",
        title="网格小区楼栋",
        description="每行一个网格、小区/楼院或楼栋；已存在的编码只更新名称和户数。",
        fields=FIELDS,
        check=check_areas,
        write=write_areas,
        allowed=lambda user: can(user, "edit_some_area"),
        order=20,
    )
)
