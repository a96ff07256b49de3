"""The rider's block on the home page (see ``jiceng.core.workbench``): report a problem,
their reports, their points, the nearest open warm station."""

from django.utils import timezone

from jiceng.core.roles import Role
from jiceng.core.workbench import WorkBlock, register_work_block

from . import selectors


def rider_block(*, user, area) -> dict:
    rider = selectors.rider_of_user(user=user)
    if rider is None:
        return {"rider": None}
    month = timezone.localdate().replace(day=1)
    return {
        "rider": rider,
        "reports": list(selectors.rider_reports(viewer=user, rider=rider)[:5]),
        "points_total": selectors.rider_points_total(rider=rider),
        "points_month": selectors.rider_points_since(rider=rider, since=month),
        "month": month,
        "station": selectors.nearest_open_station(rider=rider),
    }


def register_blocks() -> None:
    register_work_block(
        WorkBlock(
            key="stations.rider",
            title="我要上报",
            template="stations/home/_rider.html",
            roles={Role.RIDER},
            build=rider_block,
            order=10,
        )
    )
