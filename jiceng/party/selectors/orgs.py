"""Reads of party organizations, filtered by the acting user's scope."""

from django.db.models import Count, Prefetch, QuerySet

from jiceng.core import access, tree
from jiceng.core.errors import NotFound
from jiceng.core.models import Area, Post
from jiceng.core.scope import scope_of

from ..models import PartyOrg


def party_org_list_visible_to(*, user, under: Area | None = None) -> QuerySet:
    """Organizations based in an area of the user's scope, or inside a party-org scope."""
    qs = PartyOrg.objects.filter(
        scope_of(user).party_q("path", "area__code", roles=access.area_roles("party"))
    )
    if under is not None:
        qs = qs.filter(tree.subtree_q("area__code", under.code))
    return qs.select_related("area")


def party_org_tree_visible_to(*, user) -> list[PartyOrg]:
    """Visible organizations in path order with their depth, for an indented tree."""
    return list(
        party_org_list_visible_to(user=user)
        .annotate(child_count=Count("children"))
        .order_by("path")
    )


def party_org_get_for(*, user, pk: int) -> PartyOrg:
    org = (
        party_org_list_visible_to(user=user)
        .filter(pk=pk)
        .select_related("parent")
        .prefetch_related(
            "covered_areas",
            Prefetch(
                "children",
                queryset=PartyOrg.objects.filter(
                    scope_of(user).party_q("path", "area__code", roles=access.area_roles("party"))
                ).order_by("path"),
            ),
            Prefetch(
                "posts",
                queryset=Post.objects.current().select_related("person").order_by("title"),
            ),
        )
        .first()
    )
    if org is None:
        raise NotFound("党组织不存在或不在您的管辖范围内。")
    return org


def party_org_visible_ids(*, user, ids) -> set[int]:
    """Which of these organizations the user may open (to link a parent only when it is)."""
    ids = [i for i in ids if i is not None]
    if not ids:
        return set()
    return set(party_org_list_visible_to(user=user).filter(pk__in=ids).values_list("pk", flat=True))
