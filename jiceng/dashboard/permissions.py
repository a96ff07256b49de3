"""The cockpit's permission policy."""

from jiceng.core.permissions import can as core_can
from jiceng.core.roles import Role
from jiceng.core.scope import scope_of

# The big screen shows a district's or a street's figures on a wall.
SCREEN_ROLES = frozenset({Role.DISTRICT_ADMIN, Role.STREET_STAFF})


def can(user, action: str, obj=None) -> bool:
    match action:
        case "view":
            # The roles the matrix opens the cockpit to (not the system roles, not the
            # judge, the rider or the shared steward).
            return core_can(user, "read", "dashboard")
        case "view_screen":
            return scope_of(user).has_role(*SCREEN_ROLES)
    raise ValueError(f"unknown action {action!r}")
