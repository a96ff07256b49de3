"""The rural app's configurable figures, read from Django settings at each use.

``JICENG_RURAL_INCOME_THRESHOLDS`` maps each registered share indicator to its threshold in
元 (inclusive: a village "at or above" it counts). The keys keep their names when a site
moves the threshold, so a deployment that changes them should relabel its reports;
the dashboard's own threshold box computes the share for any other value.
``JICENG_RURAL_WEAK_FLOOR`` (元): a village whose year's collective income is below it is a
薄弱村 (weak village).
"""

from decimal import Decimal

from django.conf import settings

DEFAULT_INCOME_THRESHOLDS = {
    "village_income_ge_500k_share": Decimal("500000"),
    "village_income_ge_1m_share": Decimal("1000000"),
}
DEFAULT_WEAK_FLOOR = Decimal("100000")


def income_threshold(key: str) -> Decimal:
    configured = getattr(settings, "JICENG_RURAL_INCOME_THRESHOLDS", None) or {}
    return Decimal(str(configured.get(key, DEFAULT_INCOME_THRESHOLDS[key])))


def income_thresholds() -> dict[str, Decimal]:
    return {key: income_threshold(key) for key in DEFAULT_INCOME_THRESHOLDS}


def weak_floor() -> Decimal:
    return Decimal(str(getattr(settings, "JICENG_RURAL_WEAK_FLOOR", DEFAULT_WEAK_FLOOR)))
