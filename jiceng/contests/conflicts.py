"""The conflict-of-interest rule (回避): no judge scores an entry of their own street.

A judge's streets are read from the person linked to the judge's account:

- the street of the person's own area (where they live or work, ``Person.area``), and
- the street of every post they hold on the day asked about (``Post.area``, or the area
  of the post's party organization).

A street is the first nine digits of an area code (the code is the materialized path), so
an area at district level or above has no street. A judge whose account has no linked
person, or whose person and posts all sit at district level (an expert from outside the
streets), has no street and stands aside from no entry; pages show this as 区级/外部评委.
An entry's street is the street of its village.
"""

from collections.abc import Iterable
from datetime import date

from django.utils import timezone

from jiceng.core.models import CODE_LENGTH, Area, AreaKind, Post, User

STREET_LEN = CODE_LENGTH[AreaKind.STREET]


def street_of(code: str) -> str | None:
    return code[:STREET_LEN] if len(code) >= STREET_LEN else None


def judge_streets_by_user(user_ids: Iterable[int], on: date | None = None) -> dict[int, set[str]]:
    """User id -> the street codes of that judge (two queries for any number of users)."""
    on = on or timezone.localdate()
    streets: dict[int, set[str]] = {}
    person_to_user: dict[int, int] = {}
    for user_id, person_id, area_code in User.objects.filter(pk__in=list(user_ids)).values_list(
        "pk", "person_id", "person__area__code"
    ):
        streets[user_id] = set()
        if person_id is None:
            continue
        person_to_user[person_id] = user_id
        if street := street_of(area_code):
            streets[user_id].add(street)
    if person_to_user:
        posts = (
            Post.objects.current(on)
            .filter(person_id__in=list(person_to_user))
            .values_list("person_id", "area__code", "party_org__area__code")
        )
        for person_id, area_code, org_area_code in posts:
            if street := street_of(area_code or org_area_code or ""):
                streets[person_to_user[person_id]].add(street)
    return streets


def judge_streets(user, on: date | None = None) -> set[str]:
    return judge_streets_by_user([user.pk], on).get(user.pk, set())


def street_names(codes: Iterable[str]) -> dict[str, str]:
    return dict(Area.objects.filter(code__in=list(codes)).values_list("code", "name"))
