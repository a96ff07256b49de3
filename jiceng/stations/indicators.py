"""The stations app's indicators: riders serving as part-time grid workers (兼职网格员) and
the warm stations, under an area. For a past period the appointments count as of its last
day; for all time or a period still running, as of today."""

from django.utils import timezone

from jiceng.core.indicator_registry import AS_OF, CURRENT, Figure, register

THEME = "新就业群体"


def _as_of(period):
    today = timezone.localdate()
    return today if period.end is None or period.end > today else period.end


@register("rider_grid_workers", "骑士兼职网格员", unit="人", theme=THEME, reads=AS_OF, order=700)
def rider_grid_workers(*, area, period, user) -> Figure:
    from .selectors import appointed_riders_under

    return Figure(appointed_riders_under(user=user, area=area, on=_as_of(period)).count())


@register("warm_stations", "暖心驿站", unit="个", theme=THEME, reads=CURRENT, order=701)
def warm_stations(*, area, period, user) -> Figure:
    from .selectors import stations_under

    return Figure(stations_under(user=user, area=area).count())


@register("rider_points", "骑士上报确认积分", unit="分", theme=THEME, order=702)
def rider_points(*, area, period, user) -> Figure:
    from .selectors import points_under

    return Figure(points_under(user=user, area=area, period=period))
