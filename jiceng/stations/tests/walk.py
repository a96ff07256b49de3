"""URL-walk parameters of the stations app (see jiceng/core/tests/walk.py).

Station A (睦和苑, street A) is active and in every area role's scope; station B (春元里,
street B) is out of scope and inactive, so the public finder never lists it either. Rider
A is appointed to grid A1, rider B to grid B1.
"""

from datetime import date

from jiceng.stations.models import GridAppointment, Rider, WarmStation

PUBLIC_ROUTES = ("stations:finder", "stations:checkin")
STATION_B_NAME = "春元里停用测试驿站"
RIDER_B_NAME = "春元里测试骑士"


def walk_params(world) -> dict:
    station_a, _ = WarmStation.objects.get_or_create(
        area=world.community_a1,
        name="睦和苑测试驿站",
        defaults={
            "address": "市中区纬二路1号",
            "lng": 116.99,
            "lat": 36.66,
            "hours": ["08:00-20:00"] * 7,
            "amenities": ["water"],
        },
    )
    station_b, _ = WarmStation.objects.get_or_create(
        area=world.community_b1,
        name=STATION_B_NAME,
        defaults={
            "address": "市中区春元里2号",
            "lng": 117.0,
            "lat": 36.65,
            "hours": ["08:00-20:00"] * 7,
            "active": False,
        },
    )
    rider_a, _ = Rider.objects.get_or_create(
        phone="17700000001",
        defaults={"name": "睦和苑测试骑士", "platform": "meituan", "area": world.community_a1},
    )
    rider_b, _ = Rider.objects.get_or_create(
        phone="17700000002",
        defaults={"name": RIDER_B_NAME, "platform": "eleme", "area": world.community_b1},
    )
    appointment_a, _ = GridAppointment.objects.get_or_create(
        rider=rider_a, grid=world.grid_a1, defaults={"starts_on": date(2024, 1, 1)}
    )
    appointment_b, _ = GridAppointment.objects.get_or_create(
        rider=rider_b, grid=world.grid_b1, defaults={"starts_on": date(2024, 1, 1)}
    )

    def inside(params):
        return lambda role: params

    st_in, st_out = {"pk": station_a.pk}, {"pk": station_b.pk}
    r_in, r_out = {"pk": rider_a.pk}, {"pk": rider_b.pk}
    return {
        "stations:station_detail": (inside(st_in), st_out),
        "stations:station_update": (inside(st_in), st_out),
        "stations:checkin": (inside(st_in), st_out),
        "stations:rider_detail": (inside(r_in), r_out),
        "stations:rider_update": (inside(r_in), r_out),
        "stations:rider_appoint": (inside(r_in), r_out),
        "stations:recognition_award": (inside(r_in), r_out),
        "stations:appointment_end": (
            inside({"pk": appointment_a.pk}),
            {"pk": appointment_b.pk},
        ),
    }


def out_of_scope_names(world) -> list[str]:
    return [STATION_B_NAME, RIDER_B_NAME, "17700000002"]
