"""The party app's permission policy.

- Every business role may look at the party pages within its scope.
- Editors (district, street and community staff) edit party organizations, register the
  two-new organizations and property companies of their areas, follow up the measures of a
  demonstration point's plan, and run the service centers and activities of their areas.
- Designations of demonstration points (省/市/区 levels) are recorded by the district.
"""

from jiceng.core.permissions import can as core_can
from jiceng.core.roles import EDITOR_ROLES, Role
from jiceng.core.scope import scope_of

from .models import Activity, DemonstrationPoint, Organization, PartyOrg, ServiceCenter


def _covers(user, area) -> bool:
    return scope_of(user).covers_area(area.code, EDITOR_ROLES)


def can(user, action: str, obj=None) -> bool:
    match action:
        case "view":
            return core_can(user, "read", "party")
        case "edit_org":
            return isinstance(obj, PartyOrg) and core_can(user, "edit_area", obj.area)
        case "create_some_organization":
            return scope_of(user).has_role(*EDITOR_ROLES)
        case "edit_organization":
            return isinstance(obj, Organization) and _covers(user, obj.area)
        case "designate_point":
            return scope_of(user).has_role(Role.DISTRICT_ADMIN)
        case "edit_point":
            return isinstance(obj, DemonstrationPoint) and scope_of(user).has_role(
                Role.DISTRICT_ADMIN
            )
        case "edit_measures":
            return isinstance(obj, DemonstrationPoint) and _covers(user, obj.organization.area)
        case "edit_center":
            return isinstance(obj, ServiceCenter) and _covers(user, obj.area)
        case "manage_activity":
            return isinstance(obj, Activity) and _covers(user, obj.center.area)
    raise ValueError(f"unknown action {action!r}")
