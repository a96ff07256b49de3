"""The stations app's permission policy: every view and service asks ``can``.

- Staff with an area role (district, street, community, 总管家, grid steward) see the warm
  stations, riders, check-in counts and the leaderboard of their scope; a grid steward also
  sees the stations of the community their grid belongs to and the riders appointed to it.
- Editors (district, street and community staff) register and edit stations and riders in
  their scope and award recognition; they and the 总管家 appoint riders to grids in scope.
- A rider sees only their own page (reports, points, recognition).
- The public station finder and check-in need no account and show only public facts.
"""

from jiceng.core import access
from jiceng.core.models import Area, AreaKind
from jiceng.core.roles import EDITOR_ROLES, Role
from jiceng.core.scope import scope_of

from .models import GridAppointment, Rider, WarmStation

# Staff who read the module area-wide: the role matrix's area readers (jiceng/core/access.py).
STAFF_ROLES = access.area_roles("stations")
APPOINT_ROLES = EDITOR_ROLES | {Role.CHIEF_STEWARD}
# Areas a station or a rider may belong to.
PLACE_KINDS = (AreaKind.STREET, AreaKind.COMMUNITY, AreaKind.VILLAGE, AreaKind.GRID)


def can(user, action: str, obj=None) -> bool:
    scope = scope_of(user)
    match action:
        case "view":
            return scope.has_role(*STAFF_ROLES)
        case "rider_self":
            return scope.has_role(Role.RIDER)
        case "edit_some":
            return scope.has_role(*EDITOR_ROLES)
        case "place_in":
            return (
                isinstance(obj, Area)
                and obj.kind in PLACE_KINDS
                and scope.covers_area(obj.code, EDITOR_ROLES)
            )
        case "edit_station":
            return isinstance(obj, WarmStation) and scope.covers_area(obj.area.code, EDITOR_ROLES)
        case "edit_rider" | "recognize":
            return isinstance(obj, Rider) and scope.covers_area(obj.area.code, EDITOR_ROLES)
        case "appoint_to":
            return (
                isinstance(obj, Area)
                and obj.kind == AreaKind.GRID
                and scope.covers_area(obj.code, APPOINT_ROLES)
            )
        case "end_appointment":
            return isinstance(obj, GridAppointment) and scope.covers_area(
                obj.grid.code, APPOINT_ROLES
            )
        case "confirm_report":
            # Whoever may close the appeal's loop on its area confirms the report.
            return obj is not None and scope.covers_area(obj.area.code, STAFF_ROLES)
    raise ValueError(f"unknown action {action!r}")
