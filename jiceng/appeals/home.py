"""The appeals' blocks on each role's home page (see ``jiceng.core.workbench``)."""

from django.utils import timezone

from jiceng.core.roles import Role
from jiceng.core.workbench import WorkBlock, register_work_block

from . import selectors
from .permissions import STEWARD_ROLES, can
from .stats.rankings import standing

DESK_ROLES = {Role.COMMUNITY_STAFF, Role.STREET_STAFF, Role.CHIEF_STEWARD}
RATE_ROLES = {Role.COMMUNITY_STAFF, Role.STREET_STAFF}


def todo_block(*, user, area) -> dict | None:
    if not getattr(user, "person_id", None):
        return None
    return {
        **selectors.my_work(user=user),
        "can_intake": can(user, "intake"),
    }


def desk_block(*, user, area) -> dict | None:
    return selectors.dispatch_desk(user=user, area=area)


def rates_block(*, user, area) -> dict | None:
    month = timezone.localdate().replace(day=1)
    s = standing(user=user, area=area, month=month)
    if s is None:
        return None
    return {"s": s, "month": month, "area": area}


def register_blocks() -> None:
    register_work_block(
        WorkBlock(
            key="appeals.todo",
            title="我的待办",
            template="appeals/home/_todo.html",
            roles=STEWARD_ROLES,
            build=todo_block,
            order=10,
        )
    )
    register_work_block(
        WorkBlock(
            key="appeals.desk",
            title="派单与督办",
            template="appeals/home/_desk.html",
            roles=DESK_ROLES,
            build=desk_block,
            order=20,
        )
    )
    register_work_block(
        WorkBlock(
            key="appeals.rates",
            title="本月三率",
            template="appeals/home/_rates.html",
            roles=RATE_ROLES,
            build=rates_block,
            order=25,
        )
    )
