"""Every read of the core's rows, filtered by the acting user's scope."""

from datetime import date

from django.db.models import (
    BooleanField,
    Count,
    Exists,
    ExpressionWrapper,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
)

from . import access, audit_labels, tree
from .errors import NotFound
from .models import Area, AreaKind, AuditEvent, PartyOrg, Person, Post, User
from .roles import REVEAL_ROLES, Role
from .scope import scope_of


def area_list_visible_to(*, user, under: Area | None = None, kind: str | None = None) -> QuerySet:
    qs = Area.objects.filter(scope_of(user).module_q("areas", "code"))
    if under is not None:
        qs = qs.filter(tree.subtree_q("code", under.code))
    if kind:
        qs = qs.filter(kind=kind)
    return qs


def area_get_for(*, user, code: str) -> Area:
    area = area_list_visible_to(user=user).filter(code=code).select_related("parent").first()
    if area is None:
        raise NotFound("区域不存在或不在您的管辖范围内。")
    return area


def area_scope_roots(*, user) -> list[Area]:
    """The top areas of the user's whole scope (what the switcher offers to go back to)."""
    scope = scope_of(user, whole=True)
    if scope.is_superuser:
        return list(Area.objects.filter(parent__isnull=True))
    return list(
        Area.objects.filter(code__in=scope.area_codes(access.area_roles("areas"))).order_by("code")
    )


def area_children_visible_to(*, user, area: Area) -> QuerySet:
    return (
        area_list_visible_to(user=user)
        .filter(parent=area)
        .annotate(child_count=Count("children"))
        .order_by("code")
    )


def area_breadcrumbs(*, user, area: Area) -> list[Area]:
    """The area's ancestors that the user may see, root first, then the area itself."""
    codes = area.ancestor_codes()
    visible = {a.code: a for a in area_list_visible_to(user=user).filter(code__in=codes)}
    return [visible[c] for c in codes if c in visible] + [area]


def area_search_visible_to(*, user, text: str, limit: int = 20) -> QuerySet:
    return (
        area_list_visible_to(user=user)
        .filter(Q(name__contains=text) | Q(code__startswith=text))
        .exclude(kind=AreaKind.BUILDING)[:limit]
    )


def person_list_visible_to(
    *, user, under: Area | None = None, text: str = "", purpose: str = "person_list"
) -> QuerySet:
    """People whose own area, or the area of one of their posts, is in the user's scope,
    each annotated ``pii_revealable`` (the user may reveal their numbers, so may see the
    full birth date beside them; others see the year only).

    ``text`` matches names; a full phone or ID number matches only for a role that may
    reveal it, among the people it may reveal, and is admitted, limited and audited by
    ``identifier_search_admit`` (hence the ``purpose``). A number-like text from anyone
    else raises ``PermissionDenied``; a partial number ``ValidationFailed``."""
    from .crypto import blind_index
    from .identifier_search import ID_NUMBER, classify, identifier_search_admit

    scope = scope_of(user)
    reveal_q = scope.areas_q("area__code", roles=REVEAL_ROLES)
    in_scope = scope.module_q("people", "area__code")
    post_in_scope = Post.objects.filter(person=OuterRef("pk")).filter(in_scope)
    qs = Person.objects.filter(Q(in_scope) | Q(Exists(post_in_scope)))
    if under is not None:
        post_under = Post.objects.filter(person=OuterRef("pk")).filter(
            tree.subtree_q("area__code", under.code)
        )
        qs = qs.filter(Q(tree.subtree_q("area__code", under.code)) | Q(Exists(post_under)))
    kind, value = classify(text)
    if kind is not None:
        identifier_search_admit(by=user, kind=kind, purpose=purpose)
        if kind == ID_NUMBER:
            qs = qs.filter(reveal_q, id_number_index=blind_index(value))
        else:
            qs = qs.filter(reveal_q, phone=value)
    elif value:
        qs = qs.filter(name__contains=value)
    revealable = ExpressionWrapper(reveal_q, output_field=BooleanField())
    return qs.annotate(pii_revealable=revealable).select_related("area")


def person_get_for(*, user, pk: int) -> Person:
    person = (
        person_list_visible_to(user=user)
        .filter(pk=pk)
        .prefetch_related(
            Prefetch(
                "posts",
                queryset=Post.objects.select_related("area", "party_org").order_by(
                    "-starts_on", "id"
                ),
            )
        )
        .first()
    )
    if person is None:
        raise NotFound("人员不存在或不在您的管辖范围内。")
    return person


def post_list_for_area(*, user, area: Area, current_only: bool = True) -> QuerySet:
    """Posts held at the area itself (the user must already see the area)."""
    qs = Post.objects.filter(area=area).filter(scope_of(user).module_q("people", "area__code"))
    if current_only:
        qs = qs.current()
    return qs.select_related("person", "area").order_by("title", "person__name")


def post_list_under(*, user, area: Area, titles: list[str] | None = None) -> QuerySet:
    qs = (
        Post.objects.current()
        .filter(scope_of(user).module_q("people", "area__code"))
        .filter(tree.subtree_q("area__code", area.code))
    )
    if titles:
        qs = qs.filter(title__in=titles)
    return qs.select_related("person", "area")


def audit_list_visible_to(
    *,
    user,
    action: str = "",
    actor: str = "",
    since: date | None = None,
    until: date | None = None,
    object_type: str = "",
    object_id: str = "",
) -> QuerySet:
    """The log for an auditor. ``action`` is a code prefix (``area.``) or words of the
    Chinese label (登录); ``actor`` part of a username or display name; ``since``/``until``
    local days, both included; ``object_type``/``object_id`` one object's history."""
    if not scope_of(user).has_role(Role.AUDITOR):
        return AuditEvent.objects.none()
    qs = AuditEvent.objects.all()
    if action:
        if action.isascii():
            qs = qs.filter(action__startswith=action)
        else:
            qs = qs.filter(action__in=audit_labels.actions_matching(action))
    if actor:
        qs = qs.filter(Q(actor_name__contains=actor) | Q(actor__first_name__contains=actor))
    lo, hi = audit_labels.day_bounds(since, until)
    if lo:
        qs = qs.filter(at__gte=lo)
    if hi:
        qs = qs.filter(at__lt=hi)
    if object_type:
        qs = qs.filter(object_type=object_type)
        if object_id:
            qs = qs.filter(object_id=object_id)
    return qs.select_related("actor").order_by("-id")


def account_list_visible_to(*, user) -> QuerySet:
    if not scope_of(user).has_role(Role.SECURITY_ADMIN):
        return User.objects.none()
    return User.objects.prefetch_related("role_assignments__area").order_by("username")


# ---- the UI shell (appended for views; each filters by the user's scope) ---------------

# Kinds offered by the area switcher and the people filter: the administrative levels,
# not the thousands of grids, compounds and buildings below them.
SWITCHABLE_KINDS = (AreaKind.DISTRICT, AreaKind.STREET, AreaKind.COMMUNITY, AreaKind.VILLAGE)


def area_current_for(*, user, code: str | None) -> Area | None:
    """The area the user looks at: ``code`` when it lies in their scope, else their first
    scope root (as ``area_scope_roots`` orders them), else None (no business scope)."""
    if code:
        area = area_list_visible_to(user=user).filter(code=code).first()
        if area is not None:
            return area
    scope = scope_of(user, whole=True)
    roots = (
        Area.objects.filter(parent__isnull=True)
        if scope.is_superuser
        else Area.objects.filter(code__in=scope.area_codes())
    )
    return roots.order_by("code").first()


def area_get_in_whole_scope(*, user, code: str) -> Area:
    """An area of the user's whole scope, whatever area the switcher narrows them to now:
    what the switcher may switch to."""
    scope = scope_of(user, whole=True)
    area = Area.objects.filter(scope.areas_q("code"), code=code).first()
    if area is None:
        raise NotFound("区域不存在或不在您的管辖范围内。")
    return area


def area_tree_roots(*, user) -> QuerySet:
    """The top areas of the user's scope with their child counts (the tree's first level)."""
    scope = scope_of(user)
    roots = (
        Area.objects.filter(parent__isnull=True)
        if scope.is_superuser
        else Area.objects.filter(code__in=scope.area_codes())
    )
    return roots.annotate(child_count=Count("children")).order_by("code")


def area_switch_choices(*, user, current: Area | None) -> list[Area]:
    """Children of ``current`` of an administrative kind, for the area switcher."""
    if current is None:
        return []
    return list(
        area_list_visible_to(user=user)
        .filter(parent=current, kind__in=SWITCHABLE_KINDS)
        .order_by("code")
    )


def area_filter_choices(*, user) -> QuerySet:
    """Visible areas of an administrative kind, for the people filter's select."""
    return (
        area_list_visible_to(user=user)
        .filter(kind__in=SWITCHABLE_KINDS)
        .only("code", "name", "kind", "depth")
        .order_by("code")
    )


def grid_stewards_by_area(*, user, area: Area) -> dict[int, list[Person]]:
    """Area id -> people holding a current 网格管家 post there, for grids under ``area``."""
    from .models import PostTitle

    out: dict[int, list[Person]] = {}
    posts = post_list_under(user=user, area=area, titles=[PostTitle.GRID_STEWARD]).order_by(
        "person__name"
    )
    for post in posts:
        out.setdefault(post.area_id, []).append(post.person)
    return out


def post_list_of_user(*, user) -> QuerySet:
    """The current posts of the person linked to the account (empty when there is none)."""
    if not getattr(user, "person_id", None):
        return Post.objects.none()
    return (
        Post.objects.current()
        .filter(person_id=user.person_id)
        .select_related("area", "party_org")
        .order_by("-starts_on", "id")
    )


def account_rows_visible_to(*, user, text: str = "") -> QuerySet:
    """Accounts with their role assignments and scopes, for the security administrator."""
    from .models import RoleAssignment

    # Replace the base prefetch by one that also loads party-organization scopes.
    qs = account_list_visible_to(user=user).prefetch_related(None).select_related("person")
    qs = qs.prefetch_related(
        Prefetch(
            "role_assignments",
            queryset=RoleAssignment.objects.select_related("area", "party_org").order_by(
                "role", "id"
            ),
        )
    )
    if text := text.strip():
        qs = qs.filter(Q(username__contains=text) | Q(first_name__contains=text))
    return qs


def account_summary(*, user) -> dict:
    """Counts of accounts and of active role assignments per role (no business data)."""
    from .models import RoleAssignment

    if not scope_of(user).has_role(Role.SECURITY_ADMIN):
        return {"total": 0, "active": 0, "never_logged_in": 0, "by_role": []}
    counts = User.objects.aggregate(
        total=Count("id"),
        active=Count("id", filter=Q(is_active=True)),
        never_logged_in=Count("id", filter=Q(last_login__isnull=True)),
    )
    per_role = dict(
        RoleAssignment.objects.active()
        .values("role")
        .annotate(n=Count("user", distinct=True))
        .values_list("role", "n")
    )
    counts["by_role"] = [(label, per_role.get(value, 0)) for value, label in Role.choices]
    return counts


# ---- editing pages (appended; what the forms offer and how they resolve codes) ---------

# Official sequences under a street: 001–199 are residents' committees (社区), 200–399
# villagers' committees (村) (统计用区划代码的编制规则). Other levels use 001–999.
CHILD_SEQUENCES = {AreaKind.COMMUNITY: (1, 199), AreaKind.VILLAGE: (200, 399)}


def area_editable_get_for(*, user, code: str) -> Area:
    """The area with this code when the user holds an editor role over it."""
    from .roles import EDITOR_ROLES

    area = (
        Area.objects.filter(scope_of(user).areas_q("code", roles=EDITOR_ROLES))
        .filter(code=code)
        .first()
    )
    if area is None:
        raise NotFound(f"区域 {code} 不存在或不在您可编辑的范围内。")
    return area


def area_list_by_codes_editable_by(*, user, codes: list[str]) -> tuple[list[Area], list[str]]:
    """The areas with these codes where the user holds an editor role, in the given order,
    and the codes not found among them."""
    from .roles import EDITOR_ROLES

    qs = Area.objects.filter(scope_of(user).areas_q("code", roles=EDITOR_ROLES))
    found = {a.code: a for a in qs.filter(code__in=codes)}
    return [found[c] for c in codes if c in found], [c for c in codes if c not in found]


def area_code_choices(*, user, near: Area | None = None) -> list[Area]:
    """Areas to suggest in a form's area-code box: the administrative areas the user may
    edit and, near a community or village, its grids (a district's grids are too many)."""
    from .roles import EDITOR_ROLES

    scope_q = scope_of(user).areas_q("code", roles=EDITOR_ROLES)
    q = Q(kind__in=SWITCHABLE_KINDS)
    if near is not None and len(near.code) >= 12:
        q |= Q(kind=AreaKind.GRID) & tree.subtree_q("code", near.code[:12])
    return list(
        Area.objects.filter(scope_q).filter(q).only("code", "name", "kind").order_by("code")
    )


def area_next_child_code(*, parent: Area, kind: str) -> str:
    """The next free 3-digit sequence of ``kind`` under ``parent`` (after the highest one in
    use, else the first gap), or "" when all are taken. The caller already sees ``parent``."""
    prefix = parent.code
    low, high = CHILD_SEQUENCES.get(kind, (1, 999))
    taken = {
        int(code[len(prefix) :])
        for code in Area.objects.filter(parent=parent).values_list("code", flat=True)
        if len(code) == len(prefix) + 3 and code[len(prefix) :].isdigit()
    }
    start = max((n for n in taken if low <= n <= high), default=low - 1) + 1
    for n in [*range(start, high + 1), *range(low, start)]:
        if n not in taken:
            return f"{prefix}{n:03d}"
    return ""


def person_choices_under(*, user, area: Area) -> QuerySet:
    """Visible people of the area's subtree (or with a post there), by name, for a select."""
    return person_list_visible_to(user=user, under=area).order_by("name", "id")


def post_list_endable(*, user, person: Person) -> list[Post]:
    """The person's current posts that the user may end (the caller sees the person)."""
    from .permissions import can

    posts = (
        Post.objects.current()
        .filter(person=person)
        .select_related("area", "party_org__area")
        .order_by("-starts_on", "id")
    )
    return [p for p in posts if can(user, "edit_post", p)]


# ---- account management (appended; the security administrator's reads) -----------------


def _require_account_admin(user) -> None:
    from .errors import PermissionDenied
    from .permissions import can

    if not can(user, "manage_accounts"):
        raise PermissionDenied("只有安全管理员可以管理账号。")


def lockout_attempts(*, username: str | None = None) -> QuerySet:
    """django-axes attempt rows that lock their username out now: at the failure limit and
    within the cool-off time (older ones no longer count, as axes itself decides)."""
    from axes.helpers import get_cool_off
    from axes.models import AccessAttempt
    from django.conf import settings
    from django.utils import timezone

    qs = AccessAttempt.objects.filter(failures_since_start__gte=settings.AXES_FAILURE_LIMIT)
    if (cool_off := get_cool_off()) is not None:
        qs = qs.filter(attempt_time__gte=timezone.now() - cool_off)
    if username is not None:
        qs = qs.filter(username=username)
    return qs


def account_list_for_admin(*, user, text: str = "") -> QuerySet:
    """Accounts the user may manage, with role assignments, linked person and ``locked``.

    Superuser accounts are left out for everyone but superusers: the security administrator
    does not manage the system administrator's account (三员分立)."""
    qs = account_rows_visible_to(user=user, text=text)
    if not user.is_superuser:
        qs = qs.exclude(is_superuser=True)
    locked = lockout_attempts().filter(username=OuterRef("username"))
    return qs.annotate(locked=Exists(locked))


def account_get_for(*, user, pk: int) -> User:
    account = account_list_for_admin(user=user).filter(pk=pk).first()
    if account is None:
        raise NotFound("账号不存在或不在您的管理范围内。")
    return account


def account_role_assignment_get_for(*, user, account: User, pk: int):
    """One role assignment of ``account`` (which the caller fetched with ``account_get_for``)."""
    _require_account_admin(user)
    for assignment in account.role_assignments.all():
        if assignment.pk == pk:
            return assignment
    raise NotFound("该角色授权不存在。")


def role_scope_lookup(*, user, area_code: str = "", party_org: str = "") -> tuple:
    """The area (by exact code) and the party organization (by its path code or its exact
    full name) named for a role assignment's scope; either may be None. A text that names
    nothing, or a name shared by several organizations, is refused with a Chinese message.
    The security administrator grants scopes anywhere in the district: no scope filter."""
    from .account_proposals import may_take_part
    from .errors import PermissionDenied, ValidationFailed

    # The district administrator names scopes too, when it proposes a role grant.
    if not may_take_part(user):
        raise PermissionDenied("只有安全管理员或区级管理员可以指定授权范围。")
    area = org = None
    if area_code := (area_code or "").strip():
        area = Area.objects.filter(code=area_code).first()
        if area is None:
            raise ValidationFailed(f"区域编码 {area_code} 不存在。", field="area_code")
    if text := (party_org or "").strip():
        field = "path" if text.isdigit() else "name"
        matches = list(PartyOrg.objects.filter(**{field: text}).select_related("area")[:2])
        if not matches:
            raise ValidationFailed(f"没有编码或全称为“{text}”的党组织。", field="party_org")
        if len(matches) > 1:
            raise ValidationFailed(
                f"有多个名为“{text}”的党组织，请改填党组织编码。", field="party_org"
            )
        org = matches[0]
    return area, org


def account_person_lookup(
    *, user, id_number: str = "", name: str = "", area_code: str = ""
) -> Person:
    """The one person an account is to be linked to, found by the exact ID number or by the
    exact name within the area of that exact code. The security administrator does not
    browse people: the answer is the single match or a Chinese refusal, never a list."""
    from .errors import ValidationFailed
    from .identifier_search import (
        ID_NUMBER,
        account_person_lookup_admit,
        account_person_lookup_record,
    )

    _require_account_admin(user)
    id_number = (id_number or "").strip()
    name, area_code = (name or "").strip(), (area_code or "").strip()
    if not id_number and not (name and area_code):
        raise ValidationFailed(
            "请填写身份证号码，或同时填写姓名和所属区域编码。", field="person_id_number"
        )
    # Each lookup turns a number (or a name) into a person: limited and audited.
    field = "person_id_number" if id_number else "person_name"
    account_person_lookup_admit(by=user, field=field)
    kind = ID_NUMBER if id_number else "name"
    try:
        person = _account_person_find(id_number=id_number, name=name, area_code=area_code)
    except ValidationFailed:
        account_person_lookup_record(by=user, kind=kind, person=None)
        raise
    account_person_lookup_record(by=user, kind=kind, person=person)
    return person


def _account_person_find(*, id_number: str, name: str, area_code: str) -> Person:
    from stdnum.cn import ric

    from .crypto import blind_index
    from .errors import ValidationFailed

    qs = Person.objects.select_related("area", "user")
    if id_number:
        person = qs.filter(id_number_index=blind_index(ric.compact(id_number).upper())).first()
        if person is None:
            raise ValidationFailed("未找到该身份证号码对应的人员。", field="person_id_number")
        return person
    matches = list(qs.filter(name=name, area__code=area_code)[:2])
    if not matches:
        raise ValidationFailed(
            f"区域 {area_code} 下没有名为“{name}”的人员（姓名和区域编码须完全一致）。",
            field="person_name",
        )
    if len(matches) > 1:
        raise ValidationFailed(
            f"区域 {area_code} 下有多名“{name}”，请改用身份证号码查找。", field="person_name"
        )
    return matches[0]


def party_org_list_editable_by(*, user) -> QuerySet:
    """Organizations based where the user holds an editor role (for the post form's choice)."""
    from .roles import EDITOR_ROLES

    return (
        PartyOrg.objects.filter(scope_of(user).areas_q("area__code", roles=EDITOR_ROLES))
        .select_related("area")
        .order_by("path")
    )


# Root kinds whose subtree holds nothing but its own kind's units (grids, compounds,
# buildings): an account rooted only in these holds no other kind of 社区/村.
_LEAF_UNITS = {AreaKind.COMMUNITY, AreaKind.VILLAGE}


def area_scope_holds(*, user, kinds) -> bool:
    """Whether the user's scope may hold an area of one of ``kinds``: a module about
    villages leaves the menu of an account rooted only in urban communities, and one about
    communities that of an account rooted only in villages. Decided from the assignments'
    own areas, without a query (a street or district may hold either: the module stays)."""
    scope = scope_of(user, whole=True)
    if scope.is_superuser:
        return True
    roots = scope.root_kinds
    if not roots or not roots <= _LEAF_UNITS:
        return True
    return bool(roots & set(kinds))
