"""Party organization pages: the visible tree and one organization, within scope."""

import pytest
from django.urls import reverse

from jiceng.core.models import PostTitle
from jiceng.core.roles import Role
from jiceng.core.tests.factories import PersonFactory, PostFactory
from jiceng.party.models import PartyOrg, PartyOrgKind

# Session, user, role assignments, session save (3), and the layout's area switcher (3).
LAYOUT_QUERIES = 9


def html(response) -> str:
    return response.content.decode()


def test_org_tree_shows_visible_orgs_indented(client, world):
    client.force_login(world.users[Role.STREET_STAFF])
    response = client.get(reverse("party:org_tree"))
    page = html(response)
    assert response.status_code == 200
    assert "大观园街道党工委" in page and "睦和苑社区党委" in page
    assert "杆石桥街道党工委" not in page and "春元里社区党委" not in page
    # The street's committee is the top of this user's tree; the community's is one below.
    assert 'data-depth="0"' in page and 'data-depth="1"' in page
    assert "党工委" in page  # kind badge


def test_org_tree_for_community_staff_holds_only_their_community(client, world):
    client.force_login(world.users[Role.COMMUNITY_STAFF])
    page = html(client.get(reverse("party:org_tree")))
    assert "睦和苑社区党委" in page
    assert "大观园街道党工委" not in page
    assert "春元里社区党委" not in page


def test_org_detail_shows_facts_children_coverage_and_masked_holders(client, world):
    ws_a, com_a = world.orgs_a
    secretary = PersonFactory(name="党书记", area=world.community_a1)
    PostFactory(person=secretary, title=PostTitle.ORG_SECRETARY, area=None, party_org=ws_a)
    client.force_login(world.users[Role.STREET_STAFF])
    page = html(client.get(reverse("party:org_detail", args=[ws_a.pk])))
    assert "大观园街道党工委" in page
    assert "睦和苑社区党委" in page  # child
    assert "市中区委" in page  # parent, named though outside this user's scope
    assert f'href="{reverse("party:org_detail", args=[ws_a.parent_id])}"' not in page
    assert "党书记" in page and secretary.phone_masked in page
    assert secretary.phone not in page

    page = html(client.get(reverse("party:org_detail", args=[com_a.pk])))
    assert f'href="{world.community_a1.get_absolute_url()}"' in page  # covered area
    assert f'href="{reverse("party:org_detail", args=[ws_a.pk])}"' in page  # visible parent


@pytest.mark.parametrize("role", [Role.STREET_STAFF, Role.COMMUNITY_STAFF, Role.GRID_STEWARD])
def test_out_of_scope_org_is_404(client, world, role):
    client.force_login(world.users[role])
    response = client.get(reverse("party:org_detail", args=[world.orgs_b[1].pk]))
    assert response.status_code == 404
    assert "春元里社区党委" not in html(response)


@pytest.mark.parametrize("role", [Role.AUDITOR, Role.SECURITY_ADMIN])
def test_system_roles_get_403(client, world, role):
    client.force_login(world.users[role])
    for url in (reverse("party:org_tree"), reverse("party:org_detail", args=[world.orgs_a[0].pk])):
        response = client.get(url)
        assert response.status_code == 403
        assert "大观园街道党工委" not in html(response)


def test_org_tree_query_count(client, world, django_assert_max_num_queries):
    for i in range(1, 21):
        PartyOrg.objects.create(
            name=f"第{i}党支部",
            kind=PartyOrgKind.BRANCH,
            area=world.community_a1,
            parent=world.orgs_a[1],
            path=f"{world.orgs_a[1].path}{i:04d}",
        )
    client.force_login(world.users[Role.STREET_STAFF])
    with django_assert_max_num_queries(LAYOUT_QUERIES + 1):
        response = client.get(reverse("party:org_tree"))
    assert "第20党支部" in html(response)
