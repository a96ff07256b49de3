"""Reads of service centers, activities and participation, filtered by the acting user's
scope (the center's area). The public check-in page reads an activity by its signed token
or its check-in code only while check-in is open."""

from datetime import timedelta

from django.core import signing
from django.db.models import Count, Max, Q, QuerySet
from django.utils import timezone

from jiceng.core import tree
from jiceng.core.errors import NotFound
from jiceng.core.models import Area, Person
from jiceng.core.scope import scope_of

from ..models import Activity, Participation, ServiceCenter

TOKEN_SALT = "party.activity.checkin"
# Members may check in from an hour before the activity starts until it ends.
CHECKIN_OPENS_BEFORE = timedelta(hours=1)


def center_list_visible_to(*, user, under: Area | None = None) -> QuerySet:
    qs = ServiceCenter.objects.filter(scope_of(user).module_q("party", "area__code"))
    if under is not None:
        qs = qs.filter(tree.subtree_q("area__code", under.code))
    return (
        qs.select_related("area", "party_org")
        .annotate(activity_count=Count("activities"))
        .order_by("area__code", "name", "pk")
    )


def center_get_for(*, user, pk: int) -> ServiceCenter:
    center = (
        ServiceCenter.objects.filter(scope_of(user).module_q("party", "area__code"), pk=pk)
        .select_related("area", "party_org")
        .first()
    )
    if center is None:
        raise NotFound("党群服务中心不存在或不在您的管辖范围内。")
    return center


def activity_list_for_center(*, center: ServiceCenter) -> QuerySet:
    """Precondition: the caller read ``center`` through ``center_get_for``."""
    return center.activities.annotate(
        signups=Count("participations"),
        attended=Count("participations", filter=Q(participations__attended_at__isnull=False)),
    ).order_by("-starts_at", "pk")


def activity_get_for(*, user, pk: int) -> Activity:
    activity = (
        Activity.objects.filter(scope_of(user).module_q("party", "center__area__code"), pk=pk)
        .select_related("center", "center__area")
        .first()
    )
    if activity is None:
        raise NotFound("活动不存在或不在您的管辖范围内。")
    return activity


def participation_list(*, activity: Activity) -> QuerySet:
    """Precondition: the caller read ``activity`` through ``activity_get_for``."""
    return activity.participations.select_related("person", "organization").order_by(
        "signed_up_at", "pk"
    )


def participation_get_for(*, user, activity: Activity, pk: int) -> Participation:
    p = participation_list(activity=activity).filter(pk=pk).first()
    if p is None:
        raise NotFound("报名记录不存在。")
    return p


def signup_person_for(*, user, phone: str) -> Person:
    """The person with this phone number among those the user may reveal: a search by
    number, so limited and audited like the people list's."""
    from jiceng.core.selectors import person_list_visible_to

    phone = (phone or "").strip()
    person = (
        person_list_visible_to(user=user, text=phone, purpose="party.signup").first()
        if phone
        else None
    )
    if person is None:
        raise NotFound("在您的管辖范围内没有找到该手机号对应的人员，请先在人员库中登记。")
    return person


# ---- check-in ---------------------------------------------------------------------------


def checkin_token(activity: Activity) -> str:
    return signing.dumps(activity.pk, salt=TOKEN_SALT)


def checkin_is_open(activity: Activity, now=None) -> bool:
    now = now or timezone.now()
    return activity.starts_at - CHECKIN_OPENS_BEFORE <= now <= activity.ends_at


def checkin_state(activity: Activity, now=None) -> str:
    """ "open", "not_yet" (more than an hour before the start) or "closed" (ended)."""
    now = now or timezone.now()
    if now > activity.ends_at:
        return "closed"
    return "open" if checkin_is_open(activity, now) else "not_yet"


def activity_for_checkin(*, token: str = "", code: str = "") -> Activity:
    """The activity a member checks in to, by the signed link's token or the typed code."""
    activity = None
    if token:
        try:
            pk = signing.loads(token, salt=TOKEN_SALT)
        except signing.BadSignature:
            pk = None
        if isinstance(pk, int):
            activity = Activity.objects.select_related("center").filter(pk=pk).first()
    elif code:
        code = code.strip()
        if code.isascii() and code.isdigit():
            activity = Activity.objects.select_related("center").filter(checkin_code=code).first()
    if activity is None:
        raise NotFound("签到链接或签到码无效，请向工作人员核对。")
    return activity


# ---- participation statistics -------------------------------------------------------------


def participation_visible_to(*, user, under: Area | None = None, year: int | None = None):
    qs = Participation.objects.filter(
        scope_of(user).module_q("party", "activity__center__area__code")
    )
    if under is not None:
        qs = qs.filter(tree.subtree_q("activity__center__area__code", under.code))
    if year is not None:
        qs = qs.filter(activity__starts_at__year=year)
    return qs


def participation_by_organization(*, user, under: Area | None = None, year: int | None = None):
    """Per organization (members signed up without one grouped as None): sign-ups,
    attendances, and how many different people took part."""
    return (
        participation_visible_to(user=user, under=under, year=year)
        .values("organization", "organization__name")
        .annotate(
            signups=Count("pk"),
            attended=Count("pk", filter=Q(attended_at__isnull=False)),
            people=Count("person", distinct=True),
        )
        .order_by("-attended", "organization__name")
    )


def participation_by_person(
    *, user, under: Area | None = None, year: int | None = None, limit: int = 50
):
    """The members who attended most: sign-ups, attendances and their last attendance."""
    return (
        participation_visible_to(user=user, under=under, year=year)
        .values("person", "person__name", "person__phone")
        .annotate(
            signups=Count("pk"),
            attended=Count("pk", filter=Q(attended_at__isnull=False)),
            last_attended=Max("attended_at"),
        )
        .order_by("-attended", "-signups", "person__name")[:limit]
    )
