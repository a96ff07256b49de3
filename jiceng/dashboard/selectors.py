"""The cockpit's reads: which area and period a user looks at, and the grids' GeoJSON.

Everything else the cockpit shows comes from the other apps' selectors, through the
panels (``panels.py``); nothing here counts appeals.
"""

from datetime import date

from django.core.cache import cache
from django.utils import timezone

from jiceng.appeals.selectors import appeal_list_visible_to
from jiceng.core.models import Area, AreaKind
from jiceng.core.scope import scope_of
from jiceng.core.selectors import (
    SWITCHABLE_KINDS,
    area_current_for,
    area_get_for,
    area_list_visible_to,
    area_scope_roots,
)

GEO_CACHE_SECONDS = 3600
# Coordinates keep 5 decimals (about a metre): the district's 1,100 grids stay small.
GEO_DECIMALS = 5
AREA_CHOICES_LIMIT = 400


def dashboard_area_for(*, user, code: str | None, current: str | None = None) -> Area | None:
    """The area asked for (NotFound when outside the scope); without one, the area chosen
    with the layout's switcher (``current``), else the user's first scope root."""
    if code:
        return area_get_for(user=user, code=code)
    return area_current_for(user=user, code=current)


def dashboard_area_choices(*, user) -> list[Area]:
    """The area picker: the scope roots and the administrative areas under them."""
    roots = area_scope_roots(user=user)
    below = (
        area_list_visible_to(user=user)
        .filter(kind__in=SWITCHABLE_KINDS)
        .exclude(code__in=[r.code for r in roots])
        .only("code", "name", "kind", "depth")
        .order_by("code")[:AREA_CHOICES_LIMIT]
    )
    return sorted([*roots, *below], key=lambda a: a.code)


def latest_appeal_day(*, user, area: Area) -> date | None:
    """The day the newest appeal of the area that the user sees was received (one indexed
    query): the default period is the month holding it, so the charts are not empty."""
    newest = (
        appeal_list_visible_to(user=user, area=area)
        .order_by("-submitted_at")
        .values_list("submitted_at", flat=True)
        .first()
    )
    return timezone.localdate(newest) if newest else None


def _rounded(coords):
    if isinstance(coords, (int, float)):
        return round(coords, GEO_DECIMALS)
    return [_rounded(c) for c in coords]


def _grid_features(area: Area) -> dict:
    rows = (
        Area.objects.subtree(area.code)
        .filter(kind=AreaKind.GRID, boundary__isnull=False)
        .order_by("code")
        .values_list("code", "name", "boundary")
    )
    features = []
    for code, name, boundary in rows:
        if not isinstance(boundary, dict) or boundary.get("type") not in (
            "Polygon",
            "MultiPolygon",
        ):
            continue  # a malformed boundary draws nothing rather than breaking the map
        features.append(
            {
                "type": "Feature",
                "properties": {"name": code, "title": name},
                "geometry": {
                    "type": boundary["type"],
                    "coordinates": _rounded(boundary.get("coordinates", [])),
                },
            }
        )
    return {"type": "FeatureCollection", "features": features}


def grid_geojson(*, user, area: Area) -> dict:
    """The boundaries of the grids under ``area`` as a FeatureCollection (feature name =
    grid code, ``title`` = its name), cached per area.

    Precondition: ``area`` lies in the user's scope (the caller fetched it with
    ``dashboard_area_for``). A scope covers whole subtrees, so every grid under an area in
    scope is in scope too, and the cached collection is the same for everyone who may see
    the area.
    """
    if not scope_of(user).covers_for("dashboard", area.code):
        return {"type": "FeatureCollection", "features": []}
    key = f"dashboard:grid-geo:v1:{area.code}"
    return cache.get_or_set(key, lambda: _grid_features(area), GEO_CACHE_SECONDS)
