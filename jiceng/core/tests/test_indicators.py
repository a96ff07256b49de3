import json
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from jiceng.core.errors import ValidationFailed
from jiceng.core.indicator_registry import Period, compute
from jiceng.core.roles import Role

CORE_KEYS = {"streets", "communities", "villages", "grids", "people", "party_orgs"}


def test_period_parsing():
    assert Period.parse(None).is_all_time
    assert (Period.parse("2024").start.isoformat(), Period.parse("2024").end.isoformat()) == (
        "2024-01-01",
        "2024-12-31",
    )
    assert Period.parse("2024-02").end.isoformat() == "2024-02-29"
    with pytest.raises(ValidationFailed):
        Period.parse("2024-13")


def test_command_prints_the_registry_as_json(world):
    out = StringIO()
    call_command("indicators", "--area", "370103", "--json", stdout=out)
    data = json.loads(out.getvalue())
    assert data["area"] == {"code": "370103", "name": "市中区"}
    assert data["period"] == "all"
    assert CORE_KEYS <= set(data["indicators"])
    figures = {k: v["value"] for k, v in data["indicators"].items()}
    assert figures["streets"] == 2
    assert figures["communities"] == 2
    assert figures["villages"] == 1
    assert figures["grids"] == 2
    assert figures["people"] == 4
    assert data["indicators"]["streets"]["label"] == "街道数"


def test_command_and_pages_read_the_same_registry_with_scope(world):
    user = world.users[Role.STREET_STAFF]
    figures = compute(area=world.street_a, period=Period.parse("2024"), user=user)
    out = StringIO()
    call_command(
        "indicators",
        "--area",
        world.street_a.code,
        "--period",
        "2024",
        "--json",
        "--user",
        user.username,
        stdout=out,
    )
    data = json.loads(out.getvalue())["indicators"]
    # The command prints the indicators that apply to the area (no village figures for a
    # street without villages), each the value the registry computes.
    assert {k: v["value"] for k, v in data.items()} == {
        k: v["value"] for k, v in figures.items() if k in data
    }
    assert "village_income_total" not in data and "appeals_received" in data
    assert data["communities"]["value"] == 1


def test_command_refuses_an_area_out_of_the_users_scope(world):
    with pytest.raises(CommandError, match="不在该账号的范围内"):
        call_command(
            "indicators",
            "--area",
            world.street_b.code,
            "--user",
            world.users[Role.STREET_STAFF].username,
        )


def test_command_refuses_a_malformed_period(world):
    with pytest.raises(CommandError, match="格式不对"):
        call_command("indicators", "--area", "370103", "--period", "24")
