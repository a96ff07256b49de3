"""Money is stored in 元 (Decimal) and shown in 万元."""

from decimal import Decimal

from jiceng.core.money import TEN_THOUSAND, to_wan

__all__ = ["TEN_THOUSAND", "to_wan", "wan_text"]


def wan_text(amount) -> str:
    """元 -> 万元 as short text: 500000 -> "50", 125000 -> "12.5"."""
    value = (Decimal(amount) / TEN_THOUSAND).normalize()
    return f"{value:f}"
