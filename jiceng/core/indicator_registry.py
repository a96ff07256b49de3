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


@dataclass(frozen=True)
class Indicator:
    key: str
    label: str
    func: Callable
    unit: str = ""
    order: int = 0


_REGISTRY: dict[str, Indicator] = {}


def register(key: str, label: str, *, unit: str = "", order: int = 0):
    def decorator(func):
        if key in _REGISTRY and _REGISTRY[key].func is not func:
            raise ValueError(f"indicator {key!r} registered twice")
        _REGISTRY[key] = Indicator(key, label, func, unit, order or len(_REGISTRY))
        return func

    return decorator


def indicators() -> list[Indicator]:
    return sorted(_REGISTRY.values(), key=lambda i: i.order)


def get(key: str) -> Indicator:
    return _REGISTRY[key]


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
            "value": fig.value,
            "numerator": fig.numerator,
            "denominator": fig.denominator,
        }
    return out
