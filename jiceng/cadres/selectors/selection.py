"""Reads of merit-based selection: rounds run in or with posts in the user's scope, their
posts and applications (with screening reasons, scores and ranks)."""

from django.db.models import Exists, OuterRef, Q, QuerySet

from jiceng.core.errors import NotFound
from jiceng.core.scope import scope_of

from ..models import Application, SelectionPost, SelectionRound
from .common import count_of


def _post_q(user, prefix: str = "") -> Q:
    """Posts (and applications, with ``prefix``) the user sees: of rounds they run, or at
    communities in their scope."""
    scope = scope_of(user)
    return scope.module_q("cadres", f"{prefix}round__area__code") | scope.module_q(
        "cadres", f"{prefix}area__code"
    )


def round_list_visible_to(*, user) -> QuerySet:
    visible_post = SelectionPost.objects.filter(round=OuterRef("pk")).filter(_post_q(user))
    visible_applications = Application.objects.filter(_post_q(user, "post__")).values("pk")
    return (
        SelectionRound.objects.filter(
            scope_of(user).module_q("cadres", "area__code") | Q(Exists(visible_post))
        )
        .select_related("area")
        .annotate(
            post_count=count_of(
                SelectionPost,
                "round",
                pk__in=SelectionPost.objects.filter(_post_q(user)).values("pk"),
            ),
            application_count=count_of(Application, "round", pk__in=visible_applications),
        )
        .order_by("-year", "-id")
    )


def round_get_for(*, user, pk: int) -> SelectionRound:
    selection = round_list_visible_to(user=user).filter(pk=pk).first()
    if selection is None:
        raise NotFound("选配工作不存在或不在您的管辖范围内。")
    return selection


def selection_post_list_for(*, user, selection: SelectionRound) -> QuerySet:
    return (
        selection.posts.filter(_post_q(user))
        .select_related("area")
        .annotate(application_count=count_of(Application, "post"))
        .order_by("area__code", "title", "id")
    )


def application_list_for(*, user, selection: SelectionRound) -> QuerySet:
    """Visible applications of the round, post by post, ranked ones first by rank."""
    return (
        selection.applications.filter(_post_q(user, "post__"))
        .select_related("person", "person__area", "post__area", "appointed_post")
        .order_by("post__area__code", "post__title", "post_id", "rank", "person__name", "id")
    )


def application_get_for(*, user, pk: int) -> Application:
    application = (
        Application.objects.filter(_post_q(user, "post__"), pk=pk)
        .select_related("round__area", "post__area", "person")
        .first()
    )
    if application is None:
        raise NotFound("报名记录不存在或不在您的管辖范围内。")
    return application
