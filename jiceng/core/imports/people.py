"""Importing people and their posts: one row is a person, optionally with one post.

Areas are named by code and must lie in the importing user's editable scope (a row for an
area outside it is an error). An ID number already registered, or repeated in the file, is
an error: people are edited on their own page, not overwritten by a spreadsheet.
"""

from ..crypto import blind_index
from ..errors import ApplicationError
from ..models import Area, Education, Person, PoliticalStatus, PostTitle, Sex
from ..permissions import can
from ..services import _person_values, person_create, post_create
from .base import Field, ImportRow, ImportSpec, register_import

QUERY_CHUNK = 500

FIELDS = (
    Field("name", "姓名", True, hint="不超过 50 个字", example="张三", max_length=50),
    Field(
        "sex", "性别", choices=tuple(Sex.labels), hint="男/女；填写身份证号时可不填", example="男"
    ),
    Field("birth_date", "出生日期", kind="date", hint="如 1980-05-01；须与身份证号一致"),
    Field(
        "phone", "手机号", hint="11 位手机号，请按文本填写", example="13800000000", max_length=20
    ),
    Field("id_number", "身份证号", hint="18 位，请按文本填写；不得与已登记人员重复", max_length=20),
    Field("education", "学历", choices=tuple(Education.labels), example="本科"),
    Field(
        "political_status",
        "政治面貌",
        choices=tuple(PoliticalStatus.labels),
        hint="不填视为群众",
        example="中共党员",
    ),
    Field("party_joined_on", "入党日期", kind="date", hint="群众不填", example="2005-07-01"),
    Field(
        "area",
        "所属区域编码",
        True,
        hint="社区/村/网格等区域的编码，须在您的管辖范围内",
        example="370103002003",
        max_length=24,
    ),
    Field("title", "职务", choices=tuple(PostTitle.labels), hint="选填：同时登记一项职务"),
    Field("post_area", "任职区域编码", hint="不填则为所属区域", max_length=24),
    Field("starts_on", "任职日期", kind="date", example="2024-01-01"),
)

_SEX = {label: value for value, label in Sex.choices}
_EDUCATION = {label: value for value, label in Education.choices}
_POLITICAL = {label: value for value, label in PoliticalStatus.choices}
_TITLE = {label: value for value, label in PostTitle.choices}


def _areas_by_code(codes: set[str]) -> dict[str, Area]:
    codes = sorted(c for c in codes if c)
    found = {}
    for start in range(0, len(codes), QUERY_CHUNK):
        found.update(
            (a.code, a) for a in Area.objects.filter(code__in=codes[start : start + QUERY_CHUNK])
        )
    return found


def _area(row: ImportRow, areas: dict, code: str, label: str, by) -> Area | None:
    area = areas.get(code)
    if area is None or not can(by, "create_person_in", area):
        row.fail(f"{label} {code} 不存在或不在您的管辖范围内")
        return None
    return area


def check_people(*, by, rows: list[ImportRow]) -> list[tuple[dict, dict | None]]:
    areas = _areas_by_code({r.values["area"] for r in rows} | {r.values["post_area"] for r in rows})
    plan = []
    seen_ids: dict[str, int] = {}
    for row in rows:
        v = row.values
        area = _area(row, areas, v["area"], "所属区域", by) if v["area"] else None
        post_area = None
        if v["title"]:
            code = v["post_area"] or v["area"]
            post_area = _area(row, areas, code, "任职区域", by) if code else None
        elif v["post_area"] or v["starts_on"]:
            row.fail("填写了任职区域或任职日期，但没有填写职务")
        values = None
        if area is not None:
            try:
                values = _person_values(
                    name=v["name"],
                    area=area,
                    sex=_SEX.get(v["sex"], ""),
                    birth_date=v["birth_date"],
                    phone=v["phone"],
                    id_number=v["id_number"],
                    education=_EDUCATION.get(v["education"], ""),
                    political_status=_POLITICAL.get(v["political_status"], PoliticalStatus.MASSES),
                    party_joined_on=v["party_joined_on"],
                )
            except ApplicationError as e:
                row.fail(e.message.rstrip("。"))
        if values and values["id_number"]:
            first = seen_ids.setdefault(values["id_number"], row.line)
            if first != row.line:
                row.fail(f"身份证号与第 {first} 行重复")
        post = None
        if v["title"] and post_area is not None:
            post = {"title": _TITLE[v["title"]], "area": post_area, "starts_on": v["starts_on"]}
        plan.append((values, post))
    registered = (
        set(
            Person.objects.filter(
                id_number_index__in=[blind_index(i) for i in seen_ids]
            ).values_list("id_number_index", flat=True)
        )
        if seen_ids
        else set()
    )
    for row, (values, _) in zip(rows, plan, strict=True):
        if values and values["id_number"] and blind_index(values["id_number"]) in registered:
            row.fail("该身份证号已登记（请在人员页面修改该人员）")
    return plan


def write_people(*, by, plan) -> int:
    for values, post in plan:
        person = person_create(by=by, **values)
        if post:
            post_create(by=by, person=person, **post)
    return len(plan)


register_import(
    ImportSpec(
        key="core.people",
        title="人员与职务",
        description="每行登记一名人员，可同时登记其一项职务。",
        fields=FIELDS,
        check=check_people,
        write=write_people,
        allowed=lambda user: can(user, "edit_some_area"),
        order=10,
    )
)
