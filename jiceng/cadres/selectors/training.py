"""Reads of training: programmes offered to or run inside the user's scope, sessions,
sign-up lists, attendance, hours per person per year and who missed what."""

from decimal import Decimal

from django.db.models import (
    Count,
    DecimalField,
    Exists,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Sum,
    Value,
)
from django.db.models.functions import Coalesce

from jiceng.core import tree
from jiceng.core.errors import NotFound
from jiceng.core.indicator_registry import Period
from jiceng.core.models import Area
from jiceng.core.scope import scope_of

from ..models import (
    Attendance,
    AttendanceStatus,
    Enrolment,
    TrainingProgramme,
    TrainingSession,
)
from ..models.training import AUDIENCE_TITLES
from ..permissions import can
from .common import count_of, offered_from_above_q, own_person_q, people_holding

MISSED = (AttendanceStatus.LEAVE, AttendanceStatus.ABSENT)
ZERO_HOURS = Value(Decimal("0"), output_field=DecimalField(max_digits=8, decimal_places=1))


def _enrolment_q(user, prefix: str = "") -> Q:
    """Sign-ups the user may see: of people in their scope, of programmes they run, or
    their own."""
    scope = scope_of(user)
    return (
        scope.module_q("cadres", f"{prefix}area__code")
        | scope.module_q("cadres", f"{prefix}programme__area__code")
        | own_person_q(user, f"{prefix}person_id")
    )


def programme_list_visible_to(*, user, year: int | None = None) -> QuerySet:
    """Programmes run inside the scope, offered from above it, or with a visible sign-up."""
    scope = scope_of(user)
    visible_enrolment = Enrolment.objects.filter(programme=OuterRef("pk")).filter(
        _enrolment_q(user)
    )
    qs = TrainingProgramme.objects.filter(
        scope.module_q("cadres", "area__code")
        | offered_from_above_q(user, "area__code")
        | Q(Exists(visible_enrolment))
    )
    if year:
        qs = qs.filter(year=year)
    return (
        qs.select_related("area")
        .annotate(
            session_count=count_of(TrainingSession, "programme"),
            hours_total=Coalesce(Sum("sessions__hours"), ZERO_HOURS),
        )
        .order_by("-year", "name", "id")
    )


def programme_get_for(*, user, pk: int) -> TrainingProgramme:
    programme = programme_list_visible_to(user=user).filter(pk=pk).first()
    if programme is None:
        raise NotFound("培训项目不存在或不在您的管辖范围内。")
    return programme


def session_list_for(*, user, programme: TrainingProgramme) -> QuerySet:
    """The programme's sessions with attendance counts over the sign-ups the user sees."""
    visible = Q(attendance__enrolment__in=Enrolment.objects.filter(_enrolment_q(user)))
    return programme.sessions.annotate(
        attended=Count(
            "attendance", filter=visible & Q(attendance__status=AttendanceStatus.ATTENDED)
        ),
        missed=Count("attendance", filter=visible & Q(attendance__status__in=MISSED)),
    ).order_by("held_on", "id")


def enrolment_list_for(*, user, programme: TrainingProgramme) -> QuerySet:
    """Visible sign-ups of the programme with each person's attended sessions, hours and
    misses in it."""
    return (
        programme.enrolments.filter(_enrolment_q(user))
        .select_related("person", "area")
        .annotate(
            attended=Count("attendance", filter=Q(attendance__status=AttendanceStatus.ATTENDED)),
            hours=Coalesce(
                Sum(
                    "attendance__session__hours",
                    filter=Q(attendance__status=AttendanceStatus.ATTENDED),
                ),
                ZERO_HOURS,
            ),
            missed=Count("attendance", filter=Q(attendance__status__in=MISSED)),
        )
        .order_by("area__code", "person__name", "id")
    )


def session_get_for(*, user, pk: int) -> TrainingSession:
    session = (
        TrainingSession.objects.filter(
            programme__in=programme_list_visible_to(user=user).values("pk"), pk=pk
        )
        .select_related("programme__area")
        .first()
    )
    if session is None:
        raise NotFound("培训课程不存在或不在您的管辖范围内。")
    return session


def session_attendance_for(*, user, session: TrainingSession) -> list[Enrolment]:
    """Visible sign-ups of the session's programme, each with ``.status`` for this session
    (None when not recorded yet)."""
    enrolments = list(
        session.programme.enrolments.filter(_enrolment_q(user))
        .select_related("person", "area")
        .prefetch_related(
            Prefetch(
                "attendance",
                queryset=Attendance.objects.filter(session=session),
                to_attr="this_session",
            )
        )
        .order_by("area__code", "person__name", "id")
    )
    for e in enrolments:
        e.status = e.this_session[0].status if e.this_session else None
    return enrolments


def _attendance_visible_to(*, user, under: Area | None, period: Period) -> QuerySet:
    qs = Attendance.objects.filter(_enrolment_q(user, "enrolment__")).filter(
        period.date_q("session__held_on")
    )
    if under is not None:
        qs = qs.filter(tree.subtree_q("enrolment__area__code", under.code))
    return qs


def training_hours_by_person(*, user, year: int, under: Area | None = None) -> QuerySet:
    """One row per person: hours and sessions attended, and sessions missed, in the year."""
    return (
        _attendance_visible_to(user=user, under=under, period=Period.parse(str(year)))
        .values("enrolment__person_id", "enrolment__person__name", "enrolment__area__name")
        .annotate(
            hours=Coalesce(
                Sum("session__hours", filter=Q(status=AttendanceStatus.ATTENDED)), ZERO_HOURS
            ),
            attended=Count("id", filter=Q(status=AttendanceStatus.ATTENDED)),
            missed=Count("id", filter=Q(status__in=MISSED)),
        )
        .order_by("-hours", "enrolment__person__name", "enrolment__person_id")
    )


def attendance_missed_for(*, user, year: int, under: Area | None = None) -> QuerySet:
    """Who missed which session in the year (leave or absence), latest first."""
    return (
        _attendance_visible_to(user=user, under=under, period=Period.parse(str(year)))
        .filter(status__in=MISSED)
        .select_related("session__programme", "enrolment__person", "enrolment__area")
        .order_by("-session__held_on", "enrolment__person__name", "id")
    )


def training_hours_total(*, user, area: Area, period: Period) -> Decimal:
    """Hours of attended sessions in the period by people of ``area``'s subtree."""
    total = (
        _attendance_visible_to(user=user, under=area, period=period)
        .filter(status=AttendanceStatus.ATTENDED)
        .aggregate(hours=Sum("session__hours"))["hours"]
    )
    return total or Decimal("0")


def session_recent_for(*, user, on, limit: int = 5) -> list[TrainingSession]:
    """The latest sessions held by ``on`` among the programmes the user sees."""
    return list(
        TrainingSession.objects.filter(
            programme__in=programme_list_visible_to(user=user).values("pk"), held_on__lte=on
        )
        .select_related("programme")
        .order_by("-held_on", "-id")[:limit]
    )


def training_years_for(*, user) -> list[int]:
    """Years with sessions in programmes the user sees, latest first (the year filter)."""
    return sorted(
        set(
            TrainingSession.objects.filter(
                programme__in=programme_list_visible_to(user=user).values("pk")
            ).values_list("held_on__year", flat=True)
        ),
        reverse=True,
    )


def enrolment_candidates_for(*, user, programme: TrainingProgramme, limit: int = 1000) -> list:
    """Current posts of the programme's audience whose holders the user may sign up and
    who are not signed up yet, one per person (the sign-up picker)."""
    enrolled = set(programme.enrolments.values_list("person_id", flat=True))
    seen, out = set(), []
    posts = people_holding(user=user, titles=AUDIENCE_TITLES[programme.audience])
    for post in posts.select_related("person__area")[:limit]:
        if post.person_id in enrolled or post.person_id in seen:
            continue
        if can(user, "enrol_person", post.person):
            seen.add(post.person_id)
            out.append(post)
    return out


def is_enrolled(*, programme: TrainingProgramme, person_id: int) -> bool:
    return programme.enrolments.filter(person_id=person_id).exists()
