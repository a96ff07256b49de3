"""One figure, one meaning: an indicator of an area and period shows the same number on the
home page, the area page, the cockpit and in ``manage.py indicators``, whoever may see the
area, with its period stated; money in 万元 and rates in % by one rule."""

import json
import re
from decimal import Decimal
from io import StringIO

from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from jiceng.appeals.tests.factories import AppealFactory
from jiceng.core.context_processors import CURRENT_AREA_SESSION_KEY
from jiceng.core.money import figure_display
from jiceng.core.roles import Role
from jiceng.rural.tests.factories import IncomeFactory
from jiceng.stations.models import PointsEntry
from jiceng.stations.tests.factories import RiderFactory

CARD = re.compile(
    r'data-indicator="(?P<key>[a-z0-9_]+)">\s*<div class="figure-label">[^<]*</div>\s*'
    r'<div class="figure-value">(?P<value>[^<]*)(?:<span class="figure-unit">(?P<unit>[^<]*)'
    r"</span>)?</div>\s*<div class=\"figure-period\">(?P<period>[^<]*)</div>"
)


def cards(page: str) -> dict[str, tuple[str, str]]:
    return {m["key"]: (m["value"], m["period"]) for m in CARD.finditer(page)}


def cli(area: str, period: str) -> dict:
    out = StringIO()
    call_command("indicators", "--area", area, "--period", period, "--json", stdout=out)
    return json.loads(out.getvalue())["indicators"]


def home_cards(client, user, area, period) -> dict:
    client.force_login(user)
    session = client.session
    session[CURRENT_AREA_SESSION_KEY] = area.code
    session.save()
    return cards(client.get(reverse("core:home_figures"), {"period": period}).content.decode())


def area_cards(client, user, area, period) -> dict:
    client.force_login(user)
    url = reverse("core:area_indicators", args=[area.code])
    return cards(client.get(url, {"period": period}).content.decode())


def test_rider_points_of_a_community_are_one_number_for_district_and_community(client, world):
    """A rider registered in another street earned points for a report in 睦和苑: the
    district and the community's staff see the same figure (was 245 against 10)."""
    elsewhere = RiderFactory(area=world.community_b1)
    at_home = RiderFactory(area=world.community_a1)
    day = timezone.localdate().replace(year=2026, month=10, day=5)
    for rider, points in ((elsewhere, 30), (at_home, 5)):
        appeal = AppealFactory(area=world.grid_a1)
        PointsEntry.objects.create(
            rider=rider, appeal=appeal, points=points, reason="上报确认", earned_on=day
        )
    expected = cli(world.community_a1.code, "2026-10")["rider_points"]
    assert expected["display"] == "35"

    district = home_cards(client, world.users[Role.DISTRICT_ADMIN], world.community_a1, "2026-10")
    staff = home_cards(client, world.users[Role.COMMUNITY_STAFF], world.community_a1, "2026-10")
    page = area_cards(client, world.users[Role.COMMUNITY_STAFF], world.community_a1, "2026-10")

    assert district["rider_points"] == staff["rider_points"] == page["rider_points"]
    assert district["rider_points"] == ("35", "2026年10月") == (expected["display"], "2026年10月")


def test_every_card_of_the_home_equals_the_cli_for_the_same_area_and_period(client, world):
    IncomeFactory(area=world.village_b2, year=2024, amount=Decimal("1234567"))
    AppealFactory(area=world.grid_b1)
    expected = cli(world.street_b.code, "2024")
    for user in (world.users[Role.DISTRICT_ADMIN],):
        home = home_cards(client, user, world.street_b, "2024")
        page = area_cards(client, user, world.street_b, "2024")
        assert home and set(home) <= set(expected)
        for key, (value, period) in home.items():
            assert (value, period) == (expected[key]["display"], expected[key]["period"]), key
            assert page[key] == (value, period), key
    # Money in 万元 by one rule: 1,234,567 元 is 123.46 万元 everywhere.
    assert home["village_income_total"] == ("123.46", "2024年度")
    assert expected["village_income_total"]["unit"] == "万元"


def test_the_cockpit_shows_the_same_ledger_total_as_the_cli(client, world):
    IncomeFactory(area=world.village_b2, year=2024, amount=Decimal("1234567"))
    client.force_login(world.users[Role.DISTRICT_ADMIN])
    data = client.get(
        reverse("dashboard:data"),
        {"area": world.village_b2.code, "period": "2024", "panel": "rural_figures"},
    ).json()
    items = {i["label"]: i["value"] for i in data["panels"][0]["data"]["items"]}
    expected = cli(world.village_b2.code, "2024")["village_income_total"]["display"]
    assert items["2024年村集体经济收入"] == expected == "123.46"


def test_rates_and_money_have_one_display_rule():
    assert figure_display(Decimal("0.43475"), "%") == "43.5"
    assert figure_display(Decimal("0.4348"), "%") == figure_display(0.4348, "%") == "43.5"
    assert figure_display(Decimal("5000"), "元") == "0.5"
    assert figure_display(Decimal("125005"), "元") == "12.5"  # 12.5005 → 12.50 → "12.5"
    assert figure_display(None, "元") == "—"
