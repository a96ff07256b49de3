"""The choices of the entry form: villages, first secretaries and village branches of
the contest's district, and the rows the form picked."""

from datetime import date

from django.db.models import Q, QuerySet

from jiceng.core.errors import NotFound
from jiceng.core.models import Area, AreaKind, Person, Post, PostTitle
from jiceng.party.models import PartyOrg

from ..models import (
    Contest,
)


def village_choices(*, contest: Contest) -> QuerySet:
    return (
        Area.objects.subtree(contest.area.code)
        .filter(kind=AreaKind.VILLAGE)
        .select_related("parent")
        .order_by("code")
    )


def first_secretary_choices(*, contest: Contest, on: date | None = None) -> list[Post]:
    """Posts of 第一书记 in the contest's villages (one per person, the latest)."""
    posts = (
        Post.objects.filter(title=PostTitle.FIRST_SECRETARY)
        .filter(
            Q(area__code__startswith=contest.area.code)
            | Q(party_org__area__code__startswith=contest.area.code)
        )
        .select_related("person", "area", "party_org__area")
        .order_by("person__name", "-starts_on", "id")
    )
    if on is not None:
        posts = posts.current(on)
    seen, out = set(), []
    for post in posts:
        if post.person_id not in seen:
            seen.add(post.person_id)
            out.append(post)
    return out


def village_org_choices(*, contest: Contest) -> QuerySet:
    return (
        PartyOrg.objects.filter(
            area__kind=AreaKind.VILLAGE, area__code__startswith=contest.area.code
        )
        .select_related("area")
        .order_by("area__code", "path")
    )


def person_holds_first_secretary_post(person: Person) -> bool:
    return Post.objects.filter(person=person, title=PostTitle.FIRST_SECRETARY).exists()


def first_secretary_village(person: Person) -> Area | None:
    post = (
        Post.objects.filter(person=person, title=PostTitle.FIRST_SECRETARY)
        .select_related("area", "party_org__area")
        .order_by("-starts_on", "-id")
        .first()
    )
    if post is None:
        return None
    return post.area or post.party_org.area


def entry_form_rows(*, contest: Contest, person_id, org_id, village_code) -> dict:
    """The rows the entry form picked, each within the contest's district."""
    out = {"presenter_person": None, "presenter_org": None, "village": None}
    within = contest.area.code
    if person_id:
        out["presenter_person"] = Person.objects.filter(
            pk=person_id, area__code__startswith=within
        ).first()
        if out["presenter_person"] is None:
            raise NotFound("所选人员不存在。")
    if org_id:
        out["presenter_org"] = (
            PartyOrg.objects.select_related("area")
            .filter(pk=org_id, area__code__startswith=within)
            .first()
        )
        if out["presenter_org"] is None:
            raise NotFound("所选党组织不存在。")
    if village_code:
        out["village"] = Area.objects.filter(
            code=village_code, code__startswith=within, kind=AreaKind.VILLAGE
        ).first()
        if out["village"] is None:
            raise NotFound("所选村不存在。")
    return out
