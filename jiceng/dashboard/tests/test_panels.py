"""The panel registry: registration, visibility, the screen's slots."""

import pytest

from jiceng.core.roles import Role
from jiceng.dashboard import panels
from jiceng.dashboard.panels import panels_for, register_panel, unregister_panel


def _build(*, user, area, period):
    return panels.figures([("测试数", 1, "个")])


@pytest.fixture
def extra_panel():
    register_panel(
        "test_extra",
        "测试面板",
        5,
        lambda user: user.username == "t_community_staff",
        _build,
        screen_slot="left1",
    )
    yield "test_extra"
    unregister_panel("test_extra")


def test_a_registered_panel_shows_only_to_users_it_is_visible_to(world, extra_panel):
    community = panels_for(world.users[Role.COMMUNITY_STAFF])
    street = panels_for(world.users[Role.STREET_STAFF])

    assert community[0].key == extra_panel  # order 5 comes first
    assert extra_panel not in [p.key for p in street]


def test_panels_are_sorted_by_order(world):
    orders = [p.order for p in panels_for(world.users[Role.DISTRICT_ADMIN])]
    assert orders == sorted(orders)


def test_the_screen_shows_only_panels_with_a_slot(world, extra_panel):
    register_panel("test_no_slot", "无大屏位置", 6, lambda user: True, _build)
    try:
        user = world.users[Role.COMMUNITY_STAFF]
        on_screen = [p.key for p in panels_for(user, screen=True)]
        assert extra_panel in on_screen
        assert "test_no_slot" not in on_screen
        assert "test_no_slot" in [p.key for p in panels_for(user)]
    finally:
        unregister_panel("test_no_slot")


def test_a_key_cannot_be_registered_twice_with_another_build(extra_panel):
    with pytest.raises(ValueError, match="registered twice"):
        register_panel(extra_panel, "别的", 1, lambda user: True, lambda **kw: {})


def test_an_unknown_screen_slot_is_refused():
    with pytest.raises(ValueError, match="unknown screen slot"):
        register_panel("test_bad_slot", "坏位置", 1, lambda user: True, _build, screen_slot="top")


@pytest.mark.parametrize("role", [Role.AUDITOR, Role.SECURITY_ADMIN])
def test_system_roles_see_no_panel(world, role):
    assert panels_for(world.users[role]) == []


def test_a_grid_steward_gets_workload_and_overdue_but_no_rankings(world):
    keys = {p.key for p in panels_for(world.users[Role.GRID_STEWARD])}
    assert {"appeal_workload", "appeal_overdue", "appeal_grid_map"} <= keys
    assert "appeal_rates_by_area" not in keys


def test_a_rider_sees_only_open_work_of_appeals(world):
    keys = {p.key for p in panels_for(world.users[Role.RIDER])}
    assert "appeal_overdue" in keys
    assert not keys & {"appeal_rates", "appeal_volume", "appeal_rates_by_area"}
