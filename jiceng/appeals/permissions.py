"""The appeals' permission policy: views, API and services ask ``can``, nothing else decides."""

from jiceng.core import access
from jiceng.core.roles import Role
from jiceng.core.scope import scope_of

from .models import Appeal

# Roles that see every appeal of their area subtree: the role matrix's area readers.
AREA_ROLES = access.area_roles("appeals")
# Roles that dispatch, re-dispatch, record callbacks and reject for their subtree.
DISPATCH_ROLES = frozenset(
    {Role.DISTRICT_ADMIN, Role.STREET_STAFF, Role.COMMUNITY_STAFF, Role.CHIEF_STEWARD}
)
# Roles that may take an appeal from their area's pool.
CLAIM_ROLES = frozenset({Role.GRID_STEWARD, Role.CHIEF_STEWARD})
STEWARD_ROLES = frozenset({Role.CHIEF_STEWARD, Role.GRID_STEWARD, Role.SHARED_STEWARD})
# Staff who take appeals at the window, on the phone, from 12345 or on a visit.
INTAKE_ROLES = frozenset(
    {
        Role.DISTRICT_ADMIN,
        Role.STREET_STAFF,
        Role.COMMUNITY_STAFF,
        Role.CHIEF_STEWARD,
        Role.GRID_STEWARD,
    }
)
# Every role the matrix opens the appeals to: area readers, and the shared steward and the
# rider, who read only their own (the appeals handed to them, the reports they made).
VIEW_ROLES = access.reading_roles("appeals")


def _covers(scope, appeal: Appeal, roles) -> bool:
    return scope.covers_area(appeal.area.code, roles)


def _in_pool_of_grid(scope, appeal: Appeal) -> bool:
    """A community's pool is open to the grid stewards of that community."""
    code = appeal.area.code
    return len(code) == 12 and any(
        c.startswith(code) for c in scope.area_codes([Role.GRID_STEWARD])
    )


def can(user, action: str, obj: Appeal | None = None) -> bool:
    scope = scope_of(user)
    person_id = getattr(user, "person_id", None)
    owns = obj is not None and person_id is not None and obj.owner_id == person_id
    match action:
        case "view":
            return scope.has_role(*VIEW_ROLES)
        case "view_area_queues":
            # The queues of an area (grids, community, pool, overdue, supervised).
            return scope.is_superuser or bool(scope.reach_roles("appeals", access.AREA))
        case "view_queue":
            return scope.has_role(*(AREA_ROLES | STEWARD_ROLES))
        case "intake":
            return scope.has_role(*INTAKE_ROLES)
        case "rider_report":
            return scope.has_role(Role.RIDER)
        case "bulk_dispatch":
            return scope.has_role(Role.CHIEF_STEWARD, Role.COMMUNITY_STAFF)
        case "manage_webhooks":
            return scope.has_role(Role.DISTRICT_ADMIN)
        case "api_submit":
            # A token acts as its account, inside the account's row of the role matrix.
            return scope.reads("api")
        case "dispatch" | "callback":
            return obj is not None and _covers(scope, obj, DISPATCH_ROLES)
        case "claim":
            return (
                obj is not None
                and person_id is not None
                and (_covers(scope, obj, CLAIM_ROLES) or _in_pool_of_grid(scope, obj))
            )
        case "handle":
            return owns
        case "reject":
            return owns or (obj is not None and _covers(scope, obj, DISPATCH_ROLES))
        case "note":
            return owns or (obj is not None and _covers(scope, obj, AREA_ROLES))
        case "reveal_phone":
            # Only the steward handling the appeal calls the resident; everyone else sees
            # the number masked.
            return owns
    raise ValueError(f"unknown action {action!r}")
