from jiceng.core import tree
from jiceng.core.models import Area
from jiceng.core.roles import Role
from jiceng.core.scope import scope_of
from jiceng.core.selectors import area_list_visible_to, person_list_visible_to


def test_successor_bounds_every_string_with_the_prefix():
    assert tree.successor("370103002") == "370103003"
    assert tree.successor("370103009") == "37010301"
    assert tree.successor("99") == ":"
    assert "370103009999" < tree.successor("370103009") <= "370103010"


def test_minimal_prefixes_drop_nested_ones():
    assert tree.minimal_prefixes(["370103002003", "370103002", "370103003001"]) == [
        "370103002",
        "370103003001",
    ]


def test_subtree_is_one_query_over_the_code_range(world, django_assert_num_queries):
    with django_assert_num_queries(1):
        codes = list(Area.objects.subtree(world.street_a.code).values_list("code", flat=True))
    assert world.building_a1.code in codes
    assert world.community_b1.code not in codes
    assert all(c.startswith(world.street_a.code) for c in codes)


def test_community_staff_sees_only_their_community(world):
    user = world.users[Role.COMMUNITY_STAFF]
    codes = set(area_list_visible_to(user=user).values_list("code", flat=True))
    assert world.community_a1.code in codes
    assert world.grid_a1.code in codes
    assert world.street_a.code not in codes
    assert world.community_b1.code not in codes


def test_auditor_sees_no_business_rows(world):
    user = world.users[Role.AUDITOR]
    assert not area_list_visible_to(user=user).exists()
    assert not person_list_visible_to(user=user).exists()


def test_expired_assignment_grants_nothing(world):
    from datetime import date

    user = world.users[Role.STREET_STAFF]
    user.role_assignments.update(ends_on=date(2020, 1, 1))
    user = type(user).objects.get(pk=user.pk)
    assert not scope_of(user).roles
    assert not area_list_visible_to(user=user).exists()


def test_people_are_visible_through_their_posts(world):
    user = world.users[Role.GRID_STEWARD]
    names = set(person_list_visible_to(user=user).values_list("name", flat=True))
    assert names == {"李网格"}
