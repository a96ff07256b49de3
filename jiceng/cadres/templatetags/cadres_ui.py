"""Template helpers of the cadres pages: the policy's answers and status badges."""

from django import template

from ..permissions import can

register = template.Library()

BADGES = {
    # work items
    "planned": "text-bg-light border",
    "in_progress": "text-bg-primary",
    "done": "text-bg-success",
    # attendance
    "attended": "text-bg-success",
    "leave": "text-bg-warning",
    "absent": "text-bg-danger",
    # secondees
    "active": "text-bg-primary",
    "completed": "text-bg-success",
    "withdrawn": "text-bg-secondary",
    # applications
    "submitted": "text-bg-light border",
    "eligible": "text-bg-info",
    "ineligible": "text-bg-danger",
    "proposed": "text-bg-success",
    "not_proposed": "text-bg-secondary",
    "appointed": "text-bg-success",
    # rounds
    "open": "text-bg-primary",
    "screened": "text-bg-info",
    "ranked": "text-bg-warning",
    "publicity": "text-bg-danger",
}


@register.simple_tag
def cadres_can(user, action: str, obj=None) -> bool:
    return can(user, action, obj)


@register.filter
def badge(status: str) -> str:
    return BADGES.get(status, "text-bg-secondary")
