"""Demonstration points: counts by level and year (registered indicators included), the
plan's progress from its measures, and who may designate and follow up."""

import pytest
from django.urls import reverse

from jiceng.core.indicator_registry import Period, compute
from jiceng.core.models import AuditEvent
from jiceng.core.roles import Role
from jiceng.party.models import DemoLevel, DemonstrationPoint, MeasureStatus, PlanMeasure
from jiceng.party.selectors.organizations import plan_progress, point_counts
from jiceng.party.tests.factories import OrganizationFactory, PointFactory

POINT_KEYS = [
    "demonstration_points",
    "demonstration_points_province",
    "demonstration_points_city",
    "demonstration_points_district",
]


def html(response) -> str:
    return response.content.decode()


@pytest.fixture
def points(world):
    """A: province 2022, city 2023, district 2023 ×2; B: district 2024."""
    rows = [
        PointFactory(organization__area=world.community_a1, level=DemoLevel.PROVINCE, year=2022),
        PointFactory(organization__area=world.community_a1, level=DemoLevel.CITY, year=2023),
        PointFactory(organization__area=world.community_a1, level=DemoLevel.DISTRICT, year=2023),
        PointFactory(organization__area=world.street_a, level=DemoLevel.DISTRICT, year=2023),
        PointFactory(organization__area=world.community_b1, level=DemoLevel.DISTRICT, year=2024),
    ]
    return rows


def values(user, area, period=None):
    out = compute(area=area, period=Period.parse(period), user=user, keys=POINT_KEYS)
    return [out[k]["value"] for k in POINT_KEYS]


def test_indicators_count_by_level_and_scope(world, points):
    admin = world.users[Role.DISTRICT_ADMIN]
    assert values(admin, world.district) == [5, 1, 1, 3]
    assert values(admin, world.district, "2023") == [4, 1, 1, 2]
    assert values(world.users[Role.STREET_STAFF], world.district) == [4, 1, 1, 2]
    points[0].delete()
    assert values(admin, world.district) == [4, 0, 1, 3]


def test_counts_by_year(world, points):
    counts = point_counts(user=world.users[Role.DISTRICT_ADMIN])
    assert counts["total"] == 5
    assert counts["years"] == [(2022, [1, 0, 0], 1), (2023, [0, 1, 2], 3), (2024, [0, 0, 1], 1)]


def test_plan_progress_is_the_mean_of_the_measures(world, points):
    point = points[0]
    assert plan_progress(point.measures.all()) is None
    for percent in (100, 50, 0):
        PlanMeasure.objects.create(point=point, title=f"措施{percent}", percent=percent)
    assert plan_progress(point.measures.all()) == 50


def test_point_list_shows_counts_and_progress(client, world, points, django_assert_max_num_queries):
    PlanMeasure.objects.create(point=points[1], title="措施", percent=40)
    client.force_login(world.users[Role.STREET_STAFF])
    with django_assert_max_num_queries(9 + 3):
        page = html(client.get(reverse("party:point_list")))
    assert 'data-indicator="demonstration_points"' in page and "40%" in page
    assert points[4].organization.name not in page


def test_district_admin_designates_and_others_cannot(client, world):
    org = OrganizationFactory(name="示范企业", area=world.community_a1)
    url = reverse("party:point_designate", args=[org.pk])
    data = {"level": DemoLevel.CITY, "year": "2023", "citation": "市级命名", "plan_goal": "目标"}
    client.force_login(world.users[Role.STREET_STAFF])
    assert client.post(url, data).status_code == 403
    assert not DemonstrationPoint.objects.exists()
    client.force_login(world.users[Role.DISTRICT_ADMIN])
    response = client.post(url, data)
    point = DemonstrationPoint.objects.get()
    assert response["Location"] == point.get_absolute_url()
    assert (point.level, point.year, point.plan_label) == (DemoLevel.CITY, 2023, "一企一策")
    assert AuditEvent.objects.filter(action="party.point.designate").count() == 1
    # The same level twice is refused.
    page = html(client.post(url, data))
    assert "已是市级示范点" in page and DemonstrationPoint.objects.count() == 1


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"level": "", "year": "2023"}, "请选择级别"),
        ({"level": DemoLevel.CITY, "year": "1999"}, "命名年度应在 2000 到"),
        ({"level": DemoLevel.CITY, "year": "20x3"}, "年度应为 4 位数字"),
    ],
)
def test_bad_designation_changes_nothing(client, world, data, message):
    org = OrganizationFactory(area=world.community_a1)
    client.force_login(world.users[Role.DISTRICT_ADMIN])
    response = client.post(reverse("party:point_designate", args=[org.pk]), data)
    assert response.status_code == 400 and message in html(response)
    assert not DemonstrationPoint.objects.exists()


def test_community_staff_follow_up_the_measures(client, world, points):
    point = points[2]
    client.force_login(world.users[Role.COMMUNITY_STAFF])
    client.post(reverse("party:measure_add", args=[point.pk]), {"title": "规范三会一课"})
    measure = PlanMeasure.objects.get(point=point)
    assert measure.status == MeasureStatus.PLANNED
    url = reverse("party:measure_progress", args=[measure.pk])
    client.post(url, {"percent": "60"})
    measure.refresh_from_db()
    assert (measure.percent, measure.status) == (60, MeasureStatus.IN_PROGRESS)
    client.post(url, {"percent": "100"})
    measure.refresh_from_db()
    assert measure.status == MeasureStatus.DONE
    response = client.post(url, {"percent": "120"}, follow=True)
    assert "完成进度应为 0 到 100 之间的整数" in html(response)
    measure.refresh_from_db()
    assert measure.percent == 100
    page = html(client.get(point.get_absolute_url()))
    assert "整体进度 100%" in page


def test_measures_of_another_street_are_404(client, world, points):
    measure = PlanMeasure.objects.create(point=points[4], title="春元里措施")
    client.force_login(world.users[Role.STREET_STAFF])
    response = client.post(reverse("party:measure_progress", args=[measure.pk]), {"percent": "9"})
    assert response.status_code == 404
    measure.refresh_from_db()
    assert measure.percent == 0
