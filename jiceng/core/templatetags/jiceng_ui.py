"""Template helpers of the layout: figures, audit changes."""

from decimal import Decimal

from django import template

register = template.Library()


@register.filter
def figure(value, unit: str = "") -> str:
    """An indicator's value for a card. A share (``Figure.share`` gives 0–1) registered with
    the unit "%" is shown as a percentage; no value at all is a dash."""
    if value is None:
        return "—"
    if unit == "%":
        return f"{float(value) * 100:.1f}"
    if isinstance(value, int):
        return f"{value:,}"
    if isinstance(value, float | Decimal):
        text = f"{value:,.2f}"
        return text.rstrip("0").rstrip(".") if "." in text else text
    return str(value)


def _plain(value) -> str | None:
    """A logged value as a reader wants it: mappings as "key=value", lists comma-joined."""
    if value is None or value == "":
        return None
    if isinstance(value, dict):
        return "，".join(f"{k}={_plain(v) or '—'}" for k, v in value.items())
    if isinstance(value, list | tuple):
        return "，".join(_plain(v) or "—" for v in value)
    return str(value)


@register.filter
def change_rows(changes) -> list[tuple[str, str | None, str | None]]:
    """An audit row's ``changes`` ({field: [before, after]}) as rows for a table."""
    if not isinstance(changes, dict):
        return []
    rows = []
    for field, value in changes.items():
        if isinstance(value, list | tuple) and len(value) == 2:
            rows.append((field, _plain(value[0]), _plain(value[1])))
        else:
            rows.append((field, None, _plain(value)))
    return rows


@register.filter
def get_item(mapping, key):
    """``mapping[key]``, or an empty list when the key is absent (for lookups by id)."""
    if not mapping:
        return []
    return mapping.get(key, [])
