"""The brand wall as a spreadsheet (see ``jiceng.core.exports``)."""

from jiceng.core.exports import Column, ListExport, register_export

from . import selectors
from .permissions import can


def _wall(*, user, params):
    year = params.get("year", "")
    campaign = selectors.campaign_for_wall(
        user=user, year=int(year) if len(year) == 4 and year.isascii() and year.isdigit() else None
    )
    if campaign is None:
        return []
    return selectors.brand_results(user=user, campaign=campaign)


register_export(
    ListExport(
        key="brands.wall",
        title="社区党建品牌",
        columns=(
            Column("名次", lambda b: b.rank),
            Column("品牌名称", lambda b: b.name),
            Column("社区", lambda b: b.area.name),
            Column("街道", lambda b: b.street.name if b.street else ""),
            Column("品牌方向", lambda b: b.get_focus_display()),
            Column("得分", lambda b: b.score),
            Column("梯队", lambda b: b.echelon_label),
            Column("行动", lambda b: b.campaign.name),
        ),
        rows=_wall,
        allowed=lambda user: can(user, "view"),
    )
)
