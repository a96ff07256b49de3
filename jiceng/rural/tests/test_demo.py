"""The rural demo reproduces the article's figures through the indicator code.

The demo district (core steps plus the rural part only) is loaded once for the module
inside a transaction rolled back at the end; each test runs in a savepoint inside it.
"""

import io
import json
from decimal import Decimal
from unittest import mock

import pytest
from django.conf import settings
from django.core.management import call_command

from jiceng.core.demo import load_demo
from jiceng.core.demo.party import DOUGOU_STREET, JOINT_COMMITTEE_NAME
from jiceng.core.demo.registry import demo_parts
from jiceng.core.models import Area, User
from jiceng.party.models import PartyOrg
from jiceng.testing import rolled_back

from ..demo import load as rural_demo
from ..demo.plan import plan_rural
from ..models import CollectiveIncome, FirstSecretary, IncomeModel, Pairing, Project
from ..selectors import group_villages, village_group_facts

DIVISIONS = settings.SHARED_DATA_DIR / "divisions"

pytestmark = pytest.mark.skipif(
    not (DIVISIONS / "370103_villages.csv").is_file(),
    reason=f"the shared divisions data ({DIVISIONS}) is not available on this machine",
)


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    rural_only = [p for p in demo_parts() if p.key == "rural"]
    with (
        rolled_back(django_db_blocker),
        mock.patch("jiceng.core.demo.load.demo_parts", lambda: rural_only),
    ):
        yield load_demo(stdout=io.StringIO())


@pytest.fixture
def loaded(demo, db):
    return demo


def indicators(area: str, period: str = "") -> dict:
    out = io.StringIO()
    args = ["indicators", "--area", area, "--json"]
    if period:
        args += ["--period", period]
    call_command(*args, stdout=out)
    return json.loads(out.getvalue())["indicators"]


def test_dougou_2023_has_16_of_23_villages_over_50wan_and_10_over_100wan(loaded):
    data = indicators(DOUGOU_STREET, "2023")
    half, million = data["village_income_ge_500k_share"], data["village_income_ge_1m_share"]
    assert (half["numerator"], half["denominator"]) == (16, 23)
    assert (million["numerator"], million["denominator"]) == (10, 23)
    assert round(half["value"] * 100) == 70 and round(million["value"] * 100) == 43
    assert data["village_income_missing"]["value"] == 0


def test_first_secretaries_23_projects_4wan_on_average_5_promoted(loaded):
    data = indicators("370103")
    assert data["first_secretary_projects"]["value"] == 23
    assert data["first_secretary_avg_income_increase"]["value"] == 40000
    assert data["first_secretary_avg_income_increase"]["denominator"] == 12
    assert data["first_secretaries_promoted"]["value"] == 5
    assert Project.objects.filter(first_secretary__isnull=True).count() == 3


def test_yufu_quanyuan_five_villages_all_one_shoulder_young_teams_3_demonstration(loaded):
    joint = PartyOrg.objects.get(name=JOINT_COMMITTEE_NAME)
    admin = User(username="t", is_superuser=True)
    villages, total = group_villages(user=admin, group=joint)
    for year in (2023, 2024):
        f = village_group_facts(user=admin, villages=villages, total=total, year=year)
        assert (f.villages, f.one_shoulder) == (5, 5)
        assert f.average_age < 45
        assert f.demonstration == 3
        assert f.with_ledger == 5


def test_every_village_has_four_years_of_ledger_in_the_five_models(loaded):
    villages = Area.objects.filter(kind="village").count()
    assert villages == 77
    for year in (2021, 2022, 2023, 2024):
        assert (
            CollectiveIncome.objects.filter(year=year).values("area").distinct().count() == villages
        )
    assert set(CollectiveIncome.objects.values_list("model", flat=True)) == set(IncomeModel.values)


def test_moving_one_dougou_village_over_a_threshold_moves_the_share(loaded):
    below = next(
        code
        for code in sorted(
            Area.objects.filter(code__startswith=DOUGOU_STREET, kind="village").values_list(
                "code", flat=True
            )
        )
        if sum(
            CollectiveIncome.objects.filter(area__code=code, year=2023).values_list(
                "amount", flat=True
            )
        )
        < 500000
    )
    area = Area.objects.get(code=below)
    CollectiveIncome.objects.create(
        area=area,
        year=2023,
        source="新增物业租赁",
        model=IncomeModel.PROPERTY,
        amount=Decimal("500000"),
    )
    half = indicators(DOUGOU_STREET, "2023")["village_income_ge_500k_share"]
    assert (half["numerator"], half["denominator"]) == (17, 23)


def test_the_consortium_pairs_strong_with_weak_and_big_with_small(loaded):
    kinds = sorted(Pairing.objects.values_list("kind", flat=True))
    assert kinds.count("strong_weak") == 4 and kinds.count("big_small") == 2


def test_the_demo_is_deterministic_and_a_second_run_creates_nothing(loaded):
    villages = rural_demo._villages()
    assert plan_rural(villages) == plan_rural(villages)
    counts = (FirstSecretary.objects.count(), CollectiveIncome.objects.count())
    assert rural_demo.load_rural_demo() == 0
    assert (FirstSecretary.objects.count(), CollectiveIncome.objects.count()) == counts


def test_accounts_made_later_for_street_staff_do_not_change_a_second_run(loaded):
    """Later demo parts (the contest's judges) give some street staff a login; the
    dispatches already made must stay, not be drawn again."""
    from jiceng.core.models import Post, PostTitle

    staff = Post.objects.filter(title=PostTitle.STREET_STAFF, person__user__isnull=True)
    for n, post in enumerate(staff.select_related("person")[:40]):
        User.objects.create(username=f"later{n}", person=post.person)
    assert rural_demo.load_rural_demo() == 0


def test_the_first_secretary_login_sees_their_villages_dispatch(loaded, client):
    user = User.objects.get(username="first_secretary")
    client.force_login(user)
    page = client.get("/rural/secretaries/").content.decode()
    assert "土屋村" in page
    assert FirstSecretary.objects.filter(person=user.person, area__code="370103021210").exists()
