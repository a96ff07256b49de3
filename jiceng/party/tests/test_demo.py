"""The demo part on the official divisions (with a 党工委 per street, as the core's demo
makes them): property coverage 100% from the rows, two-new gaps, 36 points split 6/12/18,
the 梦享家 center, and a second run that creates nothing."""

from decimal import Decimal

import pytest
from django.conf import settings

from jiceng.core.demo.areas import DISTRICT_CODE, import_official
from jiceng.core.demo.registry import demo_parts
from jiceng.core.indicator_registry import Period, compute
from jiceng.core.models import Area, AreaKind
from jiceng.core.roles import Role
from jiceng.core.tests.factories import RoleAssignmentFactory, UserFactory
from jiceng.party.demo import CENTER_NAME, load_party_demo
from jiceng.party.models import PartyOrg, PartyOrgKind, ServiceCenter

DIVISIONS = settings.SHARED_DATA_DIR / "divisions"

pytestmark = pytest.mark.skipif(
    not (DIVISIONS / "370103_villages.csv").is_file(),
    reason=f"the shared divisions data ({DIVISIONS}) is not available on this machine",
)


@pytest.fixture
def admin(db):
    import_official()
    district = Area.objects.get(code=DISTRICT_CODE)
    root = PartyOrg.objects.create(
        name="区委", kind=PartyOrgKind.COMMITTEE, area=district, path="0001"
    )
    streets = Area.objects.filter(parent=district, kind=AreaKind.STREET).order_by("code")
    for i, street in enumerate(streets, start=1):
        PartyOrg.objects.create(
            name=f"{street.name}党工委",
            kind=PartyOrgKind.WORKING_COMMITTEE,
            area=street,
            parent=root,
            path=f"0001{i:04d}",
        )
    user = UserFactory(username="demo_admin")
    RoleAssignmentFactory(user=user, role=Role.DISTRICT_ADMIN, area=district)
    return user


def test_the_part_is_registered_for_load_demo():
    part = next(p for p in demo_parts() if p.key == "party")
    assert part.func is load_party_demo


def test_demo_figures_come_from_the_rows_and_a_second_run_creates_nothing(admin):
    assert load_party_demo() > 0
    district = Area.objects.get(code=DISTRICT_CODE)
    out = compute(area=district, period=Period.parse(None), user=admin)
    assert out["property_party_coverage"]["value"] == 1.0
    assert out["property_party_coverage"]["denominator"] >= 45
    two_new = out["two_new_party_coverage"]
    assert 0.7 < two_new["value"] < 1.0  # some gaps to close
    assert [
        out[f"demonstration_points{s}"]["value"] for s in ("", "_province", "_city", "_district")
    ] == [36, 6, 12, 18]
    center = ServiceCenter.objects.get(name=CENTER_NAME)
    assert (center.floor_space, center.address) == (Decimal("700.0"), "山东数字产业大厦")
    assert load_party_demo() == 0
