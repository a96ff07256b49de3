"""The Shizhong demo district (``manage.py load_demo``).

The demo is loaded once for the module inside a transaction that is rolled back at the
end, so other modules still start from an empty database; each test runs in a savepoint
inside it.
"""

import csv
import io

import pytest
import shapely
from django.conf import settings
from django.core.management import call_command
from django.db import connection
from django.test import RequestFactory
from shapely.geometry import Point, box, shape
from stdnum.cn import ric

from jiceng.core.demo import CORE_STEPS, load_demo
from jiceng.core.demo.accounts import PASSWORD, SCOPES, SUPERUSER
from jiceng.core.demo.areas import DISTRICT_CODE, official_units, plan_areas
from jiceng.core.demo.common import REFERENCE_DATE
from jiceng.core.demo.geometry import plan_geometry, sync_aliases, sync_geometry
from jiceng.core.demo.party import (
    CONSORTIUM_NAME,
    CONSORTIUM_STRONG,
    CONSORTIUM_WEAK,
    DOUGOU_STREET,
    JOINT_COMMITTEE_NAME,
    JOINT_VILLAGES,
    plan_party,
)
from jiceng.core.demo.people import DEMO_GRID, add_years, plan_people, region_code
from jiceng.core.demo.registry import demo_parts
from jiceng.core.models import (
    Area,
    AreaAlias,
    AreaKind,
    AuditEvent,
    Person,
    PoliticalStatus,
    Post,
    PostTitle,
    RoleAssignment,
    User,
)
from jiceng.core.roles import Role
from jiceng.party.models import PATH_STEP, PartyOrg, PartyOrgKind
from jiceng.testing import rolled_back

DIVISIONS = settings.SHARED_DATA_DIR / "divisions"

pytestmark = pytest.mark.skipif(
    not (DIVISIONS / "370103_villages.csv").is_file(),
    reason=f"the shared divisions data ({DIVISIONS}) is not available on this machine",
)


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    with rolled_back(django_db_blocker):
        out = io.StringIO()
        summary = load_demo(stdout=out)
        yield summary, out.getvalue()


@pytest.fixture
def loaded(demo, db):
    return demo[0]


def _official(kind: str) -> dict[str, str]:
    """code -> kind of the official file's rows."""
    if kind == "streets":
        with open(DIVISIONS / "370103_streets.csv", encoding="utf-8-sig") as f:
            return {row["code"]: AreaKind.STREET for row in csv.DictReader(f)}
    with open(DIVISIONS / "370103_villages.csv", encoding="utf-8-sig") as f:
        return {
            row["code"]: AreaKind.VILLAGE if "村" in row["kind"] else AreaKind.COMMUNITY
            for row in csv.DictReader(f)
        }


def _table_counts() -> dict[str, int]:
    counts = {}
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names(cursor):
            cursor.execute(f"SELECT COUNT(*) FROM {connection.ops.quote_name(table)}")
            counts[table] = cursor.fetchone()[0]
    return counts


def _age(born) -> int:
    return (
        REFERENCE_DATE.year
        - born.year
        - ((REFERENCE_DATE.month, REFERENCE_DATE.day) < (born.month, born.day))
    )


def test_progress_lines_name_the_official_counts(demo):
    _, output = demo
    steps = CORE_STEPS + len(demo_parts())  # the apps' registered parts follow the core
    assert f"[1/{steps}] 区划：17 个街道、216 个社区和村" in output
    assert f"[6/{steps}] 账号" in output


def test_district_streets_communities_and_villages_have_their_official_codes(loaded):
    assert Area.objects.filter(kind=AreaKind.DISTRICT).get().code == DISTRICT_CODE
    stored = dict(
        Area.objects.of_kind(AreaKind.STREET, AreaKind.COMMUNITY, AreaKind.VILLAGE).values_list(
            "code", "kind"
        )
    )
    assert stored == {**_official("streets"), **_official("villages")}
    assert Area.objects.filter(kind=AreaKind.STREET).count() == 17
    assert Area.objects.filter(kind=AreaKind.COMMUNITY).count() == 139
    assert Area.objects.filter(kind=AreaKind.VILLAGE).count() == 77
    assert Area.objects.get(code="370103003001").name == "春元里社区"


def test_every_community_and_village_has_a_grid(loaded):
    without = Area.objects.of_kind(AreaKind.COMMUNITY, AreaKind.VILLAGE).exclude(
        children__kind=AreaKind.GRID
    )
    assert list(without) == []


def test_every_grid_lies_in_one_community_or_village_and_extends_its_code(loaded):
    grids = Area.objects.filter(kind=AreaKind.GRID).select_related("parent")
    assert grids.count() > 216
    for grid in grids:
        assert grid.parent.kind in (AreaKind.COMMUNITY, AreaKind.VILLAGE), grid.code
        assert len(grid.code) == 15 and grid.code.startswith(grid.parent.code), grid.code
        assert grid.name.startswith(grid.parent.name) and grid.name.endswith("网格")


def test_community_grids_hold_300_to_500_households_and_sum_to_the_community(loaded):
    for community in Area.objects.filter(kind=AreaKind.COMMUNITY).prefetch_related("children"):
        sizes = [g.households for g in community.children.all()]
        assert all(300 <= h <= 500 for h in sizes), community.name
        assert sum(sizes) == community.households
    villages = Area.objects.filter(kind=AreaKind.VILLAGE).prefetch_related("children")
    assert all(1 <= len(v.children.all()) <= 3 for v in villages)


def test_compounds_and_buildings_nest_under_grids_with_addresses(loaded):
    compounds = Area.objects.filter(kind=AreaKind.COMPOUND).select_related("parent")
    buildings = Area.objects.filter(kind=AreaKind.BUILDING).select_related("parent")
    assert 1000 < compounds.count() <= 5000
    assert 1000 < buildings.count() <= 50_000
    for compound in compounds:
        assert compound.parent.kind == AreaKind.GRID
        assert compound.code.startswith(compound.parent.code) and len(compound.code) == 18
        assert compound.address.startswith("市中区"), compound.name
    assert not buildings.exclude(parent__kind=AreaKind.COMPOUND).exists()
    assert set(
        Area.objects.filter(code__startswith="370103003001").values_list("name", flat=True)
    ) >= {"春元里社区第1网格", "1号楼"}


def test_no_id_number_is_stored_in_clear_anywhere(loaded):
    numbers = [p.id_number for p in Person.objects.order_by("id")[:5]]
    assert all(len(n) == 18 for n in numbers)
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names(cursor):
            columns = [
                c.name for c in connection.introspection.get_table_description(cursor, table)
            ]
            where = " OR ".join(
                f"CAST({connection.ops.quote_name(c)} AS TEXT) LIKE %s"
                for c in columns
                for _ in numbers
            )
            params = [f"%{n}%" for _ in columns for n in numbers]
            cursor.execute(
                f"SELECT COUNT(*) FROM {connection.ops.quote_name(table)} WHERE {where}", params
            )
            assert cursor.fetchone()[0] == 0, table


def test_id_numbers_are_valid_and_agree_with_birth_date_and_sex(loaded):
    people = list(Person.objects.all())
    assert len(people) > 2000
    numbers = set()
    for person in people:
        number = person.id_number
        assert ric.is_valid(number), person.name
        assert number[:6] == region_code(person.birth_date)
        assert ric.get_birth_date(number) == person.birth_date
        assert (int(number[16]) % 2 == 1) == (person.sex == "M")
        numbers.add(number)
    assert len(numbers) == len(people)


def test_people_look_real(loaded):
    people = list(Person.objects.all())
    assert all(2 <= len(p.name) <= 4 for p in people)
    assert all(
        len(p.phone) == 11 and p.phone[:2] in {"13", "15", "16", "17", "18", "19"} for p in people
    )
    assert len({p.phone for p in people}) == len(people)
    assert all(18 <= _age(p.birth_date) <= 70 for p in people)
    for person in people:
        member = person.political_status in (PoliticalStatus.MEMBER, PoliticalStatus.PROBATIONARY)
        assert member == (person.party_joined_on is not None)
        if member:
            assert add_years(person.birth_date, 18) <= person.party_joined_on <= REFERENCE_DATE


def test_posts_start_between_2021_and_the_reference_date(loaded):
    assert Post.objects.count() > 2000
    assert not Post.objects.exclude(
        starts_on__year__gte=2021, starts_on__lte=REFERENCE_DATE
    ).exists()


def test_post_holders_of_the_ladder_exist_where_they_should(loaded):
    grids = Area.objects.filter(kind=AreaKind.GRID)
    stewards = Post.objects.filter(title=PostTitle.GRID_STEWARD)
    assert stewards.count() == grids.count()
    assert set(stewards.values_list("area_id", flat=True)) == set(
        grids.values_list("id", flat=True)
    )
    for title in (PostTitle.COMMUNITY_SECRETARY, PostTitle.CHIEF_STEWARD):
        assert Post.objects.filter(title=title).count() == 139
    assert Post.objects.filter(title=PostTitle.STREET_SECRETARY).count() == 17
    secretaries = Post.objects.filter(
        title__in=[PostTitle.COMMUNITY_SECRETARY, PostTitle.VILLAGE_SECRETARY]
    ).select_related("person")
    assert all(p.person.is_party_member and p.party_org_id for p in secretaries)


def test_party_tree_has_digit_paths_under_the_district_committee(loaded):
    orgs = {o.pk: o for o in PartyOrg.objects.all()}
    root = next(o for o in orgs.values() if o.parent_id is None)
    assert root.name == "中共济南市市中区委员会" and root.area.code == DISTRICT_CODE
    for org in orgs.values():
        assert org.path.isdigit() and len(org.path) % PATH_STEP == 0
        if org.parent_id:
            parent = orgs[org.parent_id]
            assert org.path.startswith(parent.path)
            assert len(org.path) == len(parent.path) + PATH_STEP
    # The area tree's own organizations (other demo parts add enterprise and two-new ones).
    areas = {a.pk: a.kind for a in Area.objects.filter(pk__in={o.area_id for o in orgs.values()})}
    kinds = [(o.kind, areas[o.area_id]) for o in orgs.values()]
    assert kinds.count((PartyOrgKind.WORKING_COMMITTEE, AreaKind.STREET)) == 17
    assert kinds.count((PartyOrgKind.COMMITTEE, AreaKind.DISTRICT)) == 1
    assert kinds.count((PartyOrgKind.COMMITTEE, AreaKind.COMMUNITY)) == 139
    assert kinds.count((PartyOrgKind.BRANCH, AreaKind.VILLAGE)) == 77
    covered = PartyOrg.objects.filter(covered_areas__code="370103003001")
    assert "中共春元里社区委员会" in {o.name for o in covered}


def test_joint_committee_covers_its_five_villages_all_with_one_shoulder(loaded):
    joint = PartyOrg.objects.get(name=JOINT_COMMITTEE_NAME)
    assert joint.kind == PartyOrgKind.JOINT_COMMITTEE
    assert joint.parent.name == "中共党家街道工作委员会"
    assert set(joint.covered_areas.values_list("code", flat=True)) == set(JOINT_VILLAGES)
    assert {a.name for a in joint.covered_areas.all()} == {
        "西渴马东村",
        "土屋村",
        "相家庄村",
        "寨而头村",
        "宅科村",
    }
    team_ages = []
    for code in JOINT_VILLAGES:
        posts = Post.objects.filter(area__code=code)
        secretaries = set(
            posts.filter(title=PostTitle.VILLAGE_SECRETARY).values_list("person_id", flat=True)
        )
        directors = set(
            posts.filter(title=PostTitle.VILLAGE_DIRECTOR).values_list("person_id", flat=True)
        )
        assert secretaries and secretaries == directors, code
        team = posts.filter(
            title__in=[
                PostTitle.VILLAGE_SECRETARY,
                PostTitle.VILLAGE_DIRECTOR,
                PostTitle.VILLAGE_COMMITTEE_MEMBER,
            ]
        )
        team_ages += [_age(p.birth_date) for p in Person.objects.filter(posts__in=team).distinct()]
    assert sum(team_ages) / len(team_ages) < 45


def test_one_shoulder_is_common_but_not_universal_elsewhere(loaded):
    villages = Area.objects.filter(kind=AreaKind.VILLAGE)
    both = 0
    for village in villages:
        secretary = Post.objects.filter(area=village, title=PostTitle.VILLAGE_SECRETARY).get()
        both += Post.objects.filter(
            area=village, title=PostTitle.VILLAGE_DIRECTOR, person_id=secretary.person_id
        ).exists()
    assert 0.7 * villages.count() <= both < villages.count()


def test_consortium_pairs_strong_and_weak_villages_of_dougou(loaded):
    consortium = PartyOrg.objects.get(name=CONSORTIUM_NAME)
    assert consortium.kind == PartyOrgKind.CONSORTIUM
    assert consortium.area.code == DOUGOU_STREET
    codes = set(consortium.covered_areas.values_list("code", flat=True))
    assert codes == set(CONSORTIUM_STRONG + CONSORTIUM_WEAK)
    assert all(c.startswith(DOUGOU_STREET) for c in codes)


@pytest.mark.parametrize("role", list(Role))
def test_one_demo_login_per_role_logs_in_with_its_scope(loaded, client, role):
    user = User.objects.get(username=role.value)
    assignment = RoleAssignment.objects.get(user=user)
    assert assignment.role == role
    assert assignment.area.code == SCOPES[role]
    request = RequestFactory().post("/")
    assert client.login(request=request, username=role.value, password=PASSWORD)


def test_superuser_logs_in(loaded, client):
    assert User.objects.get(username=SUPERUSER).is_superuser
    assert client.login(request=RequestFactory().post("/"), username=SUPERUSER, password=PASSWORD)


def test_steward_logins_are_the_stewards_of_their_grid(loaded):
    grid = Area.objects.get(code=DEMO_GRID)
    for role, title in (
        (Role.GRID_STEWARD, PostTitle.GRID_STEWARD),
        (Role.SHARED_STEWARD, PostTitle.SHARED_STEWARD),
    ):
        person = User.objects.get(username=role.value).person
        assert person.posts.filter(title=title, area=grid).exists()
    first = User.objects.get(username=Role.FIRST_SECRETARY.value).person
    assert first.posts.filter(title=PostTitle.FIRST_SECRETARY, area__code="370103021210").exists()


def test_the_load_leaves_one_audit_row(loaded):
    row = AuditEvent.objects.get(action="demo.load")
    assert row.actor_id is None and row.object_repr == "市中区演示数据"
    assert row.changes["created"]["people"] == Person.objects.count()


def test_plans_are_the_same_on_every_run(loaded):
    district, streets, units = official_units()
    first, second = plan_areas(units), plan_areas(units)
    assert first == second
    party = plan_party(district, streets, units)
    assert plan_people(streets, units, first, party) == plan_people(streets, units, second, party)


def test_a_second_run_creates_nothing(loaded):
    before = _table_counts()
    out = io.StringIO()
    call_command("load_demo", stdout=out)
    assert _table_counts() == before
    assert AuditEvent.objects.filter(action="demo.load").count() == 1
    output = out.getvalue()
    assert "未新建任何记录" in output
    assert PASSWORD in output and "grid_steward" in output


# ---- geometry and aliases ---------------------------------------------------------------

# Shizhong's real extent, WGS-84.
EXTENT = (116.90, 36.50, 117.05, 36.68)


def _shapes(kinds) -> dict:
    return {
        code: shape(boundary)
        for code, boundary in Area.objects.filter(kind__in=kinds).values_list("code", "boundary")
    }


def test_every_area_down_to_the_grid_has_a_polygon_inside_shizhong(loaded):
    kinds = [
        AreaKind.DISTRICT,
        AreaKind.STREET,
        AreaKind.COMMUNITY,
        AreaKind.VILLAGE,
        AreaKind.GRID,
    ]
    assert not Area.objects.filter(kind__in=kinds, boundary__isnull=True).exists()
    extent = box(*EXTENT)
    for code, geom in _shapes(kinds).items():
        assert geom.geom_type == "Polygon" and geom.is_valid and geom.area > 0, code
        assert extent.contains(geom), code


def test_grids_tile_their_community_and_overlap_nothing(loaded):
    grids = _shapes([AreaKind.GRID])
    units = _shapes([AreaKind.COMMUNITY, AreaKind.VILLAGE])
    by_unit: dict[str, list] = {}
    for code, geom in grids.items():
        by_unit.setdefault(code[:12], []).append(geom)
    for unit, cells in by_unit.items():
        union = shapely.union_all(cells)
        assert union.symmetric_difference(units[unit]).area < 1e-12, unit
        assert abs(sum(c.area for c in cells) - units[unit].area) < 1e-12, unit
    codes = list(grids)
    geoms = [grids[c] for c in codes]
    left, right = shapely.STRtree(geoms).query(geoms, predicate="intersects")
    for i, j in zip(left, right, strict=True):
        if i < j:
            assert geoms[i].intersection(geoms[j]).area < 1e-12, (codes[i], codes[j])


def test_streets_tile_the_district_and_villages_lie_south_of_communities(loaded):
    district = shape(Area.objects.get(kind=AreaKind.DISTRICT).boundary)
    streets = _shapes([AreaKind.STREET]).values()
    assert shapely.union_all(list(streets)).symmetric_difference(district).area < 1e-12
    assert abs(sum(s.area for s in streets) - district.area) < 1e-12

    def mean_lat(kind):
        cells = _shapes([kind]).values()
        return sum(c.centroid.y for c in cells) / len(cells)

    assert mean_lat(AreaKind.VILLAGE) < mean_lat(AreaKind.COMMUNITY) - 0.02


def test_compounds_and_buildings_have_points_inside_their_grid(loaded):
    grids = _shapes([AreaKind.GRID])
    rows = Area.objects.filter(kind__in=[AreaKind.COMPOUND, AreaKind.BUILDING])
    assert not rows.filter(lng__isnull=True).exists()
    for code, lng, lat in rows.values_list("code", "lng", "lat"):
        assert grids[code[:15]].covers(Point(lng, lat)), code


def test_compounds_get_the_names_residents_use_as_aliases(loaded):
    aliases = {
        (a.area.name, a.alias): a.normalized for a in AreaAlias.objects.select_related("area")
    }
    assert ("春元里小区", "春元里") in aliases
    dorms = [(name, alias) for name, alias in aliases if name.endswith(("宿舍", "家属院"))]
    assert dorms and all(alias.endswith("号院") for _, alias in dorms)
    courtyards = [(name, alias) for name, alias in aliases if name.endswith("号院")]
    assert courtyards and all(alias.endswith(("宿舍", "家属院")) for _, alias in courtyards)
    assert all(normalized for normalized in aliases.values())


def test_geometry_is_the_same_on_every_run_and_not_rewritten(loaded):
    _, streets, units = official_units()
    areas = plan_areas(units)
    codes = [s.code for s in streets]
    first = plan_geometry(codes, units, areas)
    assert first == plan_geometry(codes, units, areas)
    assert sync_geometry(first) == 0
    assert sync_aliases(first) == 0
