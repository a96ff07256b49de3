"""The rural figures, registered in the foundation's indicator registry.

Periods: the ledger is yearly. A period of YYYY (or YYYY-MM) selects that ledger year; all
time selects the latest year with a ledger line under the area. Team facts (一肩挑, ages,
demonstration designations) are read as of 31 December of that year (today while it runs).

Missing data: a village without a ledger line for the year is missing, not zero. Income
shares count only villages with a ledger (their denominator), and ``village_income_missing``
reports how many villages have none (value = missing, numerator = missing, denominator =
all villages). Totals and averages are None when no village has data.
"""

from decimal import Decimal

from django.utils import timezone

from jiceng.core.indicator_registry import DATED, YEARLY, Figure, Period, register
from jiceng.core.models import AreaKind

from . import conf
from .models import IncomeModel
from .money import wan_text
from .selectors import (
    demonstration_count,
    first_secretary_list_visible_to,
    income_by_model,
    income_facts,
    income_growth,
    latest_ledger_year,
    ledger_year_of,
    project_list_visible_to,
    secretary_results,
    village_list_visible_to,
    village_teams,
    year_end,
)

ORDER = 400
# The keys this module registers, in order (the dashboard asks the registry for these).
RURAL_KEYS: list[str] = []


def _register(key: str, label: str, *, unit: str, order: int, reads: str = YEARLY):
    RURAL_KEYS.append(key)
    return register(
        key, label, unit=unit, order=order, theme="乡村振兴", kinds=[AreaKind.VILLAGE], reads=reads
    )


def ledger_year(*, user, area, period: Period) -> int | None:
    latest = latest_ledger_year(user=user, under=area) if period.is_all_time else None
    return ledger_year_of(period, latest)


def fact_year(*, user, area, period: Period) -> int:
    """The year of team facts: the ledger year, else (no ledger at all) this year."""
    return ledger_year(user=user, area=area, period=period) or timezone.localdate().year


# ---- the ledger ---------------------------------------------------------------------------


def _threshold_share(key: str):
    def compute(*, area, period, user) -> Figure:
        year = ledger_year(user=user, area=area, period=period)
        facts = income_facts(user=user, under=area, year=year)
        return Figure.share(facts.at_or_above(conf.income_threshold(key)), facts.with_ledger)

    return compute


for _n, (_key, _threshold) in enumerate(conf.income_thresholds().items()):
    _register(_key, f"集体收入{wan_text(_threshold)}万元及以上村占比", unit="%", order=ORDER + _n)(
        _threshold_share(_key)
    )


@_register("village_income_missing", "缺当年收入台账的村", unit="个", order=ORDER + 2)
def village_income_missing(*, area, period, user) -> Figure:
    year = ledger_year(user=user, area=area, period=period)
    facts = income_facts(user=user, under=area, year=year)
    return Figure(facts.missing, facts.missing, facts.villages)


@_register("village_income_total", "村集体经济收入合计", unit="元", order=ORDER + 3)
def village_income_total(*, area, period, user) -> Figure:
    year = ledger_year(user=user, area=area, period=period)
    facts = income_facts(user=user, under=area, year=year)
    return Figure(facts.total if facts.with_ledger else None)


@_register("village_income_growth", "村集体经济收入同比增长", unit="%", order=ORDER + 4)
def village_income_growth(*, area, period, user) -> Figure:
    """Growth over the villages with a ledger in both this and the previous year."""
    year = ledger_year(user=user, area=area, period=period)
    if year is None:
        return Figure(None)
    now, before, _ = income_growth(user=user, under=area, year=year)
    return Figure.share(now - before, before)


def _model_income(model: str):
    def compute(*, area, period, user) -> Figure:
        year = ledger_year(user=user, area=area, period=period)
        sums = income_by_model(user=user, under=area, year=year) if year else {}
        return Figure(sums.get(model) if sums else None)

    return compute


for _n, _model in enumerate(IncomeModel):
    _register(
        f"village_income_model_{_model.value}",
        f"{_model.label}收入",
        unit="元",
        order=ORDER + 5 + _n,
    )(_model_income(_model.value))


@_register("weak_villages", "薄弱村（收入低于下限）", unit="个", order=ORDER + 10)
def weak_villages(*, area, period, user) -> Figure:
    year = ledger_year(user=user, area=area, period=period)
    facts = income_facts(user=user, under=area, year=year)
    if not facts.with_ledger:
        return Figure(None, 0, 0)
    weak = facts.below(conf.weak_floor())
    return Figure(weak, weak, facts.with_ledger)


# ---- first secretaries --------------------------------------------------------------------


@_register("first_secretary_projects", "第一书记引进项目", unit="个", order=ORDER + 20, reads=DATED)
def first_secretary_projects(*, area, period, user) -> Figure:
    """Projects brought in by a first secretary, introduced within the period."""
    projects = project_list_visible_to(user=user, under=area, by_first_secretary=True)
    return Figure(projects.filter(period.date_q("introduced_on")).count())


@_register(
    "first_secretary_avg_income_increase",
    "第一书记派驻村平均增收",
    unit="元",
    order=ORDER + 21,
    reads=DATED,
)
def first_secretary_avg_income_increase(*, area, period, user) -> Figure:
    """Mean, over the dispatches in office within the period, of their village's income
    change from the year before the dispatch to the term's last year (capped at the
    ledger year); dispatches whose village lacks either year are left out.
    numerator = sum of changes (元), denominator = dispatches counted."""
    dispatches = list(first_secretary_list_visible_to(user=user, under=area, period=period))
    cap = ledger_year(user=user, area=area, period=period)
    results = secretary_results(dispatches=dispatches, cap_year=cap)
    changes = [r.increase for r in results if r.increase is not None]
    return Figure.share(sum(changes, Decimal(0)), len(changes))


@_register(
    "first_secretaries_promoted", "第一书记提拔重用", unit="人", order=ORDER + 22, reads=DATED
)
def first_secretaries_promoted(*, area, period, user) -> Figure:
    """People sent as first secretary to a village under the area who took a later post
    (any title but first secretary, begun after the dispatch began; within the period when
    one is given). numerator = promoted, denominator = people dispatched."""
    dispatches = list(first_secretary_list_visible_to(user=user, under=area))
    results = secretary_results(dispatches=dispatches, cap_year=None, promoted_within=period)
    promoted = {r.dispatch.person_id for r in results if r.promoted}
    return Figure(len(promoted), len(promoted), len({d.person_id for d in dispatches}))


# ---- teams and designations -----------------------------------------------------------------


@_register("village_one_shoulder_share", "村书记、主任“一肩挑”比例", unit="%", order=ORDER + 30)
def village_one_shoulder_share(*, area, period, user) -> Figure:
    year = fact_year(user=user, area=area, period=period)
    villages = village_list_visible_to(user=user, under=area).count()
    teams = village_teams(user=user, on=year_end(year), under=area)
    return Figure.share(sum(1 for t in teams.values() if t.one_shoulder), villages)


@_register("village_team_avg_age", "村“两委”成员平均年龄", unit="岁", order=ORDER + 31)
def village_team_avg_age(*, area, period, user) -> Figure:
    """Mean age (whole years on the year's last day) of the people on the two committees;
    numerator = sum of ages, denominator = people."""
    year = fact_year(user=user, area=area, period=period)
    teams = village_teams(user=user, on=year_end(year), under=area)
    ages = [age for t in teams.values() for age in t.ages]
    return Figure.share(sum(ages), len(ages))


@_register("demonstration_village_share", "示范村占比", unit="%", order=ORDER + 32)
def demonstration_village_share(*, area, period, user) -> Figure:
    year = fact_year(user=user, area=area, period=period)
    designated, villages = demonstration_count(user=user, under=area, year=year)
    return Figure.share(designated, villages)
