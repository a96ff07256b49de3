"""The indicators registry: every figure the platform reports is a named indicator.

An app registers a function ``(area, period, user) -> Figure`` under a key with a Chinese
label. Pages, exports and ``manage.py indicators`` all call ``compute``; nothing else
computes a reported figure, so they cannot disagree.
"""

import calendar
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from .errors import ValidationFailed


@dataclass(frozen=True)
class Period:
    """A closed range of dates, or all time when both ends are None."""

    label: str
    start: date | None = None
    end: date | None = None

    @classmethod
    def parse(cls, text: str | None) -> "Period":
        if not text:
            return cls("all")
        if m := re.fullmatch(r"(\d{4})", text):
            year = int(m[1])
            return cls(text, date(year, 1, 1), date(year, 12, 31))
        if m := re.fullmatch(r"(\d{4})-(\d{2})", text):
            year, month = int(m[1]), int(m[2])
            if 1 <= month <= 12:
                last = calendar.monthrange(year, month)[1]
                return cls(text, date(year, month, 1), date(year, month, last))
        if m := re.fullmatch(r"(\d{4})-[Qq]([1-4])", text):
            year, quarter = int(m[1]), int(m[2])
            last = calendar.monthrange(year, quarter * 3)[1]
            return cls(text.upper(), date(year, quarter * 3 - 2, 1), date(year, quarter * 3, last))
        if m := re.fullmatch(r"(\d{4}-\d{2}-\d{2})\.\.(\d{4}-\d{2}-\d{2})", text):
            try:
                start, end = date.fromisoformat(m[1]), date.fromisoformat(m[2])
            except ValueError:
                raise ValidationFailed(f"统计期“{text}”中的日期不存在。", field="period") from None
            if start > end:
                raise ValidationFailed(f"统计期“{text}”的起始日期晚于截止日期。", field="period")
            return cls(text, start, end)
        raise ValidationFailed(
            f"统计期“{text}”格式不对，应为 YYYY、YYYY-MM、YYYY-Q1 至 YYYY-Q4，"
            "或 YYYY-MM-DD..YYYY-MM-DD。",
            field="period",
        )

    @property
    def is_all_time(self) -> bool:
        return self.start is None

    @property
    def year(self) -> int | None:
        return self.start.year if self.start else None

    @property
    def title(self) -> str:
        """The period in Chinese, as every figure states it: 2026年11月, 2026年第四季度."""
        if self.is_all_time:
            return "累计"
        if m := re.fullmatch(r"(\d{4})-(\d{2})", self.label):
            return f"{m[1]}年{int(m[2])}月"
        if m := re.fullmatch(r"(\d{4})-Q([1-4])", self.label):
            return f"{m[1]}年第{'一二三四'[int(m[2]) - 1]}季度"
        if re.fullmatch(r"\d{4}", self.label):
            return f"{self.label}年"
        return f"{self.start:%Y年%m月%d日}至{self.end:%Y年%m月%d日}"

    def date_q(self, field: str):
        from django.db.models import Q

        if self.is_all_time:
            return Q()
        return Q(**{f"{field}__gte": self.start, f"{field}__lte": self.end})


@dataclass(frozen=True)
class Figure:
    value: int | float | Decimal | None
    numerator: int | float | Decimal | None = None
    denominator: int | float | Decimal | None = None

    @classmethod
    def share(cls, numerator, denominator) -> "Figure":
        value = None if not denominator else round(numerator / denominator, 4)
        return cls(value, numerator, denominator)


# How an indicator reads the period (its figure states the period accordingly).
DATED = "dated"  # counts what happened within the period
CURRENT = "current"  # the state today, the same for every period (areas, stations)
YEARLY = "yearly"  # a yearly ledger: the period's year (all time: the latest year)
AS_OF = "as_of"  # a stock on the period's last day (today for all time or a running one)
UNTIL_YEAR = "until_year"  # everything up to the end of the period's year


@dataclass(frozen=True)
class Indicator:
    key: str
    label: str
    func: Callable
    unit: str = ""
    order: int = 0
    # The home page's theme (接诉即办, 乡村振兴, …) the figure belongs to.
    theme: str = ""
    # The area kinds the figure is about: it applies to an area that is or holds one of
    # them (乡村振兴 to a street with villages, not to an urban community). None: any area.
    kinds: frozenset[str] | None = None
    reads: str = DATED

    def period_title(self, period: Period) -> str:
        if self.reads == CURRENT:
            return "截至今日"
        if self.reads == YEARLY:
            return f"{period.year}年度" if period.year else "最新年度"
        if self.reads == AS_OF:
            from django.utils import timezone

            if period.is_all_time or period.end >= timezone.localdate():
                return "截至今日"
            return f"截至{period.end:%Y年%m月%d日}"
        if self.reads == UNTIL_YEAR:
            return f"截至{period.year}年底" if period.year else "截至今日"
        return period.title


_REGISTRY: dict[str, Indicator] = {}


def register(
    key: str,
    label: str,
    *,
    unit: str = "",
    order: int = 0,
    theme: str = "",
    kinds=None,
    reads: str = DATED,
):
    def decorator(func):
        if key in _REGISTRY and _REGISTRY[key].func is not func:
            raise ValueError(f"indicator {key!r} registered twice")
        _REGISTRY[key] = Indicator(
            key,
            label,
            func,
            unit,
            order or len(_REGISTRY),
            theme,
            frozenset(kinds) if kinds is not None else None,
            reads,
        )
        return func

    return decorator


def indicators() -> list[Indicator]:
    return sorted(_REGISTRY.values(), key=lambda i: i.order)


def get(key: str) -> Indicator:
    return _REGISTRY[key]


def kinds_under(area) -> frozenset[str]:
    """The kinds of ``area`` and of every area below it (one query)."""
    from .models import Area

    return frozenset(
        Area.objects.subtree(area.code).order_by().values_list("kind", flat=True).distinct()
    )


def applicable(area, *, themes=None) -> list[Indicator]:
    """The indicators that mean something for ``area``: those about kinds of area it holds
    (and of ``themes`` when given). A figure that cannot apply is left out, not shown 0."""
    present = kinds_under(area)
    return [
        i
        for i in indicators()
        if (i.kinds is None or i.kinds & present) and (themes is None or i.theme in themes)
    ]


def compute(*, area, period: Period, user, keys: list[str] | None = None) -> dict[str, dict]:
    """Each indicator's figure for the area and period as the user may see it.

    Precondition: the caller checked that ``area`` is within the user's scope.
    """
    out = {}
    for ind in indicators():
        if keys is not None and ind.key not in keys:
            continue
        fig: Figure = ind.func(area=area, period=period, user=user)
        out[ind.key] = {
            "label": ind.label,
            "unit": ind.unit,
            "theme": ind.theme,
            "period": ind.period_title(period),
            "value": fig.value,
            "numerator": fig.numerator,
            "denominator": fig.denominator,
        }
    return out
