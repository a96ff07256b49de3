"""Template helpers of the rural pages: money in 万元, shares and progress."""

from decimal import Decimal

from django import template

from jiceng.core.money import display_unit, figure_display, wan_display

register = template.Library()


@register.filter
def wan(amount) -> str:
    """元 -> "1,234.56" (万元, the one rule of ``jiceng.core.money``); nothing is a dash."""
    return "—" if amount in (None, "") else wan_display(amount)


@register.filter
def pct(share, digits: int = 1) -> str:
    """A share (0–1) as a percentage without the sign; no share is a dash."""
    if share is None:
        return "—"
    return f"{float(share) * 100:.{int(digits)}f}"


@register.filter
def figure_parts(f: dict) -> tuple[str, str]:
    """A registry figure as (value text, unit text) for a card: shares in %, money in 万元,
    by the one rule of every page, the cockpit and ``manage.py indicators``."""
    value, unit = f.get("value"), f.get("unit", "")
    if value is None:
        return "—", ""
    return figure_display(value, unit), display_unit(unit)


@register.filter
def progress_text(value) -> str:
    """A progress or an average with one decimal; nothing (None, or a missing attribute
    the template resolved to "") is a dash."""
    if value is None or value == "":
        return "—"
    return f"{Decimal(value):.1f}"


@register.filter
def bar_width(value, top) -> float:
    """``value`` as a percentage of ``top`` (for a CSS bar), within 0–100."""
    try:
        if not top:
            return 0.0
        return max(0.0, min(100.0, float(value) * 100 / float(top)))
    except (TypeError, ValueError):
        return 0.0


@register.filter
def at_or_above(facts, threshold) -> int:
    """Villages of an ``IncomeFacts`` whose year total is at or above ``threshold`` (元)."""
    return facts.at_or_above(threshold)


@register.filter
def below(facts, floor) -> int:
    return facts.below(floor)


@register.filter(name="age_on")
def age_on_filter(born, on) -> str:
    """Whole years from ``born`` to ``on``; a dash without a birth date."""
    from ..selectors.common import age_on

    return "—" if not born else str(age_on(born, on))


@register.filter
def status_on(dispatch, day) -> str:
    """A dispatch's status (在任/期满/已召回/待派驻) on ``day``."""
    return dispatch.status_label(day)
