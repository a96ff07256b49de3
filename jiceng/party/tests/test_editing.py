"""Creating and editing party organizations: editors inside their scope (audited), the
others refused with nothing changed, bad input answered with a Chinese message."""

from datetime import date

import pytest
from django.urls import reverse

from jiceng.core.models import Area, AuditEvent, Person, Post
from jiceng.core.roles import Role
from jiceng.party.models import PartyOrg, PartyOrgKind


def html(response) -> str:
    return response.content.decode()


def snapshot():
    return (
        list(Area.objects.order_by("id").values()),
        list(Person.objects.order_by("id").values()),
        list(Post.objects.order_by("id").values()),
        list(PartyOrg.objects.order_by("id").values()),
        list(PartyOrg.covered_areas.through.objects.order_by("id").values()),
        list(AuditEvent.objects.order_by("id").values_list("id", flat=True)),
    )


def branch_data(world, **overrides):
    data = {
        "name": "第一网格党支部",
        "kind": PartyOrgKind.BRANCH,
        "area": world.community_a1.code,
        "covered_areas": world.grid_a1.code,
        "founded_on": "2021-07-01",
    }
    return {**data, **overrides}


# ---- new organization ------------------------------------------------------------------


def test_new_org_form_starts_at_the_parents_area(client, world):
    client.force_login(world.users[Role.COMMUNITY_STAFF])
    parent = world.orgs_a[1]
    page = html(client.get(reverse("party:org_child_create", args=[parent.pk])))
    assert "覆盖区域编码" in page and "成立日期" in page
    assert f'name="area" value="{world.community_a1.code}"' in page


def test_community_staff_creates_a_branch(client, world):
    user = world.users[Role.COMMUNITY_STAFF]
    client.force_login(user)
    parent = world.orgs_a[1]
    response = client.post(reverse("party:org_child_create", args=[parent.pk]), branch_data(world))
    assert response.status_code == 302
    org = PartyOrg.objects.get(name="第一网格党支部")
    assert response["Location"] == org.get_absolute_url()
    assert org.parent == parent and org.path.startswith(parent.path)
    assert (org.kind, org.area, org.founded_on) == (
        PartyOrgKind.BRANCH,
        world.community_a1,
        date(2021, 7, 1),
    )
    assert list(org.covered_areas.all()) == [world.grid_a1]
    (row,) = AuditEvent.objects.filter(action="party_org.create")
    assert row.actor_id == user.pk and row.object_id == str(org.pk)
    assert "已在睦和苑社区党委下新增第一网格党支部" in html(client.get(response["Location"]))


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"name": ""}, "党组织名称不能为空"),
        ({"kind": "club"}, "请从列表中选择有效的类型"),
        ({"area": "370103003001"}, "区域 370103003001 不存在或不在您可编辑的范围内"),
        ({"covered_areas": "370103003001"}, "不存在或不在您可编辑的范围内：370103003001"),
        ({"covered_areas": "网格一"}, "覆盖区域编码应为 6–24 位数字"),
        ({"founded_on": "2021-02-30"}, "日期格式应为"),
    ],
)
def test_new_org_with_bad_input_shows_the_reason_and_changes_nothing(
    client, world, overrides, message
):
    client.force_login(world.users[Role.COMMUNITY_STAFF])
    before = snapshot()
    response = client.post(
        reverse("party:org_child_create", args=[world.orgs_a[1].pk]),
        branch_data(world, **overrides),
    )
    assert response.status_code == 200
    assert message in html(response)
    assert snapshot() == before


# ---- edit ---------------------------------------------------------------------------------


def test_street_staff_edits_name_kind_and_coverage(client, world):
    user = world.users[Role.STREET_STAFF]
    client.force_login(user)
    org = world.orgs_a[1]
    url = reverse("party:org_edit", args=[org.pk])
    page = html(client.get(url))
    assert 'value="睦和苑社区党委"' in page and world.community_a1.code in page
    response = client.post(
        url,
        {
            "name": "睦和苑社区党总支",
            "kind": PartyOrgKind.GENERAL_BRANCH,
            "covered_areas": f"{world.community_a1.code}，{world.grid_a1.code}",
        },
    )
    assert response.status_code == 302
    org.refresh_from_db()
    assert (org.name, org.kind) == ("睦和苑社区党总支", PartyOrgKind.GENERAL_BRANCH)
    assert set(org.covered_areas.all()) == {world.community_a1, world.grid_a1}
    (row,) = AuditEvent.objects.filter(action="party_org.update")
    assert row.actor_id == user.pk
    assert row.changes["covered_areas"] == [
        world.community_a1.code,
        f"{world.community_a1.code},{world.grid_a1.code}",
    ]
    assert "已保存睦和苑社区党总支的信息" in html(client.get(response["Location"]))


def test_coverage_outside_the_editors_scope_is_kept_and_cannot_be_removed(client, world):
    """Street A's committee also covers a community of street B (set by the district):
    street A's staff may rename it and keep that coverage, not drop it."""
    ws_a = world.orgs_a[0]
    ws_a.covered_areas.set([world.street_a, world.community_b1])
    client.force_login(world.users[Role.STREET_STAFF])
    url = reverse("party:org_edit", args=[ws_a.pk])
    kept = f"{world.street_a.code}\n{world.community_b1.code}"
    data = {"name": "大观园街道党工委", "kind": PartyOrgKind.WORKING_COMMITTEE}

    before = snapshot()
    response = client.post(url, {**data, "covered_areas": world.street_a.code})
    assert response.status_code == 200
    assert "不在您可编辑的范围内，不能增减其覆盖" in html(response)
    assert snapshot() == before

    response = client.post(url, {**data, "name": "大观园街道党工委（改）", "covered_areas": kept})
    assert response.status_code == 302
    ws_a.refresh_from_db()
    assert ws_a.name == "大观园街道党工委（改）"
    assert set(ws_a.covered_areas.all()) == {world.street_a, world.community_b1}


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"name": "  "}, "党组织名称不能为空"),
        ({"covered_areas": "370103003200"}, "不存在或不在您可编辑的范围内：370103003200"),
    ],
)
def test_edit_with_bad_input_shows_the_reason_and_changes_nothing(
    client, world, overrides, message
):
    client.force_login(world.users[Role.COMMUNITY_STAFF])
    before = snapshot()
    data = {"name": "睦和苑社区党委", "kind": PartyOrgKind.COMMITTEE, "covered_areas": ""}
    response = client.post(
        reverse("party:org_edit", args=[world.orgs_a[1].pk]), {**data, **overrides}
    )
    assert response.status_code == 200
    assert message in html(response)
    assert snapshot() == before


# ---- refusals ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("role", "status"),
    [
        # Grid-level roles see no party organization at all: for them it does not exist.
        (Role.GRID_STEWARD, 404),
        # The role matrix closes the module to the rider: refused before anything is read.
        (Role.RIDER, 403),
        (Role.AUDITOR, 403),
        (Role.CHIEF_STEWARD, 403),
        (Role.FIRST_SECRETARY, 403),
    ],
)
@pytest.mark.parametrize("name", ["party:org_child_create", "party:org_edit"])
def test_non_editors_are_refused_and_nothing_changes(client, world, role, status, name):
    client.force_login(world.users[role])
    url = reverse(name, args=[world.orgs_a[1].pk])
    before = snapshot()
    assert client.get(url).status_code == status
    assert client.post(url, branch_data(world)).status_code == status
    assert snapshot() == before


@pytest.mark.parametrize("name", ["party:org_child_create", "party:org_edit"])
def test_orgs_of_another_street_are_404(client, world, name):
    client.force_login(world.users[Role.STREET_STAFF])
    url = reverse(name, args=[world.orgs_b[1].pk])
    before = snapshot()
    assert client.get(url).status_code == 404
    response = client.post(url, branch_data(world))
    assert response.status_code == 404
    assert "春元里社区党委" not in html(response)
    assert snapshot() == before


def test_org_page_shows_edit_buttons_only_to_editors(client, world):
    org = world.orgs_a[1]
    client.force_login(world.users[Role.COMMUNITY_STAFF])
    page = html(client.get(reverse("party:org_detail", args=[org.pk])))
    assert reverse("party:org_edit", args=[org.pk]) in page
    assert reverse("party:org_child_create", args=[org.pk]) in page
    client.force_login(world.users[Role.CHIEF_STEWARD])
    page = html(client.get(reverse("party:org_detail", args=[org.pk])))
    assert reverse("party:org_edit", args=[org.pk]) not in page
    assert reverse("party:org_child_create", args=[org.pk]) not in page
