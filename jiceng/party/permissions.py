"""The party app's permission policy."""

from jiceng.core.permissions import can as core_can

from .models import PartyOrg


def can(user, action: str, obj=None) -> bool:
    match action:
        case "view":
            return core_can(user, "view_business")
        case "edit_org":
            return isinstance(obj, PartyOrg) and core_can(user, "edit_area", obj.area)
    raise ValueError(f"unknown action {action!r}")
