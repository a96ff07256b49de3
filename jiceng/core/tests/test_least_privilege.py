"""Issue 17, finding 1: business roles that are not area staff read nothing area-wide.

A judge holds a district-wide assignment (as in the demo) and a rider and a shared steward
one on their grid; none of them may open, list or export the people register.
"""

import pytest
from django.urls import reverse

from jiceng.core.models import AuditEvent, ExportJob
from jiceng.core.roles import Role
from jiceng.core.tests.factories import RoleAssignmentFactory, UserFactory

GRID_ROLES = [Role.RIDER, Role.SHARED_STEWARD]
ALL_NAMES = ["王睦和", "李网格", "赵春元", "钱村民"]


@pytest.fixture
def district_judge(world):
    user = UserFactory(username="t_district_judge")
    RoleAssignmentFactory(user=user, role=Role.JUDGE, area=world.district)
    return user


def _export(client, key):
    return client.post(reverse("core:list_export", args=[key]))


def _shows_nobody(response) -> bool:
    body = response.content.decode(errors="replace")
    return not any(name in body for name in ALL_NAMES)


@pytest.mark.parametrize("side", ["a", "b"])
def test_district_judge_cannot_open_a_person_page(client, world, district_judge, side):
    person = (world.people_a if side == "a" else world.people_b)[0]
    client.force_login(district_judge)
    response = client.get(f"/people/{person.pk}/")
    assert response.status_code in (403, 404)
    assert person.name not in response.content.decode()


@pytest.mark.parametrize("key", ["core.people", "core.areas"])
def test_district_judge_exports_nothing(client, world, district_judge, key):
    client.force_login(district_judge)
    response = _export(client, key)
    assert response.status_code == 403
    assert _shows_nobody(response)
    assert not AuditEvent.objects.filter(action="core.export").exists()
    assert not ExportJob.objects.exists()


def test_district_judge_lists_nobody(client, world, district_judge):
    client.force_login(district_judge)
    response = client.get("/people/")
    assert response.status_code == 403
    assert _shows_nobody(response)


@pytest.mark.parametrize("role", GRID_ROLES)
def test_grid_helpers_cannot_list_the_people_register(client, world, role):
    client.force_login(world.users[role])
    response = client.get("/people/")
    assert response.status_code == 403
    assert _shows_nobody(response)


@pytest.mark.parametrize("role", GRID_ROLES)
def test_grid_helpers_cannot_open_a_resident_of_their_grid(client, world, role):
    client.force_login(world.users[role])
    response = client.get(f"/people/{world.people_a[1].pk}/")
    assert response.status_code in (403, 404)
    assert "李网格" not in response.content.decode()


@pytest.mark.parametrize("role", GRID_ROLES)
def test_grid_helpers_cannot_export_the_people_register(client, world, role):
    client.force_login(world.users[role])
    response = _export(client, "core.people")
    assert response.status_code == 403
    assert _shows_nobody(response)
    assert not AuditEvent.objects.filter(action="core.export").exists()


def test_grid_steward_still_lists_the_residents_of_its_grid(client, world):
    client.force_login(world.users[Role.GRID_STEWARD])
    body = client.get("/people/").content.decode()
    assert "李网格" in body
    assert "赵春元" not in body
