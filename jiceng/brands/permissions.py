"""The brands app's permission policy: every view and service asks ``can``.

- The roles the matrix (jiceng/core/access.py) opens the module to look at campaigns and at
  the brands within their scope; a judge only at the campaigns it sits on the panel of.
- Editors (district, street and community staff) create and edit the brands of the
  communities in their scope; the district administrator runs the campaigns (thresholds,
  rubric, panel, status).
- Panel members of a campaign score its brands that lie within their own scope (the
  district panel is made of district-wide accounts; membership never widens a scope).
"""

from jiceng.core.models import Area, AreaKind
from jiceng.core.permissions import can as core_can
from jiceng.core.roles import EDITOR_ROLES, Role
from jiceng.core.scope import scope_of

from .models import Brand, BrandPhoto, Campaign, PanelMember


def is_panel_member(user, campaign: Campaign) -> bool:
    if not getattr(user, "is_authenticated", False):
        return False
    return PanelMember.objects.filter(campaign=campaign, user=user).exists()


def can(user, action: str, obj=None) -> bool:
    scope = scope_of(user)
    match action:
        case "view":
            return core_can(user, "read", "brands")
        case "manage_campaigns":
            return scope.has_role(Role.DISTRICT_ADMIN)
        case "create_some_brand":
            return scope.has_role(*EDITOR_ROLES)
        case "create_brand_in":
            return (
                isinstance(obj, Area)
                and obj.kind == AreaKind.COMMUNITY
                and scope.covers_area(obj.code, EDITOR_ROLES)
            )
        case "edit_brand":
            return isinstance(obj, Brand) and scope.covers_area(obj.area.code, EDITOR_ROLES)
        case "edit_photo":
            return isinstance(obj, BrandPhoto) and can(user, "edit_brand", obj.brand)
        case "score":
            return (
                isinstance(obj, Brand)
                and scope.reads("brands")
                and is_panel_member(user, obj.campaign)
            )
        case "score_campaign":
            return (
                isinstance(obj, Campaign) and scope.reads("brands") and is_panel_member(user, obj)
            )
        case "view_sheets":
            return scope.has_role(Role.DISTRICT_ADMIN)
    raise ValueError(f"unknown action {action!r}")
