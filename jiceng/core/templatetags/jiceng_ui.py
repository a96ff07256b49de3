"""Template helpers of the layout: figures, audit changes."""

from django import template

from ..audit_labels import action_label
from ..money import display_unit, figure_display

register = template.Library()


@register.filter
def figure(value, unit: str = "") -> str:
    """An indicator's value for a card: a share (``Figure.share`` gives 0–1) registered with
    the unit "%" as a percentage, money registered in 元 in 万元; nothing is a dash."""
    return figure_display(value, unit)


@register.filter
def figure_unit(unit: str) -> str:
    return display_unit(unit)


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


@register.filter
def audit_action(code: str) -> str:
    """An audit action code in the auditor's words (``auth.login`` → 登录)."""
    return action_label(code)
