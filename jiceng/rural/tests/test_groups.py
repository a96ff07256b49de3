"""跨村联建 and consortia: their facts over member villages, and pairings.

The fixture's 睦和联合党委 covers 睦邻村 A (一肩挑; 43 and 33 years old on 2023-12-31;
示范村 since 2022) and 和平村 A2 (secretary 53, director 48; 示范村 only from 2024).
"""

from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse

from jiceng.core.errors import PermissionDenied, ValidationFailed
from jiceng.core.roles import Role

from ..models import Pairing
from ..selectors import group_villages, groups_facts, village_group_facts
from ..services import pairing_create, pairing_end
from .factories import IncomeFactory


@pytest.fixture
def incomes(rural):
    IncomeFactory(area=rural.village_a, year=2023, amount=Decimal("600000"))
    IncomeFactory(area=rural.village_a2, year=2022, amount=Decimal("150000"))
    return rural


def facts(rural, user_key, year):
    user = rural.user(user_key)
    villages, total = group_villages(user=user, group=rural.joint)
    return village_group_facts(user=user, villages=villages, total=total, year=year)


def test_group_facts_by_hand(incomes):
    f = facts(incomes, Role.STREET_STAFF, 2023)
    assert (f.villages, f.one_shoulder, f.demonstration) == (2, 1, 1)
    assert f.average_age == Decimal("44.25")  # (43 + 33 + 53 + 48) / 4
    # A2 has no 2023 ledger: missing, not zero.
    assert (f.with_ledger, f.missing, f.income, f.income_per_village) == (
        1,
        1,
        Decimal("600000"),
        Decimal("600000"),
    )
    assert facts(incomes, Role.STREET_STAFF, 2024).demonstration == 2


def test_many_groups_at_once_agree_with_one(incomes):
    user = incomes.user(Role.STREET_STAFF)
    batch = groups_facts(user=user, groups=[incomes.joint], year=2023)[incomes.joint.pk]
    one = facts(incomes, Role.STREET_STAFF, 2023)
    assert (batch.one_shoulder, batch.average_age, batch.income, batch.total_members) == (
        one.one_shoulder,
        one.average_age,
        one.income,
        2,
    )


def test_a_first_secretary_sees_the_group_over_their_own_village_only(client, incomes):
    f = facts(incomes, "fs_a", 2023)
    assert (f.villages, f.total_members) == (1, 2)
    client.force_login(incomes.user("fs_a"))
    page = client.get(reverse("rural:group_detail", args=[incomes.joint.pk])).content.decode()
    assert "睦邻村" in page and "和平村" not in page and "仅统计您管辖范围内的 1 个村" in page


def test_pairings_join_two_member_villages(incomes):
    user = incomes.user(Role.STREET_STAFF)
    pairing = pairing_create(
        by=user,
        group=incomes.joint,
        kind="strong_weak",
        leading=incomes.village_a,
        paired=incomes.village_a2,
        started_on=date(2023, 3, 1),
    )
    with pytest.raises(ValidationFailed, match="已按该方式结对"):
        pairing_create(
            by=user,
            group=incomes.joint,
            kind="strong_weak",
            leading=incomes.village_a,
            paired=incomes.village_a2,
            started_on=date(2023, 4, 1),
        )
    with pytest.raises(ValidationFailed, match="不是睦和联合党委的成员村"):
        pairing_create(
            by=user,
            group=incomes.joint,
            kind="big_small",
            leading=incomes.village_a,
            paired=incomes.village_a3,
            started_on=date(2023, 4, 1),
        )
    with pytest.raises(ValidationFailed, match="不能相同"):
        pairing_create(
            by=user,
            group=incomes.joint,
            kind="big_small",
            leading=incomes.village_a,
            paired=incomes.village_a,
            started_on=date(2023, 4, 1),
        )
    pairing_end(by=user, pairing=pairing, ended_on=date(2024, 1, 1))
    assert Pairing.objects.get().ended_on == date(2024, 1, 1)


def test_only_organizers_arrange_pairings(incomes):
    with pytest.raises(PermissionDenied):
        pairing_create(
            by=incomes.user("fs_a"),
            group=incomes.joint,
            kind="strong_weak",
            leading=incomes.village_a,
            paired=incomes.village_a2,
            started_on=date(2023, 3, 1),
        )
    assert not Pairing.objects.exists()


def test_the_group_pages(client, incomes):
    client.force_login(incomes.user(Role.STREET_STAFF))
    listing = client.get(reverse("rural:group_list"), {"year": 2023}).content.decode()
    assert "睦和联合党委" in listing and "1/2" in listing
    response = client.post(
        reverse("rural:pairing_create", args=[incomes.joint.pk]),
        {
            "kind": "big_small",
            "leading": incomes.village_a.code,
            "paired": incomes.village_a2.code,
            "started_on": "2023-05-01",
        },
    )
    assert response.status_code == 302
    page = client.get(reverse("rural:group_detail", args=[incomes.joint.pk])).content.decode()
    assert "大村+小村" in page and "结对中" in page
