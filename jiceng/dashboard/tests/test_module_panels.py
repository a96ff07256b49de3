"""The other modules' panels: read through their selectors, in scope, with fallbacks."""

from jiceng.brands.models import Brand, Focus
from jiceng.brands.tests.factories import CampaignFactory
from jiceng.contests.tests.factories import ContestFactory
from jiceng.core.roles import Role
from jiceng.dashboard.module_panels import brands_panel, contests_panel, rural_figures_panel
from jiceng.dashboard.periods import parse_period


def _brands(world):
    campaign = CampaignFactory(year=2024)
    Brand.objects.create(
        campaign=campaign, area=world.community_a1, name="睦和测试品牌", focus=Focus.CONSULTATION
    )
    Brand.objects.create(
        campaign=campaign, area=world.community_b1, name="春元测试品牌", focus=Focus.PROPERTY
    )


def test_brands_count_only_the_scope_and_fall_back_to_the_latest_campaign(world):
    _brands(world)
    street_a = world.users[Role.STREET_STAFF]
    district = world.users[Role.DISTRICT_ADMIN]

    in_2025 = brands_panel(user=street_a, area=world.street_a, period=parse_period("2025-03"))
    whole = brands_panel(user=district, area=world.district, period=parse_period("2024"))
    before = brands_panel(user=district, area=world.district, period=parse_period("2023"))

    assert in_2025["items"][0] == {"label": "2024年品牌", "value": 1, "unit": "个"}
    assert whole["items"][0]["value"] == 2
    assert before == {"kind": "empty", "message": "本区域暂无社区党建品牌"}


def test_a_grid_has_no_brand_panel(world):
    user = world.users[Role.GRID_STEWARD]
    panel = brands_panel(user=user, area=world.grid_a1, period=parse_period("2024"))
    assert panel == {"kind": "none"}


def test_contests_show_the_latest_year_when_the_period_has_none(world):
    ContestFactory(name="市中区测试路演", year=2024, area=world.district)
    user = world.users[Role.DISTRICT_ADMIN]

    same = contests_panel(user=user, area=world.district, period=parse_period("2024-05"))
    later = contests_panel(user=user, area=world.district, period=parse_period("2026-01"))
    earlier = contests_panel(user=user, area=world.district, period=parse_period("2023"))

    assert same["rows"] == [["市中区测试路演", 2024, 0]] and same["note"] == ""
    assert later["rows"] == same["rows"] and "2024年" in later["note"]
    assert earlier == {"kind": "empty", "message": "暂无路演大赛"}


def test_rural_figures_leave_out_an_area_without_villages(world):
    user = world.users[Role.COMMUNITY_STAFF]
    panel = rural_figures_panel(user=user, area=world.community_a1, period=parse_period("2024"))
    assert panel == {"kind": "none"}


def test_rural_figures_say_so_when_villages_have_no_ledger(world):
    user = world.users[Role.DISTRICT_ADMIN]
    panel = rural_figures_panel(user=user, area=world.street_b, period=parse_period("2024"))
    assert panel == {"kind": "empty", "message": "本区域暂无村集体经济收入台账"}
