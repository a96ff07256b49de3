"""The appeals' fixtures: the `world` of jiceng/conftest.py with its stewards given
accounts (grid, chief and shared steward persons behind the role users)."""

from dataclasses import dataclass

import pytest

from jiceng.appeals.routing import reset_index
from jiceng.core.models import PostTitle
from jiceng.core.roles import Role
from jiceng.core.tests.factories import PersonFactory, PostFactory, UserFactory


@dataclass
class Stewards:
    grid: object  # Person 李网格, grid steward of grid_a1
    chief: object  # Person, 总管家 of community_a1
    shared: object  # Person, 共享管家 of grid_a1
    grid_b: object  # Person, grid steward of grid_b1 (street B)
    grid_user: object
    chief_user: object
    shared_user: object
    grid_b_user: object


@pytest.fixture(autouse=True)
def _fresh_routing_index():
    reset_index()
    yield
    reset_index()


@pytest.fixture
def stewards(world) -> Stewards:
    grid = world.people_a[1]
    chief = PersonFactory(name="周总管", area=world.community_a1)
    PostFactory(person=chief, title=PostTitle.CHIEF_STEWARD, area=world.community_a1)
    shared = PersonFactory(name="吴共享", area=world.grid_a1)
    PostFactory(person=shared, title=PostTitle.SHARED_STEWARD, area=world.grid_a1)
    grid_b = PersonFactory(name="孙春格", area=world.grid_b1)
    PostFactory(person=grid_b, title=PostTitle.GRID_STEWARD, area=world.grid_b1)
    users = world.users
    for role, person in (
        (Role.GRID_STEWARD, grid),
        (Role.CHIEF_STEWARD, chief),
        (Role.SHARED_STEWARD, shared),
    ):
        users[role].person = person
        users[role].save(update_fields=["person"])
    grid_b_user = UserFactory(username="t_grid_b", person=grid_b)
    from jiceng.core.tests.factories import RoleAssignmentFactory

    RoleAssignmentFactory(user=grid_b_user, role=Role.GRID_STEWARD, area=world.grid_b1)
    reset_index()
    return Stewards(
        grid,
        chief,
        shared,
        grid_b,
        users[Role.GRID_STEWARD],
        users[Role.CHIEF_STEWARD],
        users[Role.SHARED_STEWARD],
        grid_b_user,
    )
