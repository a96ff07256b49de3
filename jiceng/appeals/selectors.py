"""Every read of appeals, filtered by the acting user's scope (never by id alone)."""

from dataclasses import dataclass
from datetime import date, datetime

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from jiceng.core.errors import NotFound
from jiceng.core.models import Area, AreaKind, Person, Post, PostTitle
from jiceng.core.roles import Role
from jiceng.core.scope import scope_of
from jiceng.core.tree import subtree_q

from .models import (
    OPEN_STATUSES,
    Appeal,
    AppealEvent,
    Category,
    DutyRoster,
    Notification,
    SlaPolicy,
    Status,
    StewardAbsence,
    WebhookDelivery,
)
from .permissions import AREA_ROLES


def _visible_q(user) -> Q:
    scope = scope_of(user)
    q = scope.areas_q("area__code", roles=AREA_ROLES)
    person_id = getattr(user, "person_id", None)
    if person_id and scope.has_role(Role.GRID_STEWARD, Role.SHARED_STEWARD, Role.CHIEF_STEWARD):
        q |= Q(owner_id=person_id)
    # A grid steward also sees the pool of the community that holds their grids.
    communities = {c[:12] for c in scope.area_codes([Role.GRID_STEWARD]) if len(c) >= 12}
    if communities and not scope.is_superuser:
        q |= Q(status=Status.SUBMITTED, area__code__in=sorted(communities))
    if scope.has_role(Role.RIDER):
        q |= Q(created_by_id=user.pk)
    return q


def appeal_list_visible_to(
    *,
    user,
    queue: str = "",
    text: str = "",
    status: str = "",
    kind: str = "",
    area: Area | None = None,
    now=None,
) -> QuerySet:
    """Appeals the user may see, narrowed to a work queue and filters.

    Queues: ``mine`` (owned by the user's person), ``grids`` (in the grids they steward),
    ``community`` (their communities), ``overdue`` (open past a deadline),
    ``supervised`` (under the street's supervision), ``pool`` (waiting for dispatch).
    """
    if not user.is_authenticated:
        return Appeal.objects.none()
    now = now or timezone.now()
    qs = Appeal.objects.filter(_visible_q(user))
    scope = scope_of(user)
    person_id = getattr(user, "person_id", None)
    match queue:
        case "mine":
            qs = qs.filter(owner_id=person_id) if person_id else qs.none()
        case "grids":
            qs = qs.filter(scope.areas_q("area__code", roles=[Role.GRID_STEWARD]))
        case "community":
            qs = qs.filter(
                scope.areas_q(
                    "area__code",
                    roles=[
                        Role.CHIEF_STEWARD,
                        Role.COMMUNITY_STAFF,
                        Role.STREET_STAFF,
                        Role.DISTRICT_ADMIN,
                    ],
                )
            )
        case "overdue":
            qs = qs.filter(
                Q(resolve_due_at__lt=now) | Q(response_due_at__lt=now, contacted_at__isnull=True)
            ).exclude(status=Status.PAUSED)
        case "supervised":
            qs = qs.filter(supervised=True)
        case "pool":
            qs = qs.filter(status=Status.SUBMITTED)
    if queue and not status:
        # A work queue lists what is still to do; the status filter reaches the rest.
        qs = qs.filter(status__in=[Status.SUBMITTED, *OPEN_STATUSES])
    if status:
        qs = qs.filter(status=status)
    if kind:
        qs = qs.filter(kind=kind)
    if area is not None:
        qs = qs.filter(subtree_q("area__code", area.code))
    text = (text or "").strip()
    if text:
        if text.isdigit() and len(text) == 11:
            # A full phone is a search by number: it matches only appeals whose phone the
            # user may reveal (``reveal_phone``: the appeals it handles), so a masked phone
            # cannot be confirmed by searching; counted and audited.
            from jiceng.core.identifier_search import PHONE, identifier_search_record

            identifier_search_record(by=user, kind=PHONE, purpose="appeals.list", what="诉求")
            qs = qs.filter(owner_id=person_id, phone=text) if person_id else qs.none()
        else:
            qs = qs.filter(
                Q(code=text.upper())
                | Q(description__icontains=text)
                | Q(title__icontains=text)
                | Q(address__icontains=text)
            )
    qs = qs.select_related("area", "owner", "category")
    if queue:
        return qs.order_by("-priority", "resolve_due_at", "-submitted_at", "-id")
    return qs.order_by("-submitted_at", "-id")


def appeal_get_for(*, user, pk: int) -> Appeal:
    appeal = (
        Appeal.objects.filter(_visible_q(user), pk=pk)
        .select_related("area", "grid", "owner", "category", "handed_by")
        .first()
        if user.is_authenticated
        else None
    )
    if appeal is None:
        raise NotFound("诉求不存在或不在您的管辖范围内。")
    return appeal


def appeal_get_by_code(*, code: str) -> Appeal:
    """The resident's view: the tracking code is the secret that grants it."""
    appeal = (
        Appeal.objects.filter(code=(code or "").strip().upper())
        .select_related("area", "category")
        .first()
    )
    if appeal is None:
        raise NotFound("没有找到该受理编号的诉求，请核对后重试。")
    return appeal


def appeal_events(*, appeal: Appeal, public_only: bool = False) -> QuerySet:
    qs = AppealEvent.objects.filter(appeal=appeal).prefetch_related("attachments")
    return qs.filter(public=True) if public_only else qs


def appeal_escalations(*, appeal: Appeal) -> QuerySet:
    return appeal.escalations.select_related("to_person", "to_area").order_by("rung")


def category_choices() -> QuerySet:
    return Category.objects.filter(active=True).order_by("path")


def sla_policy_for(*, category: Category | None, urgency: str) -> SlaPolicy | None:
    """The most specific policy: the category, its ancestors, then the default."""
    policies = SlaPolicy.objects.filter(urgency=urgency)
    if category is not None:
        paths = category.ancestor_paths()
        found = {
            p.category.path: p
            for p in policies.filter(category__path__in=paths).select_related("category")
        }
        for path in paths:
            if path in found:
                return found[path]
    return policies.filter(category__isnull=True).first()


def _absent(person_ids: list[int], on: date) -> set[int]:
    return set(
        StewardAbsence.objects.filter(
            person_id__in=person_ids, starts_on__lte=on, ends_on__gte=on
        ).values_list("person_id", flat=True)
    )


def duty_steward_for(*, grid: Area, on: date | None = None) -> Person | None:
    """Who takes a new appeal of the grid today: the roster's steward, their backup when
    they are away; without a roster, a current grid steward of the grid who is not away."""
    on = on or timezone.localdate()
    roster = (
        DutyRoster.objects.filter(grid=grid, starts_on__lte=on)
        .filter(Q(ends_on__isnull=True) | Q(ends_on__gte=on))
        .select_related("steward", "backup")
        .order_by("-starts_on")
        .first()
    )
    if roster is not None:
        candidates = [roster.steward, roster.backup]
    else:
        candidates = [
            p.person
            for p in Post.objects.current(on)
            .filter(area=grid, title=PostTitle.GRID_STEWARD)
            .select_related("person")
            .order_by("starts_on", "id")
        ]
    candidates = [c for c in candidates if c is not None]
    away = _absent([c.pk for c in candidates], on)
    return next((c for c in candidates if c.pk not in away), None)


def chief_steward_for(*, area: Area, on: date | None = None) -> Person | None:
    """The 总管家 of the community or village that holds ``area``."""
    code = area.code[:12]
    if len(code) < 12:
        return None
    post = (
        Post.objects.current(on or timezone.localdate())
        .filter(area__code=code, title=PostTitle.CHIEF_STEWARD)
        .select_related("person")
        .order_by("starts_on", "id")
        .first()
    )
    return post.person if post else None


def shared_stewards_for(*, appeal: Appeal) -> QuerySet:
    """Shared stewards who may take a task of this appeal: posted in its grid or community."""
    code = (appeal.grid.code if appeal.grid_id else appeal.area.code)[:15]
    codes = {code, code[:12]}
    return (
        Person.objects.filter(
            posts__in=Post.objects.current().filter(
                title=PostTitle.SHARED_STEWARD, area__code__in=codes
            )
        )
        .distinct()
        .order_by("name")
    )


def dispatch_choices(*, user, appeal: Appeal) -> QuerySet:
    """Grid and chief stewards of the appeal's community, for (re-)dispatch."""
    community = appeal.area.code[:12]
    return (
        Person.objects.filter(
            posts__in=Post.objects.current().filter(
                subtree_q("area__code", community),
                title__in=[PostTitle.GRID_STEWARD, PostTitle.CHIEF_STEWARD],
            )
        )
        .distinct()
        .order_by("name")
    )


def stewards_under(*, area: Area) -> QuerySet:
    return (
        Person.objects.filter(
            posts__in=Post.objects.current().filter(
                subtree_q("area__code", area.code),
                title__in=[PostTitle.GRID_STEWARD, PostTitle.CHIEF_STEWARD],
            )
        )
        .distinct()
        .order_by("name")
    )


def area_of_person(*, person_id: int) -> Area | None:
    """The community (or wider area) where the person is 总管家 today."""
    post = (
        Post.objects.current()
        .filter(person_id=person_id, title=PostTitle.CHIEF_STEWARD, area__isnull=False)
        .select_related("area")
        .first()
    )
    return post.area if post else None


def root_area() -> Area | None:
    return Area.objects.filter(kind=AreaKind.DISTRICT).order_by("code").first()


def notifications_for(*, user, unread_only: bool = False) -> QuerySet:
    qs = Notification.objects.filter(recipient=user).select_related("appeal")
    return qs.filter(read_at__isnull=True) if unread_only else qs


def unread_count(*, user) -> int:
    return Notification.objects.filter(recipient=user, read_at__isnull=True).count()


def webhook_failures(*, user) -> QuerySet:
    from .permissions import can

    if not can(user, "manage_webhooks"):
        return WebhookDelivery.objects.none()
    return WebhookDelivery.objects.filter(status="failed").select_related("endpoint")


@dataclass(frozen=True)
class Clock:
    label: str
    due_at: object
    stopped_at: object
    paused: bool

    @property
    def state(self) -> str:
        now = timezone.now()
        if self.due_at is None:
            return "none"
        if self.stopped_at is not None:
            return "met" if self.stopped_at <= self.due_at else "late"
        if self.paused:
            return "paused"
        return "overdue" if now > self.due_at else "running"


def appeal_clocks(*, appeal: Appeal) -> list[Clock]:
    paused = appeal.status == Status.PAUSED
    return [
        Clock("响应时限", appeal.response_due_at, appeal.contacted_at, paused),
        Clock("办结时限", appeal.resolve_due_at, appeal.resolved_at, paused),
    ]


@dataclass(frozen=True)
class Workload:
    owner_id: int
    name: str
    open: int
    overdue: int
    supervised: int


def workload_by_owner(
    *, user, area: Area | None = None, now=None, limit: int = 50
) -> list[Workload]:
    """Open appeals per owner (the stewards' workload) among the appeals the user sees,
    optionally under ``area``; busiest first. One grouped query over open appeals only
    (the ``appeals_owner_status`` index), so it needs no rollup."""
    if not user.is_authenticated:
        return []
    now = now or timezone.now()
    overdue = (
        Q(resolve_due_at__lt=now) | Q(response_due_at__lt=now, contacted_at__isnull=True)
    ) & ~Q(status=Status.PAUSED)
    qs = Appeal.objects.filter(_visible_q(user), status__in=OPEN_STATUSES, owner__isnull=False)
    if area is not None:
        qs = qs.filter(subtree_q("area__code", area.code))
    rows = (
        qs.values("owner_id", "owner__name")
        .annotate(
            open=Count("id"),
            overdue=Count("id", filter=overdue),
            supervised=Count("id", filter=Q(supervised=True)),
        )
        .order_by("-open", "-overdue", "owner__name", "owner_id")[:limit]
    )
    return [
        Workload(r["owner_id"], r["owner__name"], r["open"], r["overdue"], r["supervised"])
        for r in rows
    ]


# ---- the home page's work items ------------------------------------------------------------


@dataclass(frozen=True)
class WorkItem:
    appeal: Appeal
    due_label: str  # 响应 / 办结: the next clock that runs
    due_at: datetime | None
    state: str  # overdue / today / later / paused


def _overdue_q(now) -> Q:
    return (Q(resolve_due_at__lt=now) | Q(response_due_at__lt=now, contacted_at__isnull=True)) & ~Q(
        status=Status.PAUSED
    )


def _due_today_q(now, day_end) -> Q:
    return (
        Q(resolve_due_at__gte=now, resolve_due_at__lte=day_end)
        | Q(response_due_at__gte=now, response_due_at__lte=day_end, contacted_at__isnull=True)
    ) & ~Q(status=Status.PAUSED)


def _work_item(appeal: Appeal, now, day_end) -> WorkItem:
    if appeal.contacted_at is None and appeal.response_due_at is not None:
        label, due = "响应", appeal.response_due_at
    else:
        label, due = "办结", appeal.resolve_due_at
    if appeal.status == Status.PAUSED:
        state = "paused"
    elif due is not None and due < now:
        state = "overdue"
    elif due is not None and due <= day_end:
        state = "today"
    else:
        state = "later"
    return WorkItem(appeal, label, due, state)


def _day_end(now):
    local = timezone.localtime(now)
    return local.replace(hour=23, minute=59, second=59, microsecond=999999)


def my_work(*, user, now=None, limit: int = 8) -> dict:
    """The steward's to-do: the open appeals they own, most urgent first, with how many are
    overdue and due today, and their unread notifications."""
    now = now or timezone.now()
    day_end = _day_end(now)
    qs = appeal_list_visible_to(user=user, queue="mine", now=now)
    counts = qs.aggregate(
        total=Count("id"),
        overdue=Count("id", filter=_overdue_q(now)),
        today=Count("id", filter=_due_today_q(now, day_end)),
    )
    items = [_work_item(a, now, day_end) for a in qs[:limit]]
    return {**counts, "items": items, "unread": unread_count(user=user)}


def dispatch_desk(*, user, area: Area, now=None, limit: int = 5) -> dict:
    """A community's or street's desk under ``area``: the pool waiting for dispatch, the
    appeals under the street's supervision (督办), and the overdue ones by grid."""
    now = now or timezone.now()
    pool = appeal_list_visible_to(user=user, queue="pool", area=area, now=now)
    supervised = appeal_list_visible_to(user=user, queue="supervised", area=area, now=now)
    overdue = appeal_list_visible_to(user=user, queue="overdue", area=area, now=now)
    by_grid = list(
        overdue.order_by()
        .values("area__code", "area__name")
        .annotate(n=Count("id"))
        .order_by("-n", "area__code")[:8]
    )
    return {
        "pool_count": pool.count(),
        "pool": list(pool.order_by("submitted_at", "id")[:limit]),
        "supervised_count": supervised.count(),
        "supervised": list(supervised[:limit]),
        "overdue_count": overdue.count(),
        "overdue_by_grid": by_grid,
    }
