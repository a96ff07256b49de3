"""The core's permission policy: every view and service asks ``can``, nothing else decides."""

from .models import Area, Person, Post
from .roles import EDITOR_ROLES, REVEAL_ROLES, Role
from .scope import scope_of


def can(user, action: str, obj=None) -> bool:
    scope = scope_of(user)
    match action:
        case "view_business":
            return scope.sees_business_data
        case "read":
            # obj: a module key of the role matrix (jiceng/core/access.py).
            return scope.reads(obj)
        case "view_audit":
            return scope.has_role(Role.AUDITOR)
        case "manage_accounts":
            return scope.has_role(Role.SECURITY_ADMIN)
        case "reveal_pii":
            return isinstance(obj, Person) and scope.covers_area(obj.area.code, REVEAL_ROLES)
        case "edit_area":
            return isinstance(obj, Area) and scope.covers_area(obj.code, EDITOR_ROLES)
        case "edit_person":
            return isinstance(obj, Person) and scope.covers_area(obj.area.code, EDITOR_ROLES)
        case "create_person_in":
            return isinstance(obj, Area) and scope.covers_area(obj.code, EDITOR_ROLES)
        case "edit_some_area":
            # Holds an editor role anywhere: may open the forms that pick an area by code.
            return scope.has_role(*EDITOR_ROLES)
        case "edit_post":
            if not isinstance(obj, Post):
                return False
            place = obj.area if obj.area_id else obj.party_org.area
            return scope.covers_area(place.code, EDITOR_ROLES)
    raise ValueError(f"unknown action {action!r}")
