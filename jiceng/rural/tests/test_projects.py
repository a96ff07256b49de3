"""Projects: weighted progress of the milestone tree, the timeline, and photos checked by
content and served only within scope."""

import io
from datetime import date
from decimal import Decimal
from types import SimpleNamespace

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from jiceng.core.errors import PermissionDenied, ValidationFailed
from jiceng.core.images import MAX_BYTES as MAX_PHOTO_BYTES
from jiceng.core.models import AuditEvent
from jiceng.core.roles import Role

from ..models import Milestone, ProjectEvent, ProjectPhoto
from ..progress import milestone_tree, project_progress
from ..services import (
    milestone_create,
    milestone_set_progress,
    project_photo_add,
    project_set_status,
)
from .factories import MilestoneFactory, ProjectFactory


def node(id, parent=None, weight=1, progress=0, position=0):
    return SimpleNamespace(
        id=id, parent_id=parent, weight=Decimal(weight), progress=progress, position=position
    )


# ---- weighted progress (pure) -----------------------------------------------------------


def test_a_project_without_milestones_has_no_progress():
    assert project_progress([]) is None


def test_progress_is_the_weighted_mean_of_the_top_level():
    # (1*100 + 3*20) / 4 = 40
    assert project_progress([node(1, weight=1, progress=100), node(2, weight=3, progress=20)]) == 40


def test_a_parents_progress_is_the_weighted_mean_of_its_children_not_its_own():
    milestones = [
        node(1, weight=1, progress=100),  # leaf: 100
        node(2, weight=3, progress=90),  # parent: its own 90 does not count
        node(3, parent=2, weight=2, progress=50),
        node(4, parent=2, weight=1, progress=80),
        node(5, parent=4, weight=1, progress=0),  # 4 becomes a parent too: (0+100)/2 = 50
        node(6, parent=4, weight=1, progress=100),
    ]
    top = milestone_tree(milestones)
    # node 2 = (2*50 + 1*50) / 3 = 50; project = (1*100 + 3*50) / 4 = 62.5
    assert [n.progress for n in top] == [100, 50]
    assert top[1].children[1].progress == 50
    assert project_progress(milestones) == Decimal("62.5")


def test_siblings_keep_their_position_order():
    top = milestone_tree([node(1, position=2), node(2, position=1), node(3, position=3)])
    assert [n.milestone.id for n in top] == [2, 1, 3]


# ---- services -------------------------------------------------------------------------------


@pytest.fixture
def project(rural):
    return ProjectFactory(area=rural.village_a, name="光伏发电")


def test_milestones_and_progress_through_the_services_with_a_timeline(rural, project):
    user = rural.user("fs_a")
    build = milestone_create(by=user, project=project, name="建设", weight=3)
    plan = milestone_create(by=user, project=project, name="谋划", weight=1)
    civil = milestone_create(by=user, project=project, name="土建", weight=2, parent=build)
    install = milestone_create(by=user, project=project, name="安装", weight=1, parent=build)
    milestone_set_progress(by=user, milestone=plan, progress=100, done_on=date(2023, 6, 1))
    milestone_set_progress(by=user, milestone=civil, progress=60)
    milestone_set_progress(by=user, milestone=install, progress=30)
    # build = (2*60 + 1*30) / 3 = 50; project = (3*50 + 1*100) / 4 = 62.5
    assert project_progress(Milestone.objects.filter(project=project)) == Decimal("62.5")
    assert Milestone.objects.get(pk=plan.pk).done_on == date(2023, 6, 1)
    kinds = list(ProjectEvent.objects.filter(project=project).values_list("kind", flat=True))
    assert kinds.count("milestone") == 4 and kinds.count("progress") == 3
    assert AuditEvent.objects.filter(action="rural.milestone_progress").count() == 3


def test_a_parents_progress_cannot_be_set_directly(rural, project):
    user = rural.user("fs_a")
    parent = milestone_create(by=user, project=project, name="建设", weight=3)
    milestone_create(by=user, project=project, name="土建", parent=parent)
    with pytest.raises(ValidationFailed, match="由下级节点按权重计算"):
        milestone_set_progress(by=user, milestone=parent, progress=80)
    assert Milestone.objects.get(pk=parent.pk).progress == 0


@pytest.mark.parametrize("weight", ["0", "-1", "abc", "1.005"])
def test_a_weight_must_be_positive_with_two_decimals(rural, project, weight):
    with pytest.raises(ValidationFailed):
        milestone_create(by=rural.user("fs_a"), project=project, name="节点", weight=weight)
    assert not Milestone.objects.exists()


def test_a_parent_of_another_project_is_refused(rural, project):
    other = MilestoneFactory(project=ProjectFactory(area=rural.village_a))
    with pytest.raises(ValidationFailed, match="不属于该项目"):
        milestone_create(by=rural.user("fs_a"), project=project, name="x", parent=other)


def test_status_change_goes_on_the_timeline(rural, project):
    project_set_status(by=rural.user("fs_a"), project=project, status="building", note="开工")
    event = ProjectEvent.objects.get(project=project, kind="status")
    assert event.text == "状态：谋划中 → 建设中。开工"


def test_a_first_secretary_of_another_village_cannot_touch_the_project(rural, project):
    with pytest.raises(PermissionDenied):
        milestone_create(by=rural.user("fs_a2"), project=project, name="越权")
    assert not Milestone.objects.exists()


def test_the_project_page_shows_the_weighted_progress(client, rural, project):
    parent = MilestoneFactory(project=project, name="建设", weight=3, progress=99)
    MilestoneFactory(project=project, parent=parent, name="土建", weight=1, progress=20)
    MilestoneFactory(project=project, name="谋划", weight=1, progress=100)
    client.force_login(rural.user(Role.STREET_STAFF))
    page = client.get(reverse("rural:project_detail", args=[project.pk])).content.decode()
    # (3*20 + 1*100) / 4 = 40
    assert 'id="project-progress">40.0%' in page


# ---- photos ---------------------------------------------------------------------------------


def png(size=(40, 30), fmt="PNG") -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, (180, 20, 28)).save(out, fmt)
    return out.getvalue()


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def test_a_photo_is_checked_by_content_and_stored_under_a_random_name(rural, project, media):
    photo = project_photo_add(
        by=rural.user("fs_a"),
        project=project,
        upload=SimpleUploadedFile("现场.exe", png(), content_type="application/octet-stream"),
        caption="开工现场",
    )
    assert (photo.content_type, photo.width, photo.height) == ("image/png", 40, 30)
    assert photo.image.name.endswith(".png") and "现场" not in photo.image.name
    assert (media / photo.image.name).is_file()
    assert ProjectEvent.objects.filter(project=project, kind="photo").exists()


@pytest.mark.parametrize(
    "data, message",
    [
        (b"GIF89a not really", "不是有效的图片"),
        (b"%PDF-1.4 " + b"x" * 100, "不是有效的图片"),
        (png()[:60], "不是有效的图片"),  # truncated
        (png(fmt="GIF"), "JPG、PNG 或 WebP"),
    ],
)
def test_files_that_are_not_photos_are_refused(rural, project, media, data, message):
    upload = SimpleUploadedFile("photo.png", data, content_type="image/png")
    with pytest.raises(ValidationFailed, match=message):
        project_photo_add(by=rural.user("fs_a"), project=project, upload=upload)
    assert not ProjectPhoto.objects.exists()
    assert not any(media.rglob("*.*"))


def test_a_photo_over_5_mb_is_refused(rural, project, media):
    upload = SimpleUploadedFile("big.png", b"\0" * (MAX_PHOTO_BYTES + 1), content_type="image/png")
    with pytest.raises(ValidationFailed, match="5 MB"):
        project_photo_add(by=rural.user("fs_a"), project=project, upload=upload)
    assert not ProjectPhoto.objects.exists()


def test_photos_are_served_only_within_scope(client, rural, project, media):
    photo = project_photo_add(
        by=rural.user("fs_a"),
        project=project,
        upload=SimpleUploadedFile("a.png", png(), content_type="image/png"),
    )
    url = reverse("rural:project_photo", args=[photo.pk])
    client.force_login(rural.user("fs_a"))
    response = client.get(url)
    assert response.status_code == 200 and response["Content-Type"] == "image/png"
    assert b"".join(response.streaming_content) == png()
    client.force_login(rural.user("fs_a2"))
    assert client.get(url).status_code == 404


def test_the_upload_page_flow(client, rural, project, media):
    client.force_login(rural.user("fs_a"))
    url = reverse("rural:project_photo_upload", args=[project.pk])
    bad = client.post(url, {"photo": SimpleUploadedFile("x.png", b"nope"), "caption": "x"})
    assert bad.status_code == 400 and "不是有效的图片" in bad.content.decode()
    good = client.post(
        url, {"photo": SimpleUploadedFile("x.jpg", png(fmt="JPEG")), "caption": "验收"}
    )
    assert good.status_code == 302
    assert ProjectPhoto.objects.get().content_type == "image/jpeg"


def test_the_edit_page_changes_the_facts_and_notes_it_on_the_timeline(client, rural, project):
    client.force_login(rural.user("fs_a"))
    url = reverse("rural:project_edit", args=[project.pk])
    assert client.get(url).status_code == 200
    response = client.post(
        url,
        {
            "name": "屋顶光伏发电",
            "introduced_on": "2023-05-01",
            "investment": "800000",
            "income_contribution": "60000",
            "model": "asset",
        },
    )
    assert response.status_code == 302
    project.refresh_from_db()
    assert (project.name, project.income_contribution) == ("屋顶光伏发电", Decimal("60000"))
    assert "项目名称" in ProjectEvent.objects.get(project=project, kind="note").text
    client.force_login(rural.user("fs_a2"))
    assert client.get(url).status_code == 404
