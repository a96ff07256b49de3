"""Reads shared by the cadres pages: scope helpers and the pickers of people and areas."""

from django.db.models import Count, IntegerField, OuterRef, Q, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce

from jiceng.core.errors import ValidationFailed
from jiceng.core.models import CODE_LENGTH, Area, AreaKind, Person, Post
from jiceng.core.scope import EVERYTHING, scope_of
from jiceng.core.selectors import person_list_visible_to

from ..permissions import ORGANIZER_ROLES

NOTHING = Q(pk__in=[])


def own_person_q(user, field: str) -> Q:
    """Rows about the person behind the account (a secondee sees their own page)."""
    person_id = getattr(user, "person_id", None)
    return Q(**{field: person_id}) if person_id else NOTHING


def offered_from_above_q(user, field: str) -> Q:
    """Rows based at an area above the user's scope (the district's or their street's
    programmes are offered to every community under it)."""
    scope = scope_of(user)
    if scope.is_superuser:
        return EVERYTHING
    lengths = sorted(set(CODE_LENGTH.values()))
    ancestors = {code[:n] for code in scope.area_codes() for n in lengths if n < len(code)}
    return Q(**{f"{field}__in": sorted(ancestors)}) if ancestors else NOTHING


def count_of(model, fk: str, **filters) -> Coalesce:
    """A correlated COUNT of ``model`` rows pointing at the outer row (no join fan-out)."""
    rows = (
        model.objects.filter(**{fk: OuterRef("pk")}, **filters)
        .order_by()
        .values(fk)
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(rows, output_field=IntegerField()), Value(0))


def organizer_area_choices(*, user) -> QuerySet:
    """The district and streets where the user organizes (creates programmes, batches,
    rounds and schemes)."""
    return Area.objects.filter(
        scope_of(user).areas_q("code", roles=ORGANIZER_ROLES),
        kind__in=[AreaKind.DISTRICT, AreaKind.STREET],
    ).order_by("code")


def community_choices(*, user, under: Area | None = None) -> QuerySet:
    qs = Area.objects.filter(
        scope_of(user).areas_q("code", roles=ORGANIZER_ROLES), kind=AreaKind.COMMUNITY
    )
    if under is not None:
        qs = qs.filter(code__startswith=under.code)
    return qs.order_by("code")


def people_holding(*, user, titles, under: Area | None = None, on=None) -> QuerySet:
    """Current posts of these titles at areas in the user's scope, with person and area:
    the pickers' options ("张三（春元里社区·社区党组织书记）")."""
    qs = (
        Post.objects.current(on)
        .filter(title__in=titles)
        .filter(scope_of(user).module_q("cadres", "area__code"))
    )
    if under is not None:
        qs = qs.filter(area__code__startswith=under.code)
    return qs.select_related("person", "area").order_by("area__code", "title", "person__name")


def person_find_for(*, user, text: str) -> Person:
    """The one visible person named by a full ID number or an unambiguous full name."""
    text = (text or "").strip()
    if not text:
        raise ValidationFailed("请输入姓名或身份证号。", field="person")
    qs = person_list_visible_to(user=user, text=text)
    if len(text) != 18:
        qs = qs.filter(name=text)
    found = list(qs[:2])
    if not found:
        raise ValidationFailed(f"没有找到“{text}”，或其不在您的管辖范围内。", field="person")
    if len(found) > 1:
        raise ValidationFailed(f"“{text}”有同名人员，请改为输入身份证号。", field="person")
    return found[0]
