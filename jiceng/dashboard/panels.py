"""The cockpit's panel registry: each module adds its panels, the dashboard composes them.

A module registers its panels once, from its ``AppConfig.ready()``::

    from jiceng.dashboard.panels import register_panel

    register_panel(
        "rural_income", "村集体经济收入", 300,
        visible=lambda user: rural_can(user, "view"),
        build=rural_income_panel,          # (*, user, area, period) -> dict
    )

``build`` reads through the module's own selectors (scoped by ``user``) and returns plain
JSON data that the page draws; one of:

- ``chart(option)``: an ECharts option dict;
- ``grid_map(map_name, geo_url, option)``: an ECharts map series over a registered GeoJSON;
- ``table(columns, rows)``: rows of strings and numbers;
- ``figures([(label, value, unit), ...])``: headline numbers;
- ``empty(message)``: nothing to show, said in Chinese;
- ``not_applicable()``: the panel means nothing for this area (rural figures of an urban
  community): the page leaves it out.

Panels are sorted by ``order`` (the appeals' panels use 10–90, other modules 100+) and
shown only to users for whom ``visible(user)`` is true. A panel with a ``screen_slot``
also appears on the big screen, in that slot of its layout (``SCREEN_SLOTS``).
"""

from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

# The big screen's layout: three columns of three rows; the centre's map spans two rows.
SCREEN_SLOTS = ("left1", "left2", "left3", "centre", "centre3", "right1", "right2", "right3")


@dataclass(frozen=True)
class Panel:
    key: str
    title: str
    order: int
    visible: Callable
    build: Callable
    # "wide" panels take the whole row of the scoped dashboard; the others half of it.
    wide: bool = False
    screen_slot: str = ""


_PANELS: dict[str, Panel] = {}


def register_panel(
    key: str,
    title: str,
    order: int,
    visible: Callable,
    build: Callable,
    *,
    wide: bool = False,
    screen_slot: str = "",
) -> Panel:
    if screen_slot and screen_slot not in SCREEN_SLOTS:
        raise ValueError(f"unknown screen slot {screen_slot!r}")
    if key in _PANELS and _PANELS[key].build is not build:
        raise ValueError(f"panel {key!r} registered twice")
    panel = Panel(key, title, order, visible, build, wide, screen_slot)
    _PANELS[key] = panel
    return panel


def unregister_panel(key: str) -> None:
    """For tests that register a panel of their own."""
    _PANELS.pop(key, None)


def all_panels() -> list[Panel]:
    return sorted(_PANELS.values(), key=lambda p: (p.order, p.key))


def panels_for(user, *, screen: bool = False) -> list[Panel]:
    """The panels the user may see, in order; on the screen only those with a slot."""
    return [p for p in all_panels() if (p.screen_slot or not screen) and p.visible(user)]


# ---- what a build function returns ------------------------------------------------------


def chart(option: dict) -> dict:
    return {"kind": "chart", "option": option}


def grid_map(map_name: str, geo_url: str, option: dict) -> dict:
    return {"kind": "map", "map": map_name, "geo_url": geo_url, "option": option}


def table(columns: list[str], rows: list[list], *, note: str = "") -> dict:
    return {"kind": "table", "columns": columns, "rows": rows, "note": note}


def figures(items: list[tuple[str, object, str]]) -> dict:
    return {
        "kind": "figures",
        "items": [{"label": label, "value": value, "unit": unit} for label, value, unit in items],
    }


def empty(message: str) -> dict:
    return {"kind": "empty", "message": message}


def not_applicable() -> dict:
    return {"kind": "none"}


def percent(value: Decimal | float | None) -> float | None:
    """A share (0–1) as a percentage with one decimal, for charts; None stays None."""
    return None if value is None else round(float(value) * 100, 1)
