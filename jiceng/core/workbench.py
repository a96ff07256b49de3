"""The home page's work items: each app registers the blocks a role works from, so the
home composes them without importing any app's models.

From an app's ``AppConfig.ready``::

    from jiceng.core.workbench import WorkBlock, register_work_block

    register_work_block(WorkBlock(
        key="appeals.todo", title="我的待办", template="appeals/home/_todo.html",
        roles={Role.GRID_STEWARD, Role.SHARED_STEWARD, Role.CHIEF_STEWARD},
        build=todo_block, order=10,
    ))

``build(*, user, area)`` reads through the app's scoped selectors and returns the
template's context, or None when the block has nothing to say to this user (a rider
account without a rider record). A user sees the blocks of every role they hold, once.
"""

from collections.abc import Callable
from dataclasses import dataclass

from .roles import Role
from .scope import scope_of


@dataclass(frozen=True)
class WorkBlock:
    key: str
    title: str
    template: str
    roles: frozenset[str]
    build: Callable
    order: int = 100


_BLOCKS: dict[str, WorkBlock] = {}


def register_work_block(block: WorkBlock) -> None:
    _BLOCKS[block.key] = WorkBlock(**{**block.__dict__, "roles": frozenset(block.roles)})


def work_blocks() -> list[WorkBlock]:
    return sorted(_BLOCKS.values(), key=lambda b: (b.order, b.key))


def blocks_for(*, user, area) -> list[dict]:
    """The blocks of the user's roles with their data, in order; empty ones left out."""
    scope = scope_of(user)
    out = []
    for block in work_blocks():
        if scope.is_superuser or not (block.roles & scope.roles):
            continue
        data = block.build(user=user, area=area)
        if data is None:
            continue
        out.append({"block": block, "data": data})
    return out


# The themes of the figures each role's home shows under its work, in this order (the
# district's themed overview has them all). Roles absent here see no figures on their home:
# a rider, a judge or a shared steward has work, not a district's statistics.
THEMES = ["接诉即办", "红色物业·两新", "乡村振兴", "队伍建设", "一街一品", "新就业群体", "基本情况"]
ROLE_THEMES: dict[str, list[str]] = {
    Role.DISTRICT_ADMIN: THEMES,
    Role.STREET_STAFF: THEMES,
    Role.COMMUNITY_STAFF: THEMES,
    Role.CHIEF_STEWARD: ["接诉即办"],
    Role.GRID_STEWARD: ["接诉即办"],
    Role.FIRST_SECRETARY: ["乡村振兴"],
}


def themes_for(user) -> list[str]:
    scope = scope_of(user)
    if scope.is_superuser:
        return THEMES
    wanted = {t for role in scope.roles for t in ROLE_THEMES.get(role, [])}
    return [t for t in THEMES if t in wanted]
