"""The rural app's permission policy: every view and service asks ``can``.

Who sees rural data: the district and street staff, a village's own workers (the
community_staff role scoped to the village) and first secretaries (scoped to their village).
Stewards, riders and judges hold business roles but have no business here.

Who writes what:
- a village's profile and ledger: editors (district, street, village staff) over the village;
- projects: editors and the village's first secretary;
- dispatches, trainings, alliances, supporters and pairings: the organizers (district and
  street staff) over the area concerned; a contribution to a village: editors over it.
"""

from jiceng.core import access
from jiceng.core.roles import EDITOR_ROLES, Role
from jiceng.core.scope import scope_of

# The role matrix's area readers of the module (jiceng/core/access.py).
RURAL_ROLES = access.area_roles("rural")
ORGANIZER_ROLES = frozenset({Role.DISTRICT_ADMIN, Role.STREET_STAFF})
PROJECT_ROLES = EDITOR_ROLES | {Role.FIRST_SECRETARY}

# action -> roles that must cover the object's area
_AREA_ACTIONS = {
    "edit_village": EDITOR_ROLES,
    "edit_project": PROJECT_ROLES,
    "manage_first_secretaries": ORGANIZER_ROLES,
    "manage_training": ORGANIZER_ROLES,
    "manage_alliance": ORGANIZER_ROLES,
    "manage_supporter": ORGANIZER_ROLES,
    "record_contribution": EDITOR_ROLES,
    "manage_pairings": ORGANIZER_ROLES,
}
# action -> roles of which one must be held somewhere (to open a form that picks the area)
_ANY_ACTIONS = {
    "view": RURAL_ROLES,
    "import_ledger": EDITOR_ROLES,
    "create_project": PROJECT_ROLES,
    "create_dispatch": ORGANIZER_ROLES,
    "create_training": ORGANIZER_ROLES,
    "create_alliance": ORGANIZER_ROLES,
    "create_supporter": ORGANIZER_ROLES,
}


def _area_code(obj) -> str | None:
    """The code of the area an object belongs to (an Area, or a row with ``area``)."""
    from jiceng.core.models import Area

    if isinstance(obj, Area):
        return obj.code
    area = getattr(obj, "area", None)
    return area.code if isinstance(area, Area) else None


def can(user, action: str, obj=None) -> bool:
    scope = scope_of(user)
    if action in _ANY_ACTIONS:
        return scope.has_role(*_ANY_ACTIONS[action])
    if action in _AREA_ACTIONS:
        code = _area_code(obj)
        return code is not None and scope.covers_area(code, _AREA_ACTIONS[action])
    raise ValueError(f"unknown action {action!r}")
