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
