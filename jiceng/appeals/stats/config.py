"""How the three rates are counted: set in settings as ``JICENG_RATES`` (a dict of any of
the keys below), read once per computation.

A setting rather than a model: the method is a district-wide policy decided once a year
(the assessment rules, 考核办法), changed by deployment with the change reviewed, and the
same for every page, export and ``manage.py indicators`` run.
"""

from dataclasses import dataclass, fields
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured


@dataclass(frozen=True)
class RatesConfig:
    # The share of a 基本满意 rating counted as satisfied (1 = as 满意, 0 = not at all).
    basic_share: Decimal = Decimal("1")
    # Weights of 响应率, 解决率, 满意率 in the composite score (scaled to sum 1).
    response_weight: Decimal = Decimal("0.1")
    resolution_weight: Decimal = Decimal("0.45")
    satisfaction_weight: Decimal = Decimal("0.45")
    # Whether 部分解决 counts as resolved in 解决率.
    partly_counts: bool = False
    # Whether time paused (waiting on the resident or a third party) extends the limits
    # when counting overdue appeals.
    exclude_paused: bool = True
    # An area that received fewer appeals than this in the month is listed but not ranked
    # (样本不足): one satisfied resident must not put a community first at 100 分.
    min_volume: int = 5
    # How many areas the monthly briefing names at the top and at the bottom (红黑榜) and
    # among the biggest climbers and fallers; the full tables go to the workbook.
    briefing_top_n: int = 5


def rates_config() -> RatesConfig:
    given = dict(getattr(settings, "JICENG_RATES", {}) or {})
    known = {f.name: f for f in fields(RatesConfig)}
    unknown = set(given) - set(known)
    if unknown:
        raise ImproperlyConfigured(f"JICENG_RATES: unknown keys {sorted(unknown)}")
    values = {}
    for name, value in given.items():
        default = RatesConfig.__dataclass_fields__[name].default
        if isinstance(default, int) and not isinstance(default, bool):
            if not isinstance(value, int) or isinstance(value, bool) or value < 0:
                raise ImproperlyConfigured(f"JICENG_RATES[{name!r}] must be a whole number ≥ 0")
        if isinstance(default, Decimal):
            value = Decimal(str(value))
            if value < 0:
                raise ImproperlyConfigured(f"JICENG_RATES[{name!r}] must not be negative")
        values[name] = value
    config = RatesConfig(**values)
    if not 0 <= config.basic_share <= 1:
        raise ImproperlyConfigured("JICENG_RATES['basic_share'] must lie between 0 and 1")
    weights = config.response_weight + config.resolution_weight + config.satisfaction_weight
    if weights <= 0:
        raise ImproperlyConfigured("JICENG_RATES: the composite weights must not all be 0")
    return config
