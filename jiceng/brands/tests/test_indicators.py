"""The brand indicators count rows of the period's campaigns under the area, within the
user's scope, and move when a score, a threshold or a brand changes."""

import pytest

from jiceng.brands import services
from jiceng.brands.tests.factories import BrandFactory, CampaignFactory, sheet
from jiceng.core.indicator_registry import Period, compute
from jiceng.core.roles import Role
from jiceng.core.tests.factories import AreaFactory, RoleAssignmentFactory, UserFactory

KEYS = ["brands", "brands_leading", "brands_pioneering", "brands_following"]


def figures(area, user, period=None) -> dict:
    out = compute(area=area, period=Period.parse(period), user=user, keys=KEYS)
    return {k: v["value"] for k, v in out.items()}


@pytest.fixture
def judge(world):
    user = UserFactory(username="brand_judge")
    RoleAssignmentFactory(user=user, role=Role.JUDGE, area=world.district)
    return user


@pytest.fixture
def brands(world, judge):
    """Street A: a leading and an unscored brand; street B: a following one."""
    extra = AreaFactory(
        code="370103002004", name="纬五路社区", kind="community", parent=world.street_a
    )
    leading = BrandFactory(area=world.community_a1)
    sheet(leading, judge, "93")
    BrandFactory(area=extra)
    following = BrandFactory(area=world.community_b1)
    sheet(following, judge, "70")
    return leading, following


def test_the_registry_holds_the_brand_indicators(world):
    assert set(figures(world.district, world.users[Role.DISTRICT_ADMIN])) == set(KEYS)


def test_indicators_count_rows_under_the_area(world, brands):
    admin = world.users[Role.DISTRICT_ADMIN]
    assert figures(world.district, admin) == {
        "brands": 3,
        "brands_leading": 1,
        "brands_pioneering": 0,
        "brands_following": 1,
    }
    assert figures(world.street_a, admin) == {
        "brands": 2,
        "brands_leading": 1,
        "brands_pioneering": 0,
        "brands_following": 0,
    }
    assert figures(world.community_b1, admin)["brands_following"] == 1
    assert figures(world.grid_a1, admin)["brands"] == 0


def test_indicators_respect_the_users_scope(world, brands):
    # The street-A staff asks about the whole district: street B's brand is not theirs.
    got = figures(world.district, world.users[Role.STREET_STAFF])
    assert got["brands"] == 2 and got["brands_following"] == 0


def test_indicators_move_when_a_score_changes(world, brands, judge):
    leading, _ = brands
    admin = world.users[Role.DISTRICT_ADMIN]
    c1, c2 = leading.campaign.criteria.order_by("order")
    services.evaluation_submit(by=judge, brand=leading, scores={c1.pk: "45", c2.pk: "40"})
    got = figures(world.district, admin)
    assert (got["brands_leading"], got["brands_pioneering"]) == (0, 1)


def test_indicators_move_when_a_threshold_changes(world, brands):
    leading, _ = brands
    admin = world.users[Role.DISTRICT_ADMIN]
    services.campaign_update(
        by=admin,
        campaign=leading.campaign,
        name=leading.campaign.name,
        description="",
        leading_threshold="95",
        pioneering_threshold="65",
    )
    got = figures(world.district, admin)
    assert (got["brands_leading"], got["brands_pioneering"], got["brands_following"]) == (0, 2, 0)


def test_indicators_count_the_periods_campaign(world, brands):
    admin = world.users[Role.DISTRICT_ADMIN]
    older = CampaignFactory(year=2023)
    BrandFactory(campaign=older, area=world.community_a1)
    assert figures(world.district, admin, "2024")["brands"] == 3
    assert figures(world.district, admin, "2023")["brands"] == 1
    assert figures(world.district, admin, "2023-06")["brands"] == 1
    assert figures(world.district, admin, "2022")["brands"] == 0
    assert figures(world.district, admin)["brands"] == 4  # all time: every campaign


def test_a_new_brand_counts_at_once(world, brands):
    admin = world.users[Role.DISTRICT_ADMIN]
    leading, _ = brands
    area = AreaFactory(code="370103003009", name="新社区", kind="community", parent=world.street_b)
    services.brand_create(
        by=admin, campaign=leading.campaign, area=area, name="新品牌", focus="grid"
    )
    assert figures(world.street_b, admin)["brands"] == 2
