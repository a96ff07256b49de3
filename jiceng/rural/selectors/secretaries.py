"""First secretaries: dispatches and their results, trainings, alliances, supporters.

Results of a dispatch (what the article reports for first secretaries):
- projects introduced: ``Project`` rows whose ``first_secretary`` is the dispatch;
- income change: the village's ledger total of the term's last year (the year the term
  ends by recall or by its planned end, capped at the year looked at) minus its total of
  the year before the dispatch began. When either year has no ledger, the change is
  missing (None) and left out of averages, never counted as 0;
- promotions (提拔重用): the person's posts other than first secretary that began after the
  dispatch began (strictly later), taken from ``core.Post`` history.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet, Sum

from jiceng.core import tree
from jiceng.core.errors import NotFound
from jiceng.core.indicator_registry import Period
from jiceng.core.models import Area, Post, PostTitle

from ..models import (
    AllianceMember,
    CollectiveIncome,
    Contribution,
    FirstSecretary,
    Project,
    ServiceAlliance,
    Supporter,
    TrainingAttendance,
    TrainingSession,
)
from .common import rural_q
from .villages import cents

# ---- dispatches ---------------------------------------------------------------------------


def first_secretary_list_visible_to(
    *, user, under: Area | None = None, period: Period | None = None
) -> QuerySet:
    """Dispatches to villages in the user's scope; with a period, those in office at some
    time within it."""
    qs = FirstSecretary.objects.filter(rural_q(user))
    if under is not None:
        qs = qs.filter(tree.subtree_q("area__code", under.code))
    if period is not None and not period.is_all_time:
        qs = qs.filter(starts_on__lte=period.end).filter(
            Q(recalled_on__gte=period.start)
            | Q(recalled_on__isnull=True, ends_on__gte=period.start)
        )
    return qs.select_related("person", "area", "area__parent")


def first_secretary_get_for(*, user, pk: int) -> FirstSecretary:
    row = first_secretary_list_visible_to(user=user).filter(pk=pk).first()
    if row is None:
        raise NotFound("第一书记选派记录不存在或不在您的管辖范围内。")
    return row


@dataclass
class SecretaryResult:
    dispatch: FirstSecretary
    projects: int
    base_year: int
    end_year: int
    base_income: Decimal | None
    end_income: Decimal | None
    promotions: list[Post] = field(default_factory=list)

    @property
    def increase(self) -> Decimal | None:
        if self.base_income is None or self.end_income is None:
            return None
        return self.end_income - self.base_income

    @property
    def promoted(self) -> bool:
        return bool(self.promotions)


def term_years(dispatch: FirstSecretary, cap_year: int) -> tuple[int, int]:
    """(the year before the dispatch, the term's last year capped at ``cap_year``)."""
    return dispatch.starts_on.year - 1, min(dispatch.term_end.year, cap_year)


def secretary_results(
    *, dispatches: list[FirstSecretary], cap_year: int | None, promoted_within: Period | None = None
) -> list[SecretaryResult]:
    """The results of each dispatch (already scoped by the caller), in three queries.

    ``cap_year`` is the last ledger year looked at (None: no ledger, every change missing);
    ``promoted_within`` keeps only promotions whose post began inside the period."""
    if not dispatches:
        return []
    years = {
        d.pk: term_years(d, cap_year if cap_year is not None else d.term_end.year)
        for d in dispatches
    }
    totals: dict[tuple[int, int], Decimal] = {}
    if cap_year is not None:
        rows = (
            CollectiveIncome.objects.filter(
                area_id__in={d.area_id for d in dispatches},
                year__in={y for pair in years.values() for y in pair},
            )
            .values("area_id", "year")
            .annotate(total=Sum("amount"))
            .order_by()
        )
        totals = {(r["area_id"], r["year"]): cents(r["total"]) for r in rows}
    projects = dict(
        Project.objects.filter(first_secretary__in=[d.pk for d in dispatches])
        .values("first_secretary")
        .annotate(n=Count("id"))
        .order_by()
        .values_list("first_secretary", "n")
    )
    earliest = min(d.starts_on for d in dispatches)
    posts = (
        Post.objects.filter(person_id__in={d.person_id for d in dispatches}, starts_on__gt=earliest)
        .exclude(title=PostTitle.FIRST_SECRETARY)
        .select_related("area", "party_org")
        .order_by("starts_on", "id")
    )
    if promoted_within is not None and not promoted_within.is_all_time:
        posts = posts.filter(promoted_within.date_q("starts_on"))
    later: dict[int, list[Post]] = defaultdict(list)
    for post in posts:
        later[post.person_id].append(post)
    results = []
    for d in dispatches:
        base, end = years[d.pk]
        reachable = cap_year is not None and end > base
        results.append(
            SecretaryResult(
                dispatch=d,
                projects=projects.get(d.pk, 0),
                base_year=base,
                end_year=end,
                base_income=totals.get((d.area_id, base)) if reachable else None,
                end_income=totals.get((d.area_id, end)) if reachable else None,
                promotions=[p for p in later[d.person_id] if p.starts_on > d.starts_on],
            )
        )
    return results


# ---- trainings ----------------------------------------------------------------------------


def training_list_visible_to(*, user) -> QuerySet:
    """Sessions organized in the user's scope, or attended by a dispatch in it (a first
    secretary sees the district's trainings they were called to)."""
    attended = TrainingAttendance.objects.filter(session=OuterRef("pk")).filter(
        rural_q(user, "first_secretary__area__code")
    )
    return (
        TrainingSession.objects.filter(Q(rural_q(user)) | Q(Exists(attended)))
        .select_related("area")
        .annotate(
            present=Count("attendance", filter=Q(attendance__status="present")),
            called=Count("attendance"),
        )
        .order_by("-held_on", "id")
    )


def training_get_for(*, user, pk: int) -> TrainingSession:
    row = training_list_visible_to(user=user).filter(pk=pk).first()
    if row is None:
        raise NotFound("培训记录不存在或不在您的管辖范围内。")
    return row


def training_attendance_visible(*, user, session: TrainingSession) -> QuerySet:
    """The attendance rows of dispatches the user sees (others' names stay hidden)."""
    return (
        TrainingAttendance.objects.filter(session=session)
        .filter(rural_q(user, "first_secretary__area__code"))
        .select_related("first_secretary__person", "first_secretary__area")
        .order_by("first_secretary__area__code")
    )


def training_eligible(*, user, session: TrainingSession) -> QuerySet:
    """Dispatches in office on the day, in the session's area and the user's scope."""
    return (
        first_secretary_list_visible_to(user=user, under=session.area)
        .filter(starts_on__lte=session.held_on)
        .filter(
            Q(recalled_on__gte=session.held_on)
            | Q(recalled_on__isnull=True, ends_on__gte=session.held_on)
        )
        .order_by("area__code")
    )


def attendance_summary(*, dispatches: list[FirstSecretary]) -> dict[int, tuple[int, int]]:
    """Dispatch id -> (sessions present, sessions called to)."""
    rows = (
        TrainingAttendance.objects.filter(first_secretary__in=[d.pk for d in dispatches])
        .values("first_secretary")
        .annotate(present=Count("id", filter=Q(status="present")), called=Count("id"))
        .order_by()
    )
    return {r["first_secretary"]: (r["present"], r["called"]) for r in rows}


# ---- alliances ----------------------------------------------------------------------------


def alliance_list_visible_to(*, user) -> QuerySet:
    member_here = AllianceMember.objects.filter(alliance=OuterRef("pk")).filter(
        rural_q(user, "first_secretary__area__code")
    )
    return (
        ServiceAlliance.objects.filter(Q(rural_q(user)) | Q(Exists(member_here)))
        .select_related("area")
        .annotate(member_count=Count("alliancemember"))
        .order_by("area__code", "name")
    )


def alliance_get_for(*, user, pk: int) -> ServiceAlliance:
    row = alliance_list_visible_to(user=user).filter(pk=pk).first()
    if row is None:
        raise NotFound("服务联盟不存在或不在您的管辖范围内。")
    return row


def alliance_members_visible(*, user, alliance: ServiceAlliance) -> QuerySet:
    return (
        AllianceMember.objects.filter(alliance=alliance)
        .filter(rural_q(user, "first_secretary__area__code"))
        .select_related("first_secretary__person", "first_secretary__area")
        .order_by("-is_leader", "first_secretary__area__code")
    )


def alliances_of(*, user, dispatch: FirstSecretary) -> QuerySet:
    return alliance_list_visible_to(user=user).filter(alliancemember__first_secretary=dispatch)


# ---- supporters ---------------------------------------------------------------------------


def contribution_list_visible_to(*, user, under: Area | None = None) -> QuerySet:
    qs = Contribution.objects.filter(rural_q(user))
    if under is not None:
        qs = qs.filter(tree.subtree_q("area__code", under.code))
    return qs.select_related("supporter", "area").order_by("-given_on", "id")


def supporter_list_visible_to(*, user) -> QuerySet:
    """Supporters registered in the user's scope or helping a village in it."""
    helps_here = Contribution.objects.filter(supporter=OuterRef("pk")).filter(rural_q(user))
    return (
        Supporter.objects.filter(Q(rural_q(user)) | Q(Exists(helps_here)))
        .select_related("area")
        .order_by("name")
    )


def supporter_get_for(*, user, pk: int) -> Supporter:
    row = (
        supporter_list_visible_to(user=user)
        .filter(pk=pk)
        .prefetch_related(
            Prefetch(
                "contributions",
                queryset=Contribution.objects.filter(rural_q(user))
                .select_related("area")
                .order_by("-given_on", "id"),
                to_attr="visible_contributions",
            )
        )
        .first()
    )
    if row is None:
        raise NotFound("帮扶力量不存在或不在您的管辖范围内。")
    return row


def supporter_totals(*, user, supporters: list[Supporter]) -> dict[int, tuple[int, Decimal]]:
    """Supporter id -> (villages helped, money value given) within the user's scope."""
    rows = (
        Contribution.objects.filter(rural_q(user), supporter__in=[s.pk for s in supporters])
        .values("supporter")
        .annotate(villages=Count("area", distinct=True), amount=Sum("amount"))
        .order_by()
    )
    return {r["supporter"]: (r["villages"], cents(r["amount"] or 0)) for r in rows}
