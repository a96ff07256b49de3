"""Money is stored in 元 (Decimal) and shown in 万元, rounded one way everywhere: to two
decimals, halves up, trailing zeros dropped (pages, exports, ``manage.py indicators``)."""

from decimal import ROUND_HALF_UP, Decimal

TEN_THOUSAND = Decimal(10000)
CENT = Decimal("0.01")


def to_wan(amount) -> Decimal | None:
    """元 -> 万元, rounded to 2 decimals (None stays None)."""
    if amount is None:
        return None
    return (Decimal(amount) / TEN_THOUSAND).quantize(CENT, rounding=ROUND_HALF_UP)


def wan_display(amount) -> str:
    """元 -> 万元 as text with thousands separators: 1234567 -> "123.46", 500000 -> "50"."""
    value = to_wan(amount)
    if value is None:
        return "—"
    text = f"{value:,.2f}"
    return text.rstrip("0").rstrip(".")


def percent_display(share) -> str:
    """A share (0–1) as a percentage with one decimal: 0.4348 -> "43.5"."""
    if share is None:
        return "—"
    return f"{(Decimal(str(share)) * 100).quantize(Decimal('0.1'), rounding=ROUND_HALF_UP)}"


def display_unit(unit: str) -> str:
    """The unit a figure is shown in: money registered in 元 is shown in 万元."""
    return "万元" if unit == "元" else unit


def figure_display(value, unit: str = "") -> str:
    """An indicator's value as every page, export and the CLI show it."""
    if value is None:
        return "—"
    if unit == "%":
        return percent_display(value)
    if unit == "元":
        return wan_display(value)
    if isinstance(value, int):
        return f"{value:,}"
    if isinstance(value, float | Decimal):
        text = f"{value:,.2f}"
        return text.rstrip("0").rstrip(".") if "." in text else text
    return str(value)
