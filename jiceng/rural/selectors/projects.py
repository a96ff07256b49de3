"""Projects introduced into villages, their milestones, timeline and photos."""

from django.db.models import Prefetch, QuerySet

from jiceng.core import tree
from jiceng.core.errors import NotFound
from jiceng.core.models import Area

from ..models import Milestone, Project, ProjectEvent, ProjectPhoto
from ..progress import project_progress
from .common import rural_q


def project_list_visible_to(
    *,
    user,
    under: Area | None = None,
    status: str = "",
    by_first_secretary: bool | None = None,
) -> QuerySet:
    qs = Project.objects.filter(rural_q(user))
    if under is not None:
        qs = qs.filter(tree.subtree_q("area__code", under.code))
    if status:
        qs = qs.filter(status=status)
    if by_first_secretary is not None:
        qs = qs.filter(first_secretary__isnull=not by_first_secretary)
    return qs.select_related("area", "area__parent", "first_secretary__person", "supporter")


def project_get_for(*, user, pk: int) -> Project:
    row = (
        project_list_visible_to(user=user)
        .filter(pk=pk)
        .prefetch_related(
            "milestones",
            Prefetch(
                "events",
                queryset=ProjectEvent.objects.select_related("actor").order_by(
                    "-happened_on", "-id"
                ),
            ),
            "photos",
        )
        .first()
    )
    if row is None:
        raise NotFound("项目不存在或不在您的管辖范围内。")
    return row


def projects_with_progress(projects) -> list[Project]:
    """The projects with ``progress`` set from their milestones, in one more query."""
    projects = list(projects)
    by_project: dict[int, list] = {p.pk: [] for p in projects}
    for m in Milestone.objects.filter(project__in=list(by_project)).only(
        "id", "project_id", "parent_id", "weight", "progress", "position"
    ):
        by_project[m.project_id].append(m)
    for p in projects:
        p.progress = project_progress(by_project[p.pk])
    return projects


def milestone_get_for(*, user, pk: int) -> Milestone:
    row = (
        Milestone.objects.filter(rural_q(user, "project__area__code"))
        .filter(pk=pk)
        .select_related("project__area")
        .first()
    )
    if row is None:
        raise NotFound("项目节点不存在或不在您的管辖范围内。")
    return row


def photo_get_for(*, user, pk: int) -> ProjectPhoto:
    row = (
        ProjectPhoto.objects.filter(rural_q(user, "project__area__code"))
        .filter(pk=pk)
        .select_related("project")
        .first()
    )
    if row is None:
        raise NotFound("照片不存在或不在您的管辖范围内。")
    return row
