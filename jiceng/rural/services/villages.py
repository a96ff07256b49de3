"""Writes of village profiles and collective income ledger lines."""

from decimal import Decimal

from django.db import IntegrityError, transaction

from jiceng.core.audit import audit_record, changes_between
from jiceng.core.clean import clean_choice, clean_text
from jiceng.core.errors import ValidationFailed
from jiceng.core.models import Area
from jiceng.core.services import area_update

from ..models import CollectiveIncome, DemonstrationLevel, IncomeModel, Village
from .common import clean_money, clean_year, require, require_village

PROFILE_FIELDS = (
    "population",
    "land_area_mu",
    "arable_land_mu",
    "demonstration_level",
    "demonstration_year",
    "note",
)
INCOME_FIELDS = ("area", "year", "source", "model", "amount", "note")
MAX_LAND = Decimal("99999999.99")


def _land(value, *, field: str, label: str) -> Decimal | None:
    if value is None or value == "":
        return None
    amount = Decimal(value)
    if amount < 0 or amount > MAX_LAND:
        raise ValidationFailed(f"{label}应在 0–{MAX_LAND} 亩之间。", field=field)
    return amount.quantize(Decimal("0.01"))


def village_profile_save(
    *,
    by,
    area: Area,
    population: int | None,
    land_area_mu: Decimal | None,
    arable_land_mu: Decimal | None,
    demonstration_level: str = "",
    demonstration_year: int | None = None,
    note: str = "",
    households: int | None = None,
) -> Village:
    """Create or update the village's profile. ``households`` lives on the area and is
    changed through the core's ``area_update`` (with its own audit row) when it differs."""
    require_village(area)
    require(by, "edit_village", area, "您无权修改该村的档案。")
    if population is not None and not 0 <= population <= 1_000_000:
        raise ValidationFailed("户籍人口应在 0–1,000,000 之间。", field="population")
    land = _land(land_area_mu, field="land_area_mu", label="土地面积")
    arable = _land(arable_land_mu, field="arable_land_mu", label="耕地面积")
    if land is not None and arable is not None and arable > land:
        raise ValidationFailed("耕地面积不能大于土地面积。", field="arable_land_mu")
    level = clean_choice(
        demonstration_level,
        DemonstrationLevel,
        field="demonstration_level",
        label="示范村级别",
        required=False,
    )
    if level and demonstration_year is None:
        raise ValidationFailed("请填写示范村命名年度。", field="demonstration_year")
    if not level and demonstration_year is not None:
        raise ValidationFailed("填写命名年度时须选择示范村级别。", field="demonstration_level")
    if demonstration_year is not None:
        demonstration_year = clean_year(demonstration_year, field="demonstration_year")
    values = {
        "population": population,
        "land_area_mu": land,
        "arable_land_mu": arable,
        "demonstration_level": level,
        "demonstration_year": demonstration_year,
        "note": clean_text(note, field="note", label="备注", max_length=200, required=False),
    }
    with transaction.atomic():
        locked_area = Area.objects.select_for_update().get(pk=area.pk)
        profile = Village.objects.select_for_update().filter(area=locked_area).first()
        before = {f: getattr(profile, f) for f in PROFILE_FIELDS} if profile else {}
        if profile is None:
            profile = Village(area=locked_area)
        for field, value in values.items():
            setattr(profile, field, value)
        profile.save()
        audit_record(
            actor=by,
            action="rural.village_profile_save",
            obj=profile,
            changes=changes_between(before, values),
        )
        if households is not None and households != locked_area.households:
            area_update(
                by=by,
                area=locked_area,
                name=locked_area.name,
                households=households,
                address=locked_area.address,
            )
    return profile


def _income_values(*, area, year, source, model, amount, note) -> dict:
    require_village(area)
    return {
        "area": area,
        "year": clean_year(year),
        "source": clean_text(source, field="source", label="收入来源", max_length=100),
        "model": clean_choice(model, IncomeModel, field="model", label="发展模式"),
        "amount": clean_money(amount, field="amount", label="金额"),
        "note": clean_text(note, field="note", label="备注", max_length=200, required=False),
    }


def _duplicate(values: dict) -> ValidationFailed:
    return ValidationFailed(
        f"{values['area'].name} {values['year']} 年已有收入来源“{values['source']}”的记录，"
        "请修改该记录或换一个来源名称。",
        field="source",
    )


def income_create(
    *, by, area: Area, year: int, source: str, model: str, amount, note: str = ""
) -> CollectiveIncome:
    require(by, "edit_village", area, "您无权登记该村的集体经济收入。")
    values = _income_values(
        area=area, year=year, source=source, model=model, amount=amount, note=note
    )
    with transaction.atomic():
        Area.objects.select_for_update().get(pk=area.pk)
        if CollectiveIncome.objects.filter(
            area=area, year=values["year"], source=values["source"]
        ).exists():
            raise _duplicate(values)
        try:
            with transaction.atomic():
                row = CollectiveIncome.objects.create(**values)
        except IntegrityError:
            raise _duplicate(values) from None
        audit_record(
            actor=by, action="rural.income_create", obj=row, changes=changes_between({}, values)
        )
    return row


def income_update(
    *, by, income: CollectiveIncome, year: int, source: str, model: str, amount, note: str = ""
) -> CollectiveIncome:
    require(by, "edit_village", income.area, "您无权修改该村的集体经济收入。")
    values = _income_values(
        area=income.area, year=year, source=source, model=model, amount=amount, note=note
    )
    with transaction.atomic():
        locked = CollectiveIncome.objects.select_for_update().get(pk=income.pk)
        before = {f: getattr(locked, f) for f in INCOME_FIELDS}
        if (
            CollectiveIncome.objects.filter(
                area_id=locked.area_id, year=values["year"], source=values["source"]
            )
            .exclude(pk=locked.pk)
            .exists()
        ):
            raise _duplicate(values)
        for field, value in values.items():
            setattr(locked, field, value)
        locked.save()
        audit_record(
            actor=by,
            action="rural.income_update",
            obj=locked,
            changes=changes_between(before, values),
        )
    return locked


def income_delete(*, by, income: CollectiveIncome) -> None:
    require(by, "edit_village", income.area, "您无权删除该村的集体经济收入。")
    with transaction.atomic():
        locked = CollectiveIncome.objects.select_for_update().get(pk=income.pk)
        before = {f: getattr(locked, f) for f in INCOME_FIELDS}
        audit_record(
            actor=by,
            action="rural.income_delete",
            obj=locked,
            changes=changes_between(before, {}),
        )
        locked.delete()


def ledger_export(*, by, area: Area, rows, year: int | None) -> bytes:
    """The ledger lines (already scoped by the caller) as a workbook; the export is audited."""
    from ..excel import ledger_workbook

    rows = list(rows)
    data = ledger_workbook(rows)
    audit_record(
        actor=by,
        action="rural.ledger_export",
        obj=area,
        changes={"year": [None, year], "rows": [None, len(rows)]},
    )
    return data
