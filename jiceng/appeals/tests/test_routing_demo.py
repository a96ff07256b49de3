"""Routing over the Shizhong demo district: generated address variants, the demo's aliases
and its grid polygons.

Routing reads only the district's areas, aliases, geometry and stewards: the demo's core
steps are loaded once for the module, without the apps' parts (twelve months of appeals
and the rest), inside a transaction rolled back at the end.
"""

import io
from unittest import mock

import pytest
from django.conf import settings

from jiceng.appeals.routing import normalize_address, reset_index, route
from jiceng.appeals.routing.variants import VariantMaker
from jiceng.core.demo import load_demo
from jiceng.core.demo.people import DEMO_COMMUNITY, DEMO_GRID
from jiceng.core.models import Area, AreaAlias, AreaKind, User
from jiceng.core.roles import Role
from jiceng.testing import rolled_back

pytestmark = pytest.mark.skipif(
    not (settings.SHARED_DATA_DIR / "divisions" / "370103_villages.csv").is_file(),
    reason="the shared divisions data is not available on this machine",
)


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    with rolled_back(django_db_blocker), mock.patch("jiceng.core.demo.load.demo_parts", list):
        yield load_demo(stdout=io.StringIO())


@pytest.fixture
def loaded(demo, db, settings):
    settings.ROUTING_INDEX_CHECK_SECONDS = 0
    reset_index()
    yield
    reset_index()


def test_generated_address_variants_route_to_their_grid(loaded):
    variants = VariantMaker(seed="test").make(3000)
    codes = [getattr(route(address=v.address).grid, "code", None) for v in variants]
    right = sum(1 for v, code in zip(variants, codes, strict=True) if code == v.grid_code)
    assert right / len(variants) >= 0.95


@pytest.mark.parametrize(
    "address",
    [
        "春元里小区3号楼",
        "春元里三栋二单元301",
        "济南市市中区杆石桥街道春元里社区春元里小区 3-2-301",
        "杆石桥春元里，３幢",
    ],
)
def test_chunyuanli_building_three_goes_to_the_demo_grid_steward(loaded, address):
    result = route(address=address)
    assert result.grid.code == DEMO_GRID
    assert result.method == "building"
    assert result.steward == User.objects.get(username=Role.GRID_STEWARD.value).person


def test_chunyuanli_community_falls_back_to_its_chief_steward(loaded):
    result = route(address="春元里居委会")
    assert (result.method, result.area.code) == ("community", DEMO_COMMUNITY)
    assert result.steward == User.objects.get(username=Role.CHIEF_STEWARD.value).person


def test_every_demo_alias_is_stored_normalized_and_routes_to_its_compound(loaded):
    aliases = list(AreaAlias.objects.select_related("area"))
    assert len(aliases) > 100
    assert {a.area.kind for a in aliases} == {AreaKind.COMPOUND}
    for alias in aliases:
        assert alias.normalized == normalize_address(alias.alias)
    routed = {a.alias: getattr(route(address=a.alias).grid, "code", None) for a in aliases}
    misrouted = [a.alias for a in aliases if routed[a.alias] != a.area.code[:15]]
    assert len(misrouted) <= len(aliases) * 0.02, misrouted[:10]


def test_every_building_location_routes_to_its_grid(loaded):
    buildings = Area.objects.filter(kind=AreaKind.BUILDING).order_by("code")
    for code, lng, lat in buildings.values_list("code", "lng", "lat")[::7]:
        result = route(lng=lng, lat=lat)
        assert (result.method, result.grid.code) == ("point", code[:15])
