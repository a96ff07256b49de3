"""Issue 17, finding 1: business roles that are not area staff read nothing area-wide.

A judge holds a district-wide assignment (as in the demo) and a rider and a shared steward
one on their grid; none of them may open, list or export the people register.
"""

import pytest
from django.urls import reverse

from jiceng.core import access
from jiceng.core.models import AuditEvent, ExportJob
from jiceng.core.roles import Role
from jiceng.core.scope import scope_of
from jiceng.core.selectors import area_list_visible_to, person_list_visible_to
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


# ---- the matrix in the scope -------------------------------------------------------------


@pytest.mark.parametrize("role", [Role.JUDGE, Role.RIDER, Role.SHARED_STEWARD])
def test_a_district_wide_assignment_of_a_non_area_role_opens_no_area_reads(world, role):
    user = UserFactory(username=f"t_wide_{role}")
    RoleAssignmentFactory(user=user, role=role, area=world.district)
    scope = scope_of(user)
    assert role not in access.AREA_ROLES
    assert scope.area_codes() == []
    for module in access.MODULE_KEYS:
        assert not scope.covers_for(module, world.community_a1.code)
    assert not area_list_visible_to(user=user).exists()
    assert not person_list_visible_to(user=user).exists()


def test_the_apps_read_their_area_roles_from_the_matrix():
    from jiceng.appeals.permissions import AREA_ROLES as APPEAL_ROLES
    from jiceng.contests.permissions import STAFF_ROLES as CONTEST_ROLES
    from jiceng.rural.permissions import RURAL_ROLES
    from jiceng.stations.permissions import STAFF_ROLES as STATION_ROLES

    assert APPEAL_ROLES == access.area_roles("appeals")
    assert CONTEST_ROLES == access.area_roles("contests")
    assert RURAL_ROLES == access.area_roles("rural")
    assert STATION_ROLES == access.area_roles("stations")


def test_a_judge_reads_brands_only_of_the_campaigns_it_sits_on(world, district_judge):
    from jiceng.brands.selectors import brand_list_visible_to, campaign_list_visible_to
    from jiceng.brands.tests.factories import BrandFactory, CampaignFactory, PanelMemberFactory

    on_panel = CampaignFactory(year=2024)
    other = CampaignFactory(year=2023)
    BrandFactory(campaign=on_panel, area=world.community_a1, name="甲街品牌")
    BrandFactory(campaign=on_panel, area=world.community_b1, name="乙街品牌")
    BrandFactory(campaign=other, area=world.community_a1, name="往年品牌")
    PanelMemberFactory(campaign=on_panel, user=district_judge)

    assert list(campaign_list_visible_to(user=district_judge)) == [on_panel]
    names = set(brand_list_visible_to(user=district_judge).values_list("name", flat=True))
    assert names == {"甲街品牌", "乙街品牌"}
    # The street-A judge of the fixture sits on no panel: it reads no brand at all.
    assert not campaign_list_visible_to(user=world.users[Role.JUDGE]).exists()
    assert not brand_list_visible_to(user=world.users[Role.JUDGE]).exists()


@pytest.mark.parametrize("role", [Role.JUDGE, Role.RIDER, Role.SHARED_STEWARD])
def test_home_of_a_role_with_own_work_does_not_say_it_has_no_role(client, world, role):
    client.force_login(world.users[role])
    body = client.get(reverse("core:home")).content.decode()
    assert "尚未分配角色" not in body
    # Its work blocks (the rider's report block, the judge's sheets), else its menu.
    assert "data-block=" in body or "请从菜单进入您的工作" in body
    if role == Role.RIDER:
        assert "我要上报" in body


def test_home_of_an_account_without_roles_still_says_so(client, world):
    client.force_login(UserFactory(username="t_no_role"))
    assert "尚未分配角色" in client.get(reverse("core:home")).content.decode()
