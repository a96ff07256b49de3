from django import template

register = template.Library()


@register.inclusion_tag("stations/_open.html")
def station_open(station, now):
    """Whether the station is open at ``now`` (local time) and today's hours."""
    return {"open": station.is_open_at(now), "hours": station.hours_today(now)}


@register.filter
def masked(phone: str) -> str:
    from jiceng.core.masking import mask_phone

    return mask_phone(phone)
