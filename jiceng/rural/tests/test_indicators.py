"""The rural indicators against hand-computed fixtures.

Ledger (元):            2021       2022        2023
  睦邻村 A (street A)  350,000    400,000    300,000 + 200,000 = 500,000 (exactly 50万)
  和平村 A2 (street A)            800,000    999,999.99
  新生村 A3 (street A)  —          —          —            (no ledger: missing)
  测试村 B (street B)             900,000    1,000,000   (exactly 100万)
"""

import json
from datetime import date
from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import call_command

from jiceng.core.indicator_registry import Period, compute
from jiceng.core.models import PostTitle
from jiceng.core.roles import Role
from jiceng.core.tests.factories import PersonFactory, PostFactory

from ..indicators import RURAL_KEYS
from ..models import IncomeModel
from .factories import FirstSecretaryFactory, IncomeFactory, ProjectFactory


@pytest.fixture
def ledger(rural):
    a, a2, b = rural.village_a, rural.village_a2, rural.village_b
    IncomeFactory(area=a, year=2021, amount=Decimal("350000"), model=IncomeModel.LAND)
    IncomeFactory(area=a, year=2022, amount=Decimal("400000"), model=IncomeModel.LAND)
    IncomeFactory(area=a, year=2023, amount=Decimal("300000"), model=IncomeModel.LAND)
    IncomeFactory(area=a, year=2023, amount=Decimal("200000"), model=IncomeModel.SERVICE)
    IncomeFactory(area=a2, year=2022, amount=Decimal("800000"), model=IncomeModel.PROPERTY)
    IncomeFactory(area=a2, year=2023, amount=Decimal("999999.99"), model=IncomeModel.PROPERTY)
    IncomeFactory(area=b, year=2022, amount=Decimal("900000"), model=IncomeModel.ASSET)
    IncomeFactory(area=b, year=2023, amount=Decimal("1000000"), model=IncomeModel.ASSET)
    return rural


def figures(area, period, user, keys=None):
    return compute(area=area, period=Period.parse(period), user=user, keys=keys or RURAL_KEYS)


def test_every_issue_key_is_registered():
    assert {
        "village_income_ge_500k_share",
        "village_income_ge_1m_share",
        "first_secretary_projects",
        "first_secretary_avg_income_increase",
        "first_secretaries_promoted",
    } <= set(RURAL_KEYS)


def test_thresholds_are_inclusive_over_villages_with_a_ledger(ledger):
    f = figures(ledger.world.district, "2023", ledger.user(Role.DISTRICT_ADMIN))
    # A (exactly 50万), A2 and B count for 50万; only B (exactly 100万) for 100万.
    half, million = f["village_income_ge_500k_share"], f["village_income_ge_1m_share"]
    assert (half["numerator"], half["denominator"], half["value"]) == (3, 3, 1)
    assert (million["numerator"], million["denominator"]) == (1, 3)
    assert million["value"] == 0.3333


def test_a_village_without_a_ledger_is_missing_not_zero(ledger):
    f = figures(ledger.world.street_a, "2023", ledger.user(Role.STREET_STAFF))
    # A3 has no line for 2023: it is neither below 50万 nor in the denominator.
    assert f["village_income_ge_500k_share"]["numerator"] == 2
    assert f["village_income_ge_500k_share"]["denominator"] == 2
    assert f["village_income_ge_1m_share"]["value"] == 0
    assert f["village_income_missing"]["value"] == 1
    assert f["village_income_missing"]["denominator"] == 3
    assert f["weak_villages"]["denominator"] == 2


def test_moving_a_village_over_a_threshold_moves_the_share(ledger):
    user = ledger.user(Role.STREET_STAFF)
    before = figures(ledger.world.street_a, "2023", user)["village_income_ge_1m_share"]
    IncomeFactory(area=ledger.village_a2, year=2023, amount=Decimal("0.01"))
    after = figures(ledger.world.street_a, "2023", user)["village_income_ge_1m_share"]
    assert (before["numerator"], before["value"]) == (0, 0)
    assert (after["numerator"], after["denominator"], after["value"]) == (1, 2, 0.5)


def test_a_year_without_any_ledger_has_no_share(ledger):
    f = figures(ledger.world.street_a, "2020", ledger.user(Role.STREET_STAFF))
    assert f["village_income_ge_500k_share"]["value"] is None
    assert f["village_income_total"]["value"] is None
    assert f["village_income_missing"]["value"] == 3
    assert f["village_income_model_land"]["value"] is None


def test_all_time_means_the_latest_year_with_a_ledger(ledger):
    user = ledger.user(Role.STREET_STAFF)
    IncomeFactory(area=ledger.village_a, year=2024, amount=Decimal("1200000"))
    f = figures(ledger.world.street_a, "", user)
    assert f["village_income_ge_1m_share"]["numerator"] == 1
    assert f["village_income_ge_1m_share"]["denominator"] == 1
    assert f["village_income_missing"]["value"] == 2
    # A month selects its year (the ledger's figures say so: "2023年度").
    month = figures(ledger.world.street_a, "2023-06", user)
    year = figures(ledger.world.street_a, "2023", user)
    assert {k: v["value"] for k, v in month.items()} == {k: v["value"] for k, v in year.items()}
    assert month["village_income_total"]["period"] == "2023年度"


def test_total_growth_and_income_by_model(ledger):
    f = figures(ledger.world.district, "2023", ledger.user(Role.DISTRICT_ADMIN))
    assert f["village_income_total"]["value"] == Decimal("2499999.99")
    # Over villages with both years: A, A2 and B (2,499,999.99 against 2,100,000).
    growth = f["village_income_growth"]
    assert (growth["numerator"], growth["denominator"]) == (
        Decimal("399999.99"),
        Decimal("2100000"),
    )
    assert growth["value"] == Decimal("0.1905")
    assert f["village_income_model_land"]["value"] == Decimal("300000")
    assert f["village_income_model_service"]["value"] == Decimal("200000")
    assert f["village_income_model_property"]["value"] == Decimal("999999.99")
    assert f["village_income_model_asset"]["value"] == Decimal("1000000")
    assert f["village_income_model_industry"]["value"] == 0


def test_weak_villages_below_the_configured_floor(ledger, settings):
    user = ledger.user(Role.STREET_STAFF)
    assert figures(ledger.world.street_a, "2023", user)["weak_villages"]["value"] == 0
    settings.JICENG_RURAL_WEAK_FLOOR = 600000
    assert figures(ledger.world.street_a, "2023", user)["weak_villages"]["value"] == 1
    settings.JICENG_RURAL_WEAK_FLOOR = 500000  # 500,000 is not below 500,000
    assert figures(ledger.world.street_a, "2023", user)["weak_villages"]["value"] == 0


def test_threshold_is_configurable(ledger, settings):
    user = ledger.user(Role.STREET_STAFF)
    settings.JICENG_RURAL_INCOME_THRESHOLDS = {"village_income_ge_500k_share": 500000.01}
    f = figures(ledger.world.street_a, "2023", user)
    assert f["village_income_ge_500k_share"]["numerator"] == 1  # A (500,000) falls out


def test_figures_stay_inside_the_users_scope(ledger):
    # A first secretary of village A sees only A, even when asking about the district.
    f = figures(ledger.world.district, "2023", ledger.user("fs_a"))
    assert f["village_income_ge_500k_share"]["denominator"] == 1
    assert f["village_income_total"]["value"] == Decimal("500000")
    # Roles without rural business see nothing at all.
    f = figures(ledger.world.district, "2023", ledger.user(Role.GRID_STEWARD))
    assert f["village_income_ge_500k_share"]["value"] is None
    assert f["village_income_missing"]["denominator"] == 0


# ---- first secretaries ----------------------------------------------------------------------


@pytest.fixture
def secretaries(ledger):
    a, a2, a3 = ledger.village_a, ledger.village_a2, ledger.village_a3
    p1 = PersonFactory(name="一号书记", area=ledger.world.street_a)
    p2 = PersonFactory(name="二号书记", area=ledger.world.street_a)
    p3 = PersonFactory(name="三号书记", area=ledger.world.street_a)
    d1 = FirstSecretaryFactory(
        person=p1, area=a, starts_on=date(2022, 4, 1), ends_on=date(2024, 3, 31)
    )
    d2 = FirstSecretaryFactory(
        person=p2, area=a2, starts_on=date(2023, 3, 15), ends_on=date(2025, 3, 14)
    )
    FirstSecretaryFactory(
        person=p3, area=a3, starts_on=date(2023, 1, 1), ends_on=date(2024, 12, 31)
    )
    ProjectFactory(area=a, first_secretary=d1, introduced_on=date(2022, 6, 1))
    ProjectFactory(area=a, first_secretary=d1, introduced_on=date(2023, 2, 1))
    ProjectFactory(area=a2, first_secretary=d2, introduced_on=date(2023, 5, 1))
    ProjectFactory(area=a, first_secretary=None, introduced_on=date(2023, 7, 1))
    # p1: a later post (promotion); p2: an earlier one (not); p3: only first-secretary posts.
    PostFactory(
        person=p1,
        title=PostTitle.ORG_MEMBER,
        area=None,
        party_org=ledger.world.orgs_a[0],
        starts_on=date(2023, 6, 1),
    )
    PostFactory(
        person=p2,
        title=PostTitle.COMMUNITY_WORKER,
        area=ledger.world.community_a1,
        starts_on=date(2020, 1, 1),
    )
    PostFactory(person=p3, title=PostTitle.FIRST_SECRETARY, area=a3, starts_on=date(2023, 1, 1))
    return ledger


def test_first_secretary_projects_count_only_theirs_within_the_period(secretaries):
    user = secretaries.user(Role.STREET_STAFF)
    street = secretaries.world.street_a
    assert figures(street, "2023", user)["first_secretary_projects"]["value"] == 2
    assert figures(street, "", user)["first_secretary_projects"]["value"] == 3


def test_average_increase_from_the_year_before_dispatch(secretaries):
    f = figures(secretaries.world.street_a, "2023", secretaries.user(Role.STREET_STAFF))
    avg = f["first_secretary_avg_income_increase"]
    # d1: 2021 350,000 -> 2023 500,000 = +150,000; d2: 2022 800,000 -> 2023 999,999.99;
    # d3's village has no 2022 ledger: left out, not counted as 0.
    assert avg["denominator"] == 2
    assert avg["numerator"] == Decimal("349999.99")
    assert avg["value"] == Decimal("174999.9950")


def test_average_increase_caps_at_the_term_and_the_latest_year(secretaries):
    user = secretaries.user(Role.STREET_STAFF)
    IncomeFactory(area=secretaries.village_a, year=2024, amount=Decimal("650000"))
    f = figures(secretaries.world.street_a, "", user)["first_secretary_avg_income_increase"]
    # All time: the latest year is 2024. d1's term ends in 2024: 350,000 -> 650,000;
    # d2's village has no 2024 line: missing.
    assert (f["numerator"], f["denominator"]) == (Decimal("300000"), 1)


def test_promoted_means_a_later_post_other_than_first_secretary(secretaries):
    user = secretaries.user(Role.STREET_STAFF)
    street = secretaries.world.street_a
    f = figures(street, "", user)["first_secretaries_promoted"]
    assert (f["value"], f["denominator"]) == (1, 3)
    assert figures(street, "2023", user)["first_secretaries_promoted"]["value"] == 1
    assert figures(street, "2024", user)["first_secretaries_promoted"]["value"] == 0


# ---- teams and designations -----------------------------------------------------------------


def test_one_shoulder_team_age_and_demonstration_from_posts(ledger):
    f = figures(ledger.world.street_a, "2023", ledger.user(Role.STREET_STAFF))
    shoulder = f["village_one_shoulder_share"]
    assert (shoulder["numerator"], shoulder["denominator"]) == (1, 3)
    # On 2023-12-31: 43 and 33 in A, 53 and 48 in A2.
    assert f["village_team_avg_age"]["value"] == Decimal("44.25")
    assert f["village_team_avg_age"]["denominator"] == 4
    # A was named in 2022; A2 only in 2024.
    assert f["demonstration_village_share"]["numerator"] == 1
    assert (
        figures(ledger.world.street_a, "2024", ledger.user(Role.STREET_STAFF))[
            "demonstration_village_share"
        ]["numerator"]
        == 2
    )


def test_the_command_prints_the_rural_figures_as_json(ledger):
    out = StringIO()
    call_command("indicators", "--area", "370103", "--period", "2023", "--json", stdout=out)
    data = json.loads(out.getvalue())["indicators"]
    assert data["village_income_ge_500k_share"]["numerator"] == 3
    assert data["village_income_ge_1m_share"]["value"] == 0.3333
    assert data["village_income_missing"]["value"] == 1
