"""Panels of the other modules, read through their registered indicators and selectors
(read only): rural revitalisation, community brands, cadres, roadshow contests."""

from django.db.models import Max

from jiceng.brands.permissions import can as brands_can
from jiceng.brands.selectors import brands_in_period, echelon_counts
from jiceng.cadres.permissions import can as cadres_can
from jiceng.contests.permissions import can as contests_can
from jiceng.contests.selectors.access import contest_list_visible_to
from jiceng.core.indicator_registry import Period, compute
from jiceng.core.models import AreaKind
from jiceng.core.money import percent_display, to_wan, wan_display
from jiceng.rural import conf as rural_conf
from jiceng.rural.models import IncomeModel
from jiceng.rural.permissions import can as rural_can
from jiceng.rural.selectors import latest_ledger_year, village_list_visible_to

from .panels import chart, empty, figures, not_applicable, register_panel, table
from .periods import year_period

ALL_TIME = Period("all")
BRAND_AREA_KINDS = {AreaKind.DISTRICT, AreaKind.STREET, AreaKind.COMMUNITY}


def _ledger_period(*, user, area, period):
    """The ledger is yearly: the period's year, or the latest year with a ledger when the
    period's year has none yet. None when the area has no ledger at all."""
    latest = latest_ledger_year(user=user, under=area)
    if latest is None:
        return None
    return year_period(min(period.end.year, latest))


def _no_ledger(*, user, area) -> dict:
    if not village_list_visible_to(user=user, under=area).exists():
        return not_applicable()
    return empty("本区域暂无村集体经济收入台账")


# The one rounding rule of the pages, exports and ``manage.py indicators``.
_wan = wan_display
_share = percent_display


def rural_models_panel(*, user, area, period) -> dict:
    year = _ledger_period(user=user, area=area, period=period)
    if year is None:
        return _no_ledger(user=user, area=area)
    keys = [f"village_income_model_{m.value}" for m in IncomeModel]
    values = compute(area=area, period=year, user=user, keys=keys)
    data = [
        {"name": m.label, "value": float(to_wan(values[k]["value"]))}
        for m, k in zip(IncomeModel, keys, strict=True)
        if k in values and values[k]["value"]
    ]
    if not data:
        return empty(f"{year.label}年暂无村集体经济收入台账")
    return chart(
        {
            "title": {
                "text": f"{year.label}年台账（万元）",
                "left": 0,
                "top": 0,
                "textStyle": {"fontSize": 13, "fontWeight": "normal"},
            },
            "tooltip": {"trigger": "item", "formatter": "{b}：{c} 万元（{d}%）"},
            "legend": {"orient": "vertical", "right": 0, "top": "middle"},
            "series": [
                {
                    "name": "收入构成",
                    "type": "pie",
                    "radius": ["35%", "65%"],
                    "center": ["36%", "55%"],
                    "label": {"show": False},
                    "data": data,
                }
            ],
        }
    )


def rural_figures_panel(*, user, area, period) -> dict:
    year = _ledger_period(user=user, area=area, period=period)
    if year is None:
        return _no_ledger(user=user, area=area)
    thresholds = list(rural_conf.income_thresholds())
    keys = ["village_income_total", *thresholds, "weak_villages", "first_secretary_projects"]
    values = compute(area=area, period=year, user=user, keys=keys)
    items = [
        (f"{year.label}年村集体经济收入", _wan(values["village_income_total"]["value"]), "万元")
    ]
    for key in thresholds:
        if key in values:
            items.append((values[key]["label"], _share(values[key]["value"]), "%"))
    items += [
        (
            values[k]["label"],
            values[k]["value"] if values[k]["value"] is not None else "—",
            values[k]["unit"],
        )
        for k in ("weak_villages", "first_secretary_projects")
        if k in values
    ]
    return figures(items)


def brands_panel(*, user, area, period) -> dict:
    """Brands belong to communities: a grid's dashboard leaves the panel out. A yearly
    campaign not held yet in the period's year shows the latest one before it."""
    if area.kind not in BRAND_AREA_KINDS:
        return not_applicable()
    years = brands_in_period(user=user, area=area, period=ALL_TIME).filter(
        campaign__year__lte=period.end.year
    )
    year = years.aggregate(latest=Max("campaign__year"))["latest"]
    if year is None:
        return empty("本区域暂无社区党建品牌")
    brands = list(brands_in_period(user=user, area=area, period=year_period(year)))
    items = [(f"{c.label}梯队", c.count, "个") for c in echelon_counts(brands=brands)]
    return figures([(f"{year}年品牌", len(brands), "个"), *items])


def cadres_panel(*, user, area, period) -> dict:
    values = compute(area=area, period=period, user=user, keys=["secondees", "training_hours"])
    return figures(
        [
            (v["label"], v["value"] if v["value"] is not None else "—", v["unit"])
            for v in values.values()
        ]
    )


def contests_panel(*, user, area, period) -> dict:
    """The contests of the period's years, else those of the latest year before it."""
    visible = contest_list_visible_to(user=user).filter(year__lte=period.end.year)
    contests = list(visible.filter(year__gte=period.start.year)[:10])
    note = ""
    if not contests:
        contests = list(visible[:1])
        if not contests:
            return empty("暂无路演大赛")
        year = contests[0].year
        contests = list(visible.filter(year=year)[:10])
        note = f"本期没有路演大赛，显示{year}年的大赛"
    return table(
        ["大赛", "年度", "参赛项目"],
        [[c.name, c.year, c.entry_count] for c in contests],
        note=note,
    )


def register_module_panels() -> None:
    register_panel(
        "rural_figures", "乡村振兴", 100, lambda u: rural_can(u, "view"), rural_figures_panel
    )
    register_panel(
        "rural_models",
        "村集体经济收入构成（五种模式）",
        110,
        lambda u: rural_can(u, "view"),
        rural_models_panel,
    )
    register_panel(
        "brands_echelons", "社区党建品牌梯队", 120, lambda u: brands_can(u, "view"), brands_panel
    )
    register_panel("cadres_figures", "队伍建设", 130, lambda u: cadres_can(u, "view"), cadres_panel)
    register_panel(
        "contests", "项目路演大赛", 140, lambda u: contests_can(u, "view_module"), contests_panel
    )
