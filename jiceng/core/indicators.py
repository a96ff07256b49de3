"""The core's indicators: the structure as it stands today (areas and people are not dated,
so these counts are the same for every period)."""

from .indicator_registry import CURRENT, Figure, register
from .models import AreaKind

THEME = "基本情况"


def _count_areas(kind: str):
    def compute(*, area, period, user) -> Figure:
        from .selectors import area_list_visible_to

        return Figure(area_list_visible_to(user=user, under=area).filter(kind=kind).count())

    return compute


register(
    "streets", "街道数", unit="个", theme=THEME, reads=CURRENT, kinds=[AreaKind.STREET], order=1
)(_count_areas(AreaKind.STREET))
register(
    "communities",
    "社区数",
    unit="个",
    theme=THEME,
    reads=CURRENT,
    kinds=[AreaKind.COMMUNITY],
    order=2,
)(_count_areas(AreaKind.COMMUNITY))
register(
    "villages", "村数", unit="个", theme=THEME, reads=CURRENT, kinds=[AreaKind.VILLAGE], order=3
)(_count_areas(AreaKind.VILLAGE))
register("grids", "网格数", unit="个", theme=THEME, reads=CURRENT, kinds=[AreaKind.GRID], order=4)(
    _count_areas(AreaKind.GRID)
)


@register("people", "在册人员", unit="人", theme=THEME, reads=CURRENT, order=5)
def people(*, area, period, user) -> Figure:
    from .selectors import person_list_visible_to

    return Figure(person_list_visible_to(user=user, under=area).count())
