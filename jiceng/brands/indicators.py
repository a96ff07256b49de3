"""The brands app's indicators: brands of the period's campaigns under the area, and how
many of them stand in each echelon (derived from the panel's sheets, never stored)."""

from jiceng.core.indicator_registry import Figure, register
from jiceng.core.models import AreaKind

from .models import Echelon

THEME = "一街一品"
# Brands are urban communities' (社区党建品牌): no figure for a village alone.
KINDS = (AreaKind.COMMUNITY,)


@register("brands", "社区党建品牌", unit="个", theme=THEME, kinds=KINDS, order=300)
def brands(*, area, period, user) -> Figure:
    from .selectors import brands_in_period

    return Figure(brands_in_period(user=user, area=area, period=period).count())


def _echelon_count(echelon: str):
    def compute(*, area, period, user) -> Figure:
        from .selectors import brands_in_period, echelon_counts

        rows = brands_in_period(user=user, area=area, period=period)
        counts = {c.echelon: c.count for c in echelon_counts(brands=rows)}
        return Figure(counts[echelon])

    return compute


register("brands_leading", "引领梯队品牌", unit="个", theme=THEME, kinds=KINDS, order=301)(
    _echelon_count(Echelon.LEADING)
)
register("brands_pioneering", "先行梯队品牌", unit="个", theme=THEME, kinds=KINDS, order=302)(
    _echelon_count(Echelon.PIONEERING)
)
register("brands_following", "跟进梯队品牌", unit="个", theme=THEME, kinds=KINDS, order=303)(
    _echelon_count(Echelon.FOLLOWING)
)
