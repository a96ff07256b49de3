"""Reads of assessments: schemes, the scores of the people in the user's scope, and the
头雁 roster derived from them."""

from django.db.models import F, Prefetch, QuerySet

from jiceng.core.errors import NotFound
from jiceng.core.scope import scope_of

from ..models import (
    Assessment,
    AssessmentCriterion,
    AssessmentScheme,
    AssessmentScore,
    AssessmentTerm,
)
from .common import count_of, offered_from_above_q


def _assessment_qs(user) -> QuerySet:
    return Assessment.objects.filter(scope_of(user).module_q("cadres", "area__code"))


def scheme_list_visible_to(*, user) -> QuerySet:
    """Schemes set inside the user's scope or above it (the district's apply to every
    street), with how many visible assessments use them."""
    return (
        AssessmentScheme.objects.filter(
            scope_of(user).module_q("cadres", "area__code")
            | offered_from_above_q(user, "area__code")
        )
        .select_related("area")
        .annotate(
            criterion_count=count_of(AssessmentCriterion, "scheme"),
            assessment_count=count_of(
                Assessment, "scheme", pk__in=_assessment_qs(user).values("pk")
            ),
        )
        .order_by("name", "id")
    )


def scheme_get_for(*, user, pk: int) -> AssessmentScheme:
    scheme = (
        scheme_list_visible_to(user=user)
        .filter(pk=pk)
        .prefetch_related(
            Prefetch("criteria", queryset=AssessmentCriterion.objects.order_by("position", "id"))
        )
        .first()
    )
    if scheme is None:
        raise NotFound("考评方案不存在或不在您的管辖范围内。")
    return scheme


def assessment_list_for(
    *, user, scheme: AssessmentScheme, year: int | None = None, term: str = ""
) -> QuerySet:
    qs = _assessment_qs(user).filter(scheme=scheme)
    if year:
        qs = qs.filter(year=year)
    if term:
        qs = qs.filter(term=term)
    return (
        qs.select_related("person", "area")
        .prefetch_related(
            Prefetch("scores", queryset=AssessmentScore.objects.order_by("criterion_id"))
        )
        .order_by("-year", "term", "-total", "person__name", "id")
    )


def leader_roster(*, user, year: int) -> QuerySet:
    """The 头雁 roster of a year: annual assessments, in the user's scope, of schemes with a
    leader threshold, whose total reaches it; highest first."""
    return (
        _assessment_qs(user)
        .filter(
            year=year,
            term=AssessmentTerm.ANNUAL,
            scheme__leader_threshold__isnull=False,
            total__gte=F("scheme__leader_threshold"),
        )
        .select_related("person", "area", "area__parent", "scheme")
        .order_by("-total", "person__name", "id")
    )


def leader_person_ids(*, person_ids, year: int | None = None) -> set[int]:
    """Which of these people are on a 头雁 roster (of ``year``, or of any year). Names only:
    callers show a badge next to people they already may see."""
    qs = Assessment.objects.filter(
        person_id__in=[p for p in person_ids if p],
        term=AssessmentTerm.ANNUAL,
        scheme__leader_threshold__isnull=False,
        total__gte=F("scheme__leader_threshold"),
    )
    if year:
        qs = qs.filter(year=year)
    return set(qs.values_list("person_id", flat=True))


def assessment_years_for(*, user) -> list[int]:
    """Years with assessments in the user's scope, latest first (the year filter)."""
    return sorted(set(_assessment_qs(user).values_list("year", flat=True)), reverse=True)
