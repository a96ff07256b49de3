"""Every read of the core's rows, filtered by the acting user's scope."""

from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet

from . import tree
from .errors import NotFound
from .models import Area, AreaKind, AuditEvent, Person, Post, User
from .roles import Role
from .scope import scope_of


def area_list_visible_to(*, user, under: Area | None = None, kind: str | None = None) -> QuerySet:
    qs = Area.objects.filter(scope_of(user).areas_q("code"))
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
    """The top areas of the user's scope (what the area tree and switcher start from)."""
    scope = scope_of(user)
    if scope.is_superuser:
        return list(Area.objects.filter(parent__isnull=True))
    return list(Area.objects.filter(code__in=scope.area_codes()).order_by("code"))


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


def person_list_visible_to(*, user, under: Area | None = None, text: str = "") -> QuerySet:
    """People whose own area, or the area of one of their posts, is in the user's scope."""
    scope = scope_of(user)
    post_in_scope = Post.objects.filter(person=OuterRef("pk")).filter(scope.areas_q("area__code"))
    qs = Person.objects.filter(Q(scope.areas_q("area__code")) | Q(Exists(post_in_scope)))
    if under is not None:
        post_under = Post.objects.filter(person=OuterRef("pk")).filter(
            tree.subtree_q("area__code", under.code)
        )
        qs = qs.filter(Q(tree.subtree_q("area__code", under.code)) | Q(Exists(post_under)))
    if text := text.strip():
        from .crypto import blind_index

        qs = qs.filter(
            Q(name__contains=text) | Q(phone=text) | Q(id_number_index=blind_index(text))
        )
    return qs.select_related("area")


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
    qs = Post.objects.filter(area=area).filter(scope_of(user).areas_q("area__code"))
    if current_only:
        qs = qs.current()
    return qs.select_related("person", "area").order_by("title", "person__name")


def post_list_under(*, user, area: Area, titles: list[str] | None = None) -> QuerySet:
    qs = (
        Post.objects.current()
        .filter(scope_of(user).areas_q("area__code"))
        .filter(tree.subtree_q("area__code", area.code))
    )
    if titles:
        qs = qs.filter(title__in=titles)
    return qs.select_related("person", "area")


def audit_list_visible_to(*, user, action: str = "", actor: str = "") -> QuerySet:
    if not scope_of(user).has_role(Role.AUDITOR):
        return AuditEvent.objects.none()
    qs = AuditEvent.objects.all()
    if action:
        qs = qs.filter(action__startswith=action)
    if actor:
        qs = qs.filter(actor_name__contains=actor)
    return qs.order_by("-id")


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
    scope = scope_of(user)
    roots = (
        Area.objects.filter(parent__isnull=True)
        if scope.is_superuser
        else Area.objects.filter(code__in=scope.area_codes())
    )
    return roots.order_by("code").first()


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
