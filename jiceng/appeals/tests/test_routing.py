"""Routing an address or a location to its grid, on the small two-street world.

Street A (大观园) holds 睦和苑社区 with grid A1-1, compound 纬二路小区 and its 1号楼; street
B (杆石桥) holds 春元里社区 with grid B1-1 and the village 测试村.
"""

import io
import json
from datetime import timedelta

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from jiceng.appeals.routing import normalize_address, reset_index, route
from jiceng.core.models import AreaAlias, AreaKind, PostTitle
from jiceng.core.tests.factories import AreaFactory, PersonFactory, PostFactory


@pytest.fixture(autouse=True)
def fresh_index(settings):
    settings.ROUTING_INDEX_CHECK_SECONDS = 0
    reset_index()
    yield
    reset_index()


def _square(lng: float, lat: float, size: float = 0.01) -> dict:
    ring = [[lng, lat], [lng + size, lat], [lng + size, lat + size], [lng, lat + size]]
    return {"type": "Polygon", "coordinates": [[*ring, ring[0]]]}


def _compound(grid, seq: int, name: str, address: str = ""):
    return AreaFactory(
        code=f"{grid.code}{seq:03d}",
        name=name,
        kind=AreaKind.COMPOUND,
        parent=grid,
        address=address,
    )


def _building(compound, seq: int, name: str | None = None):
    return AreaFactory(
        code=f"{compound.code}{seq:03d}",
        name=name or f"{seq}号楼",
        kind=AreaKind.BUILDING,
        parent=compound,
    )


@pytest.fixture
def chief(world):
    person = PersonFactory(name="孙总管", area=world.community_a1)
    PostFactory(person=person, title=PostTitle.CHIEF_STEWARD, area=world.community_a1)
    return person


@pytest.mark.parametrize(
    "address",
    [
        "纬二路小区1号楼",
        "纬二路小区一号楼",
        "纬二路小区１栋",
        "纬二路小区1幢2单元301室",
        "济南市市中区大观园街道睦和苑社区纬二路小区 1-2-301",
        "纬二路小区，1#楼",
    ],
)
def test_a_building_routes_to_its_grid_and_steward(world, address):
    result = route(address=address)
    assert result.method == "building"
    assert result.area == world.grid_a1 and result.grid == world.grid_a1
    assert result.steward.name == "李网格"
    assert result.confidence >= 0.9


def test_a_compound_without_a_known_building_routes_by_the_compound(world):
    result = route(address="纬二路小区9号楼")
    assert (result.method, result.grid) == ("compound", world.grid_a1)
    assert result.normalized == "纬二路小区9号楼"


def test_a_compound_routes_by_its_street_address(world):
    _compound(world.grid_b1, 1, "电业局宿舍", address="市中区纬二路12号")
    for address in ("纬二路12号", "纬二路十二号院", "济南市市中区纬二路12号"):
        result = route(address=address)
        assert result.grid == world.grid_b1, address
        assert result.method in ("compound", "alias")


def test_an_alias_row_routes_to_its_compound(world):
    AreaAlias.objects.create(
        area=world.compound_a1, alias="老电业局宿舍", normalized=normalize_address("老电业局宿舍")
    )
    result = route(address="老电业局宿舍")
    assert (result.method, result.grid) == ("alias", world.grid_a1)
    assert result.confidence < route(address="纬二路小区").confidence


def test_a_derived_name_routes_like_an_alias(world):
    _compound(world.grid_b1, 1, "春元里小区")
    result = route(address="春元里3号楼")
    assert (result.method, result.grid) == ("alias", world.grid_b1)


def test_an_estate_part_routes_by_its_numeral_in_any_spelling(world):
    _compound(world.grid_a1, 2, "盛世新城一区")
    _compound(world.grid_b1, 2, "盛世新城六区")
    for address in ("盛世新城六区", "盛世新城6区", "盛世新城第六区"):
        assert route(address=address).grid == world.grid_b1, address


def test_a_shared_name_is_settled_by_the_street_or_community_in_the_address(world):
    _compound(world.grid_a1, 2, "阳光家园")
    _compound(world.grid_b1, 1, "阳光家园")
    ambiguous = route(address="阳光家园")
    assert ambiguous.grid is None
    settled = route(address="杆石桥街道阳光家园")
    assert settled.grid == world.grid_b1
    assert settled.normalized == "阳光家园"
    assert route(address="春元里居委会阳光家园").grid == world.grid_b1
    assert route(address="睦和苑社区阳光家园").grid == world.grid_a1
    assert settled.confidence < route(address="纬二路小区").confidence


def test_a_shared_name_is_settled_by_the_building_that_exists(world):
    a = _compound(world.grid_a1, 2, "阳光家园")
    b = _compound(world.grid_b1, 1, "阳光家园")
    _building(a, 1)
    _building(b, 1)
    _building(b, 7)
    result = route(address="阳光家园7号楼")
    assert (result.method, result.grid) == ("building", world.grid_b1)


def test_a_name_shared_inside_one_community_falls_back_to_its_chief_steward(world, chief):
    second = AreaFactory(
        code=world.community_a1.code + "002",
        name="睦和苑社区第二网格",
        kind=AreaKind.GRID,
        parent=world.community_a1,
    )
    _compound(world.grid_a1, 2, "阳光家园")
    _compound(second, 1, "阳光家园")
    result = route(address="阳光家园")
    assert (result.method, result.area, result.grid) == ("community", world.community_a1, None)
    assert result.steward == chief


def test_a_location_routes_to_the_grid_polygon_holding_it(world):
    world.grid_a1.boundary = _square(117.00, 36.65)
    world.grid_a1.save()
    world.grid_b1.boundary = _square(117.02, 36.65)
    world.grid_b1.save()
    result = route(address="某某路", lng=117.005, lat=36.655)
    assert (result.method, result.grid) == ("point", world.grid_a1)
    assert result.steward.name == "李网格"
    assert route(lng=117.025, lat=36.655).grid == world.grid_b1


def test_the_address_outranks_the_location(world):
    world.grid_b1.boundary = _square(117.02, 36.65)
    world.grid_b1.save()
    result = route(address="纬二路小区1号楼", lng=117.025, lat=36.655)
    assert (result.method, result.grid) == ("building", world.grid_a1)
    assert result.confidence < route(address="纬二路小区1号楼").confidence


def test_the_spatial_index_follows_a_changed_boundary(world):
    world.grid_a1.boundary = _square(117.00, 36.65)
    world.grid_a1.save()
    assert route(lng=117.005, lat=36.655).grid == world.grid_a1

    world.grid_a1.boundary = _square(116.90, 36.50)
    world.grid_a1.save()
    world.grid_b1.boundary = _square(117.00, 36.65)
    world.grid_b1.save()
    assert route(lng=117.005, lat=36.655).grid == world.grid_b1


def test_the_index_is_checked_only_every_interval(world, settings):
    settings.ROUTING_INDEX_CHECK_SECONDS = 3600
    assert route(address="阳光家园").method == "none"
    _compound(world.grid_b1, 1, "阳光家园")
    assert route(address="阳光家园").method == "none"  # not checked again yet
    reset_index()
    assert route(address="阳光家园").grid == world.grid_b1


def test_a_location_outside_every_grid_falls_back_to_the_community_holding_it(world, chief):
    world.community_a1.boundary = _square(117.00, 36.65, size=0.05)
    world.community_a1.save()
    result = route(lng=117.03, lat=36.66)
    assert (result.method, result.area, result.steward) == ("community", world.community_a1, chief)


@pytest.mark.parametrize("address", ["睦和苑社区", "睦和苑居委会", "大观园街道睦和苑社区门口"])
def test_a_named_community_falls_back_to_its_chief_steward(world, chief, address):
    result = route(address=address)
    assert (result.method, result.area, result.grid) == ("community", world.community_a1, None)
    assert result.steward == chief
    assert 0 < result.confidence < 0.8


def test_a_community_without_a_chief_steward_falls_back_to_its_secretary(world):
    result = route(address="春元里社区")
    assert (result.method, result.area) == ("community", world.community_b1)
    assert result.steward.name == "赵春元"


def test_a_named_village_is_a_community_fallback(world):
    result = route(address="杆石桥街道测试村村委会")
    assert (result.method, result.area) == ("community", world.village_b2)


def test_a_named_street_is_the_last_fallback(world):
    result = route(address="杆石桥办事处不知道哪个楼")
    assert (result.method, result.area, result.grid, result.steward) == (
        "street",
        world.street_b,
        None,
        None,
    )


@pytest.mark.parametrize("address", ["", "火星基地", "   ，。 "])
def test_nothing_recognised_routes_nowhere(world, address):
    result = route(address=address)
    assert (result.method, result.area, result.grid, result.steward) == ("none", None, None, None)
    assert result.confidence == 0.0


def test_a_road_is_not_read_as_a_compound_named_like_it(world):
    _compound(world.grid_b1, 1, "英雄山小区")
    assert route(address="英雄山小区").grid == world.grid_b1
    assert route(address="英雄山路300号").method == "none"


def _run(*args, stdin: str | None = None) -> str:
    out = io.StringIO()
    options = {"stdout": out}
    if stdin is not None:
        options["stdin"] = io.StringIO(stdin)
    call_command("route", *args, **options)
    return out.getvalue()


def test_route_command_prints_the_json_of_one_address(world):
    data = json.loads(_run("纬二路小区1号楼", "--json"))
    assert data == {
        "grid_code": world.grid_a1.code,
        "grid_name": world.grid_a1.name,
        "steward": "李网格",
        "method": "building",
        "confidence": data["confidence"],
    }
    assert 0.9 <= data["confidence"] <= 1


def test_route_command_reads_one_address_per_line_from_stdin(world, chief):
    lines = _run("--json", stdin="纬二路小区1号楼\n睦和苑社区\n火星\n").splitlines()
    rows = [json.loads(line) for line in lines]
    assert [r["method"] for r in rows] == ["building", "community", "none"]
    assert rows[1]["grid_code"] is None and rows[1]["steward"] == "孙总管"
    assert rows[2] == {
        "grid_code": None,
        "grid_name": None,
        "steward": None,
        "method": "none",
        "confidence": 0.0,
    }


def test_route_command_takes_a_location(world):
    world.grid_a1.boundary = _square(117.00, 36.65)
    world.grid_a1.save()
    data = json.loads(_run("", "--lng", "117.005", "--lat", "36.655", "--json"))
    assert (data["grid_code"], data["method"]) == (world.grid_a1.code, "point")
    alone = json.loads(_run("--lng", "117.005", "--lat", "36.655", "--json", stdin="不读\n"))
    assert alone == data


def test_route_command_prints_a_readable_line_without_json(world):
    line = _run("纬二路小区1号楼").strip()
    assert world.grid_a1.name in line and "李网格" in line and "楼栋" in line


def test_route_command_refuses_half_a_location(world):
    with pytest.raises(CommandError):
        _run("纬二路小区", "--lng", "117.0")


def test_an_alias_of_a_community_is_read_as_its_name(world, chief):
    AreaAlias.objects.create(
        area=world.community_a1, alias="睦和苑片区", normalized=normalize_address("睦和苑片区")
    )
    result = route(address="睦和苑片区东门")
    assert (result.method, result.area, result.steward) == ("community", world.community_a1, chief)


def test_the_steward_is_the_one_in_post_today(world):
    yesterday = timezone.localdate() - timedelta(days=1)
    world.grid_a1.posts.filter(title=PostTitle.GRID_STEWARD).update(ends_on=yesterday)
    successor = PersonFactory(name="新管家", area=world.grid_a1)
    PostFactory(
        person=successor, title=PostTitle.GRID_STEWARD, area=world.grid_a1, starts_on=yesterday
    )
    assert route(address="纬二路小区1号楼").steward == successor
