"""Money is stored in 元 (Decimal) and shown in 万元."""

from decimal import ROUND_HALF_UP, Decimal

TEN_THOUSAND = Decimal(10000)


def to_wan(amount) -> Decimal | None:
    """元 -> 万元, rounded to 2 decimals (None stays None)."""
    if amount is None:
        return None
    return (Decimal(amount) / TEN_THOUSAND).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def wan_text(amount) -> str:
    """元 -> 万元 as short text: 500000 -> "50", 125000 -> "12.5"."""
    value = (Decimal(amount) / TEN_THOUSAND).normalize()
    return f"{value:f}"
