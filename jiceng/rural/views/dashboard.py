"""The rural dashboard: the registered figures of an area and year, broken down by street
(or village) and by year, with the five models and the weak villages."""

from decimal import Decimal

from django.shortcuts import render

from jiceng.core.indicator_registry import Period, compute

from .. import conf, selectors
from ..forms import DashboardFilterForm
from ..indicators import RURAL_KEYS
from ..models import IncomeModel
from ..money import wan_text
from .base import RuralView, looked_at_area, looked_at_year


def _ratio(f: dict) -> str:
    return f"{f['numerator']} / {f['denominator']}" if f["denominator"] else "无数据"


def _count(figures: dict, key: str) -> int:
    return figures[key]["denominator"] or 0


def card_groups(figures: dict, year: int, floor) -> list[dict]:
    """The figure cards of the dashboard, in two groups, each with a line that says what
    its numerator and denominator are."""
    f = figures

    def card(key, tone="", note=""):
        return {"key": key, "f": f[key], "tone": tone, "note": note}

    return [
        {
            "title": f"村级集体经济（{year} 年）",
            "cards": [
                card(
                    "village_income_ge_500k_share", note=_ratio(f["village_income_ge_500k_share"])
                ),
                card("village_income_ge_1m_share", note=_ratio(f["village_income_ge_1m_share"])),
                card(
                    "village_income_total",
                    "blue",
                    f"{f['village_income_ge_500k_share']['denominator']} 个村有台账",
                ),
                card("village_income_growth", "green", "与上年均有台账的村比较"),
                card("weak_villages", "warn", f"收入低于 {wan_text(floor)} 万元"),
                card(
                    "village_income_missing",
                    "warn",
                    f"共 {f['village_income_missing']['denominator']} 个村，不计入占比",
                ),
            ],
        },
        {
            "title": "第一书记与村“两委”班子",
            "cards": [
                card("first_secretary_projects", note=f"{year} 年引进"),
                card(
                    "first_secretary_avg_income_increase",
                    note=f"{_count(f, 'first_secretary_avg_income_increase')} 个派驻村较派驻前",
                ),
                card(
                    "first_secretaries_promoted",
                    note=f"{year} 年；选派 {f['first_secretaries_promoted']['denominator']} 人",
                ),
                card("village_one_shoulder_share", "blue", _ratio(f["village_one_shoulder_share"])),
                card(
                    "village_team_avg_age",
                    "blue",
                    f"{f['village_team_avg_age']['denominator'] or 0} 名两委成员",
                ),
                card(
                    "demonstration_village_share", "green", _ratio(f["demonstration_village_share"])
                ),
            ],
        },
    ]


def _bars(values: dict, labels: dict) -> list[dict]:
    """Rows for a horizontal bar chart: label, value and width (% of the largest)."""
    top = max(values.values(), default=0) or 1
    return [
        {"label": labels[k], "value": v, "width": round(float(v) * 100 / float(top), 1)}
        for k, v in values.items()
    ]


class RuralHomeView(RuralView):
    def get(self, request):
        user = request.user
        form = DashboardFilterForm(request.GET)
        form.is_valid()
        area = looked_at_area(request)
        context = {"area": area, "form": form}
        if area is None:
            return render(request, "rural/home.html", context)
        years = selectors.ledger_years(user=user, under=area)
        year = looked_at_year(request, years)
        figures = compute(area=area, period=Period.parse(str(year)), user=user, keys=RURAL_KEYS)
        thresholds = conf.income_thresholds()
        trend = selectors.income_trend(user=user, under=area, years=years[:6])
        by_model = selectors.income_by_model(user=user, under=area, year=year)
        custom = None
        if form.is_valid() and form.cleaned_data.get("threshold") is not None:
            threshold = form.cleaned_data["threshold"] * 10000
            facts = selectors.income_facts(user=user, under=area, year=year)
            custom = {
                "threshold": threshold,
                "count": facts.at_or_above(threshold),
                "facts": facts,
                "share": (
                    Decimal(facts.at_or_above(threshold)) / facts.with_ledger
                    if facts.with_ledger
                    else None
                ),
            }
        weak = selectors.village_list_visible_to(user=user, under=area)
        totals = selectors.village_income_totals(user=user, under=area, year=year)
        floor = conf.weak_floor()
        weak_rows = sorted(
            (
                (v, totals[v.pk])
                for v in weak.select_related("parent")
                if v.pk in totals and totals[v.pk] < floor
            ),
            key=lambda pair: pair[1],
        )
        context.update(
            {
                "years": years,
                "year": year,
                "card_groups": card_groups(figures, year, conf.weak_floor()),
                "thresholds": list(thresholds.values()),
                "thresholds_wan": [wan_text(t) for t in thresholds.values()],
                "breakdown": selectors.income_breakdown(user=user, under=area, year=year),
                "trend": trend,
                "model_bars": _bars(by_model, dict(IncomeModel.choices)) if by_model else [],
                "model_total": sum(by_model.values(), Decimal(0)),
                "custom": custom,
                "weak_rows": weak_rows,
                "floor": floor,
                "floor_wan": wan_text(floor),
                "area_options": selectors.area_choices(user=user),
            }
        )
        return render(request, "rural/home.html", context)
