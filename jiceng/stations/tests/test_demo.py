"""The demo part on the test district: stations placed at compounds of their street,
riders appointed to grids of their street, the demo rider login linked, created once."""

from jiceng.core.indicator_registry import Period
from jiceng.core.models import Area, AreaKind
from jiceng.core.tests.factories import UserFactory
from jiceng.stations.demo import load_stations_demo
from jiceng.stations.indicators import rider_grid_workers
from jiceng.stations.models import CheckIn, GridAppointment, Rider, WarmStation


def _placed_compounds(world):
    world.compound_a1.lng, world.compound_a1.lat = 116.9935, 36.6761
    world.compound_a1.address = "市中区纬二路41号"
    world.compound_a1.save()
    Area.objects.create(
        code=world.grid_b1.code + "001",
        name="春元里小区",
        kind=AreaKind.COMPOUND,
        parent=world.grid_b1,
        address="市中区春元里12号",
        lng=117.0011,
        lat=36.6512,
    )


def test_demo_is_deterministic_idempotent_and_placed_in_its_streets(world):
    _placed_compounds(world)
    rider_login = UserFactory(username="rider")
    created = load_stations_demo()
    assert created > 0
    snapshot = sorted(Rider.objects.values_list("phone", "name", "platform"))
    assert load_stations_demo() == 0
    assert sorted(Rider.objects.values_list("phone", "name", "platform")) == snapshot

    stations = list(WarmStation.objects.select_related("area"))
    assert {s.area.code for s in stations} == {world.community_a1.code, world.community_b1.code}
    for s in stations:
        compound = Area.objects.get(kind=AreaKind.COMPOUND, code__startswith=s.area.code)
        assert (s.lng, s.lat) == (round(compound.lng, 6), round(compound.lat, 6))
        assert s.hours and "water" in s.amenities
    assert CheckIn.objects.filter(station__in=stations).exists()

    for a in GridAppointment.objects.select_related("grid", "rider__area"):
        assert a.grid.code.startswith(a.rider.area.code)
    demo_rider = Rider.objects.get(user=rider_login)
    assert demo_rider.appointments.get().grid == world.grid_b1

    appointed = GridAppointment.objects.current().values("rider").distinct().count()
    figure = rider_grid_workers(
        area=world.district, period=Period("all"), user=world.users["district_admin"]
    )
    assert figure.value == appointed and appointed < Rider.objects.count()


def test_riders_report_in_the_grids_they_serve(world):
    from jiceng.appeals.models import Appeal, Channel

    _placed_compounds(world)
    UserFactory(username="rider")
    load_stations_demo()
    reports = Appeal.objects.filter(channel=Channel.RIDER).select_related("created_by")
    assert reports.exists()
    for appeal in reports:
        rider = Rider.objects.get(user=appeal.created_by)
        served = rider.appointments.order_by("starts_on").first().grid
        assert appeal.address.startswith("市中区") and appeal.area.code.startswith(served.code)
    assert len({a.area.code[:15] for a in reports}) > 1
