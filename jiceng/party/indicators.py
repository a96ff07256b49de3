from jiceng.core.indicator_registry import Figure, register


@register("party_orgs", "党组织数", unit="个", order=6)
def party_orgs(*, area, period, user) -> Figure:
    from .selectors import party_org_list_visible_to

    return Figure(party_org_list_visible_to(user=user, under=area).count())
