"""The contests' permission policy.

- Contest admins are the district administrators whose scope covers the contest's area:
  they set a contest up, see every entry, sheet and score, and alone change a submitted
  sheet (with a reason).
- A judge scores the sheets assigned to them and sees nothing else of the contest: not
  the other entries, not the other judges' scores, not the ranking.
- Other staff see the entries of villages in their scope and those entries' results; the
  module opens to staff whose scope can hold a village at all.
"""

from jiceng.core import access
from jiceng.core.permissions import can as core_can
from jiceng.core.roles import Role
from jiceng.core.scope import scope_of

from .models import Contest, ScoreSheet

ADMIN_ROLES = frozenset({Role.DISTRICT_ADMIN})
# Roles whose area scope shows entries (the role matrix's area readers of the module); the
# judge's reach is its own: its assigned sheets, whatever area it is scoped to.
STAFF_ROLES = access.area_roles("contests")
# Entries sit in villages. A village's code has 12 digits, and the official 统计用区划代码
# numbers a street's 村委会 from 200 up (001–199 are 居委会, see shared/data/README.md).
VILLAGE_CODE_LEN = 12
VILLAGE_SEQUENCE_FROM = 200


def is_contest_admin(user, contest: Contest) -> bool:
    return scope_of(user).covers_area(contest.area.code, ADMIN_ROLES)


def _scope_holds_villages(user) -> bool:
    """Whether the user's staff scope can hold a village, and so an entry: a district or a
    street, or a village itself. Read off the scope's codes, without a query, because the
    sidebar asks on every page of every module. (A street without villages passes too:
    its staff find the module empty.)"""
    for code in scope_of(user).area_codes(STAFF_ROLES):
        if len(code) < VILLAGE_CODE_LEN:
            return True
        if len(code) == VILLAGE_CODE_LEN and int(code[-3:]) >= VILLAGE_SEQUENCE_FROM:
            return True
    return False


def can(user, action: str, obj=None) -> bool:
    scope = scope_of(user)
    match action:
        case "view_module":
            if not core_can(user, "read", "contests"):
                return False
            return scope.has_role(*ADMIN_ROLES, Role.JUDGE) or _scope_holds_villages(user)
        case "create_contest":
            # obj: the area the contest would belong to, or None for "anywhere".
            if obj is None:
                return scope.has_role(*ADMIN_ROLES)
            return scope.covers_area(obj.code, ADMIN_ROLES)
        case "manage":
            return isinstance(obj, Contest) and is_contest_admin(user, obj)
        case "judge":
            return scope.has_role(Role.JUDGE)
        case "score":
            return (
                isinstance(obj, ScoreSheet)
                and obj.judge_id == user.pk
                and scope.has_role(Role.JUDGE)
            )
        case "correct":
            return isinstance(obj, ScoreSheet) and is_contest_admin(
                user, obj.round_entry.round.contest
            )
    raise ValueError(f"unknown action {action!r}")
