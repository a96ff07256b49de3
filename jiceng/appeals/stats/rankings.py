"""Monthly rankings of streets, communities and grids by the composite score, and the
monthly briefing (通报) built from them."""

import re
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db.models.functions import Substr

from jiceng.core.errors import ValidationFailed
from jiceng.core.indicator_registry import Period
from jiceng.core.models import Area, AreaKind
from jiceng.core.money import percent_display
from jiceng.core.scope import scope_of

from ..permissions import AREA_ROLES
from .config import rates_config
from .selectors import Rates, rates_by_child

KINDS = {
    AreaKind.STREET: "街道",
    AreaKind.COMMUNITY: "社区（村）",
    AreaKind.GRID: "网格",
}


@dataclass(frozen=True)
class RankRow:
    rank: int | None  # None: nothing to score, or too few appeals (see ``insufficient``)
    area: Area
    rates: Rates
    composite: Decimal | None
    previous_rank: int | None
    change: int | None  # places climbed since last month (negative: fell); None if unranked
    insufficient: bool = False  # received fewer than the minimum volume: listed, not ranked

    @property
    def satisfied_weighted(self):
        return satisfied_weighted(self.rates)


def month_period(month: date) -> Period:
    return Period.parse(f"{month:%Y-%m}")


def previous_month(month: date) -> date:
    return date(month.year - 1, 12, 1) if month.month == 1 else date(month.year, month.month - 1, 1)


def parse_month(text: str | None, *, default: date) -> date:
    if not text:
        return default
    if not re.fullmatch(r"\d{4}-\d{2}", text):
        raise ValidationFailed(f"月份“{text}”格式不对，应为 YYYY-MM。", field="month")
    period = Period.parse(text)
    if period.is_all_time:
        raise ValidationFailed(f"月份“{text}”格式不对，应为 YYYY-MM。", field="month")
    return period.start


def parse_kind(text: str | None, *, default: str) -> str:
    if not text:
        return default
    if text not in KINDS:
        raise ValidationFailed(f"排名对象“{text}”不存在，应为街道、社区或网格。", field="kind")
    return text


def _ranks(rows: list[tuple[Area, Rates]], min_volume: int) -> dict[int, int]:
    """Competition ranks by composite score, highest first (equal scores share a rank),
    among the areas that received at least ``min_volume`` appeals."""
    scored = sorted(
        (
            (r.composite_score, a.pk)
            for a, r in rows
            if r.composite_score is not None and r.received >= min_volume
        ),
        key=lambda t: -t[0],
    )
    ranks, previous_score, previous_rank = {}, None, 0
    for position, (score, pk) in enumerate(scored, start=1):
        if score != previous_score:
            previous_rank, previous_score = position, score
        ranks[pk] = previous_rank
    return ranks


def ranking(*, user, area: Area, month: date, kind: str) -> list[RankRow]:
    """Areas of ``kind`` under ``area`` that the user's scope covers, ranked for the month
    by composite score, with last month's rank among the same areas."""
    month = date(month.year, month.month, 1)
    now = rates_by_child(user=user, area=area, period=month_period(month), kind=kind)
    before = rates_by_child(
        user=user, area=area, period=month_period(previous_month(month)), kind=kind
    )
    min_volume = rates_config().min_volume
    ranks, previous = _ranks(now, min_volume), _ranks(before, min_volume)
    out = []
    for a, rates in now:
        rank, prev = ranks.get(a.pk), previous.get(a.pk)
        out.append(
            RankRow(
                rank=rank,
                area=a,
                rates=rates,
                composite=rates.composite_score,
                previous_rank=prev,
                change=(prev - rank) if rank is not None and prev is not None else None,
                insufficient=rates.composite_score is not None and rates.received < min_volume,
            )
        )
    # Ranked areas first, then those with too few appeals, then those with none.
    out.sort(key=lambda r: (r.rank is None, not r.insufficient, r.rank or 0, r.area.code))
    return out


@dataclass(frozen=True)
class Section:
    """One level of the briefing: the whole table (for the workbook) and what the page
    names: the top and bottom N (红黑榜) and the biggest moves since last month."""

    kind: str
    label: str
    rows: list[RankRow]
    top: list[RankRow]
    bottom: list[RankRow]
    climbers: list[RankRow]
    fallers: list[RankRow]
    ranked: int
    insufficient: int
    unscored: int


def section_of(kind: str, label: str, rows: list[RankRow], n: int) -> Section:
    ranked = [r for r in rows if r.rank is not None]
    top = ranked[:n]
    # The bottom never repeats an area of the top (a level with fewer than 2N areas).
    bottom = [r for r in ranked[-n:] if r not in top][::-1]
    moved = [r for r in ranked if r.change]
    climbers = sorted((r for r in moved if r.change > 0), key=lambda r: -r.change)[:n]
    fallers = sorted((r for r in moved if r.change < 0), key=lambda r: r.change)[:n]
    return Section(
        kind=kind,
        label=label,
        rows=rows,
        top=top,
        bottom=bottom,
        climbers=climbers,
        fallers=fallers,
        ranked=len(ranked),
        insufficient=sum(1 for r in rows if r.insufficient),
        unscored=sum(1 for r in rows if r.rank is None and not r.insufficient),
    )


@dataclass(frozen=True)
class Briefing:
    month: date
    area: Area
    rates: Rates
    sections: list[Section]
    min_volume: int


def briefing(*, user, area: Area, month: date) -> Briefing:
    """The monthly briefing: the area's rates and each level's ranking, as the user sees."""
    from .selectors import rates_for

    month = date(month.year, month.month, 1)
    config = rates_config()
    sections = [
        section_of(
            kind,
            label,
            ranking(user=user, area=area, month=month, kind=kind),
            config.briefing_top_n,
        )
        for kind, label in KINDS.items()
    ]
    return Briefing(
        month=month,
        area=area,
        rates=rates_for(user=user, area=area, period=month_period(month)),
        sections=[s for s in sections if s.rows],
        min_volume=config.min_volume,
    )


def satisfied_weighted(r: Rates) -> Decimal | int:
    """The numerator of 满意率: 满意 plus the configured share of 基本满意."""
    value = r.satisfied + rates_config().basic_share * r.basic_satisfied
    return int(value) if value == int(value) else value


def _percent(value: Decimal | None) -> str:
    return "—" if value is None else f"{percent_display(value)}%"


BRIEFING_HEADERS = [
    "排名",
    "名称",
    "受理",
    "按时响应",
    "响应率",
    "应解决",
    "已解决",
    "解决率",
    "参评",
    "满意",
    "基本满意",
    "不满意",
    "满意率",
    "综合得分",
    "上月排名",
    "变化",
    "重启",
    "超期",
]


def briefing_row(row: RankRow) -> list:
    r = row.rates
    if row.change is None:
        change = "—"
    else:
        change = f"↑{row.change}" if row.change > 0 else f"↓{-row.change}" if row.change else "持平"
    return [
        row.rank if row.rank is not None else "样本不足" if row.insufficient else "—",
        row.area.name,
        r.received,
        r.responded_in_time,
        _percent(r.response_rate),
        r.should_resolve,
        r.resolved,
        _percent(r.resolution_rate),
        r.rated,
        r.satisfied,
        r.basic_satisfied,
        r.unsatisfied,
        _percent(r.satisfaction_rate),
        "—" if row.composite is None else row.composite,
        row.previous_rank if row.previous_rank is not None else "—",
        change,
        r.reopened,
        r.overdue,
    ]


def briefing_xlsx(b: Briefing) -> bytes:
    """The briefing as a workbook: a summary sheet, then one sheet per level."""
    from io import BytesIO

    from openpyxl import Workbook

    from jiceng.core.excel import safe_sheet_title, write_sheet

    wb = Workbook(write_only=True)
    summary = wb.create_sheet(title="概况")
    r = b.rates
    write_sheet(
        summary,
        headers=["指标", "数值", "分子", "分母"],
        rows=[
            ["统计月份", f"{b.month:%Y年%m月}", "", ""],
            ["统计范围", b.area.name, "", ""],
            ["响应率", _percent(r.response_rate), r.responded_in_time, r.received],
            ["解决率", _percent(r.resolution_rate), r.resolved, r.should_resolve],
            ["满意率", _percent(r.satisfaction_rate), satisfied_weighted(r), r.rated],
            ["综合得分", "—" if r.composite_score is None else r.composite_score, "", ""],
            ["重启", r.reopened, "", ""],
            ["超期", r.overdue, "", ""],
            ["参与排名的最少受理量", b.min_volume, "", ""],
        ],
    )
    for section in b.sections:
        ws = wb.create_sheet(title=safe_sheet_title(f"{section.label}排名"))
        write_sheet(ws, headers=BRIEFING_HEADERS, rows=[briefing_row(row) for row in section.rows])
    buffer = BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


@dataclass(frozen=True)
class Standing:
    rates: Rates
    rank: int | None  # None: too few appeals (see ``insufficient``) or nothing to score
    ranked: int  # areas of the level ranked this month
    insufficient: bool
    level: str  # 街道 / 社区（村） / 网格


def standing(*, user, area: Area, month: date) -> Standing | None:
    """The area's rates for the month and its place among all areas of its level in the
    district, as the rankings page of the district computes it.

    Only for an area the user's area roles cover whole; it discloses the area's own rank
    and how many were ranked, never another area's figures. None for any other area.
    """
    from .models import AppealMonthRollup
    from .selectors import SUMS, rates_from

    kind = AreaKind.COMMUNITY if area.kind == AreaKind.VILLAGE else area.kind
    if kind not in KINDS or not scope_of(user).covers_area(area.code, AREA_ROLES):
        return None
    month = date(month.year, month.month, 1)
    config = rates_config()
    peers = Area.objects.filter(kind__in=_level_kinds(kind)).values_list("code", flat=True)
    grouped = (
        AppealMonthRollup.objects.filter(month=month)
        .annotate(prefix=Substr("area_code", 1, len(area.code)))
        .filter(prefix__in=peers)
        .values("prefix")
        .order_by()
        .annotate(**SUMS)
    )
    rows = [(g.pop("prefix"), rates_from(g, config)) for g in grouped]
    own = next((r for code, r in rows if code == area.code), rates_from({}, config))
    scored = [
        r.composite_score
        for _, r in rows
        if r.composite_score is not None and r.received >= config.min_volume
    ]
    insufficient = own.composite_score is not None and own.received < config.min_volume
    rank = None
    if own.composite_score is not None and not insufficient:
        rank = 1 + sum(1 for s in scored if s > own.composite_score)
    return Standing(
        rates=own, rank=rank, ranked=len(scored), insufficient=insufficient, level=KINDS[kind]
    )


def _level_kinds(kind: str) -> list[str]:
    return [AreaKind.COMMUNITY, AreaKind.VILLAGE] if kind == AreaKind.COMMUNITY else [kind]
