"""The stewards' duty roster from Excel (see ``jiceng.core.imports.base``); the rows are
saved by ``services.roster.duty_roster_save_many``."""

from jiceng.core.imports.base import Field, ImportRow, ImportSpec, register_import
from jiceng.core.models import Area, AreaKind
from jiceng.core.scope import scope_of
from jiceng.core.selectors import person_list_visible_to

from .permissions import DISPATCH_ROLES
from .services.roster import (
    RosterEntry,
    duty_roster_save_many,
    may_plan_duty,
    roster_entry_problems,
)

FIELDS = (
    Field(
        "grid",
        "网格编码",
        True,
        hint="15 位网格编码，须在您的管辖范围内；请按文本填写",
        example="370103002003001",
        max_length=24,
    ),
    Field("steward", "值班网格管家", True, hint="姓名，须为已登记的人员", example="李网格"),
    Field(
        "steward_phone",
        "管家手机号",
        hint="辖区内有重名时必填，用于区分",
        example="13800000001",
        max_length=20,
    ),
    Field("backup", "备岗人员", hint="选填：管家请假时由其接单", example="王睦和"),
    Field("backup_phone", "备岗手机号", hint="重名时必填", max_length=20),
    Field("starts_on", "起始日期", True, kind="date", example="2024-03-01"),
    Field("ends_on", "截止日期", kind="date", hint="不填表示长期", example="2024-12-31"),
)


def _person(row: ImportRow, people: dict, name: str, phone: str, label: str):
    matches = people.get(name, [])
    if phone:
        matches = [p for p in matches if p.phone == phone.replace(" ", "")]
    if not matches:
        row.fail(f"{label}“{name}”不是您管辖范围内登记的人员" + ("（手机号不符）" if phone else ""))
        return None
    if len(matches) > 1:
        row.fail(f"{label}“{name}”有 {len(matches)} 人重名，请填写手机号区分")
        return None
    return matches[0]


def check_roster(*, by, rows: list[ImportRow]) -> list[RosterEntry]:
    codes = {r.values["grid"] for r in rows if r.values["grid"]}
    grids = {a.code: a for a in Area.objects.filter(code__in=codes)}
    names = {r.values[k] for r in rows for k in ("steward", "backup") if r.values[k]}
    people: dict[str, list] = {}
    for person in person_list_visible_to(user=by).filter(name__in=names):
        people.setdefault(person.name, []).append(person)
    entries = []
    seen: dict[tuple, int] = {}
    for row in rows:
        v = row.values
        grid = grids.get(v["grid"])
        if grid is None or not may_plan_duty(by=by, grid=grid):
            row.fail(f"网格 {v['grid']} 不存在或不在您的管辖范围内")
        elif grid.kind != AreaKind.GRID:
            row.fail(f"编码 {v['grid']} 是{grid.get_kind_display()}，不是网格")
        steward = _person(row, people, v["steward"], v["steward_phone"], "值班网格管家")
        backup = None
        if v["backup"]:
            backup = _person(row, people, v["backup"], v["backup_phone"], "备岗人员")
        if not row.ok or steward is None or v["starts_on"] is None:
            continue
        entry = RosterEntry(grid, steward, v["starts_on"], backup=backup, ends_on=v["ends_on"])
        for problem in roster_entry_problems(entry=entry):
            row.fail(problem)
        key = (grid.pk, steward.pk, v["starts_on"])
        if (first := seen.setdefault(key, row.line)) != row.line:
            row.fail(f"与第 {first} 行重复（同一网格、管家和起始日期）")
        entries.append(entry)
    return entries


def write_roster(*, by, plan: list[RosterEntry]) -> int:
    created, updated = duty_roster_save_many(by=by, entries=plan)
    return created + updated


register_import(
    ImportSpec(
        key="appeals.duty_roster",
        title="网格管家值班安排",
        description="每行一条值班安排；同一网格、管家和起始日期的已有安排会更新备岗和截止日期。",
        fields=FIELDS,
        check=check_roster,
        write=write_roster,
        allowed=lambda user: scope_of(user).has_role(*DISPATCH_ROLES),
        order=30,
    )
)
