"""Who may open which contest, round, entry and sheet: the scoped querysets and the
lookups every page starts from. Nothing is fetched by id alone."""

from django.db.models import Count, Q, QuerySet

from jiceng.core.errors import NotFound
from jiceng.core.models import Area, RoleAssignment, User
from jiceng.core.roles import Role
from jiceng.core.scope import scope_of

from ..models import (
    AwardBand,
    Contest,
    Criterion,
    Entry,
    Round,
    RoundEntry,
    RoundJudge,
    ScoreSheet,
)
from ..permissions import ADMIN_ROLES, STAFF_ROLES, is_contest_admin


def _admin_q(user, field: str = "area__code") -> Q:
    return scope_of(user).areas_q(field, roles=ADMIN_ROLES)


def _staff_entry_q(user, prefix: str = "") -> Q:
    return scope_of(user).areas_q(f"{prefix}village__code", roles=STAFF_ROLES)


def entry_list_visible_to(*, user, contest: Contest | None = None) -> QuerySet:
    """Entries the user may open: all of an admin's contests, the villages of a staff
    scope, and the entries of a judge's own sheets."""
    visible = (
        _admin_q(user, "contest__area__code")
        | _staff_entry_q(user)
        | Q(pk__in=ScoreSheet.objects.filter(judge=user).values("round_entry__entry"))
    )
    qs = Entry.objects.filter(visible)
    if contest is not None:
        qs = qs.filter(contest=contest)
    return qs.select_related(
        "contest", "village__parent", "presenter_person", "presenter_org"
    ).order_by("contest", "number")


def contest_list_visible_to(*, user) -> QuerySet:
    visible = (
        _admin_q(user)
        | Q(pk__in=Entry.objects.filter(_staff_entry_q(user)).values("contest"))
        | Q(pk__in=RoundJudge.objects.filter(judge=user).values("round__contest"))
    )
    return (
        Contest.objects.filter(visible)
        .select_related("area")
        .annotate(entry_count=Count("entries", distinct=True))
        .order_by("-year", "-id")
    )


def contest_get_for(*, user, pk: int) -> Contest:
    contest = (
        contest_list_visible_to(user=user)
        .filter(pk=pk)
        .select_related("tie_break_criterion")
        .first()
    )
    if contest is None:
        raise NotFound("大赛不存在或不在您的查看范围内。")
    return contest


def round_get_for(*, user, pk: int) -> Round:
    """A round of a contest the user may see."""
    rnd = Round.objects.select_related("contest__area").filter(pk=pk).first()
    if rnd is None:
        raise NotFound("轮次不存在。")
    contest_get_for(user=user, pk=rnd.contest_id)
    return rnd


def entry_get_for(*, user, pk: int) -> Entry:
    entry = entry_list_visible_to(user=user).filter(pk=pk).first()
    if entry is None:
        raise NotFound("参赛项目不存在或不在您的查看范围内。")
    return entry


def _sheet_qs() -> QuerySet:
    return ScoreSheet.objects.select_related(
        "judge__person",
        "round_entry__round__contest__area",
        "round_entry__entry__village__parent",
        "round_entry__entry__presenter_person",
        "round_entry__entry__presenter_org",
    )


def sheet_get_for(*, user, pk: int) -> ScoreSheet:
    """A sheet for its own judge or for the contest admin; for anyone else NotFound."""
    sheet = (
        _sheet_qs()
        .filter(Q(judge=user) | _admin_q(user, "round_entry__round__contest__area__code"), pk=pk)
        .first()
    )
    if sheet is None:
        raise NotFound("评分表不存在或不是分配给您的。")
    return sheet


def admin_areas(*, user) -> list[Area]:
    """Areas where the user may hold a contest: the roots of their admin scope."""
    scope = scope_of(user)
    if scope.is_superuser:
        return list(Area.objects.filter(parent__isnull=True).order_by("code"))
    return list(Area.objects.filter(code__in=scope.area_codes(ADMIN_ROLES)).order_by("code"))


def judge_choices(*, user, contest: Contest) -> list[User]:
    """Accounts holding an active judge role, for the contest admin's panel form."""
    if not is_contest_admin(user, contest):
        return []
    ids = RoleAssignment.objects.active().filter(role=Role.JUDGE).values("user")
    return list(
        User.objects.filter(pk__in=ids, is_active=True)
        .select_related("person")
        .order_by("username")
    )


def judge_choice(*, user, contest: Contest, pk) -> User:
    judge = next((j for j in judge_choices(user=user, contest=contest) if j.pk == pk), None)
    if judge is None:
        raise NotFound("所选账号不是评委。")
    return judge


def criterion_of(*, contest: Contest, pk) -> Criterion:
    criterion = contest.criteria.filter(pk=pk).first()
    if criterion is None:
        raise NotFound("评分项不存在。")
    return criterion


def award_band_of(*, contest: Contest, pk) -> AwardBand:
    band = contest.award_bands.filter(pk=pk).first()
    if band is None:
        raise NotFound("奖项不存在。")
    return band


def entry_of(*, contest: Contest, pk) -> Entry:
    entry = contest.entries.select_related("village").filter(pk=pk).first()
    if entry is None:
        raise NotFound("参赛项目不存在。")
    return entry


def round_entry_of(*, entry: Entry, pk) -> RoundEntry:
    try:
        pk = int(pk)
    except (TypeError, ValueError):
        raise NotFound("轮次不存在。") from None
    row = entry.round_entries.select_related("round__contest", "entry__village").filter(pk=pk)
    found = row.first()
    if found is None:
        raise NotFound("该项目不在这一轮中。")
    return found


def next_round(*, rnd: Round) -> Round | None:
    return (
        Round.objects.filter(contest_id=rnd.contest_id, sequence__gt=rnd.sequence)
        .order_by("sequence")
        .first()
    )


def entry_round_entries(*, entry: Entry) -> list[RoundEntry]:
    return list(entry.round_entries.select_related("round").order_by("round__sequence"))
