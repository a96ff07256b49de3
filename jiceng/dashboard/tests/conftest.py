"""Appeals on both streets of the `world`, with their rollups, for the cockpit's tests."""

from dataclasses import dataclass
from datetime import datetime, timedelta

import pytest
from django.core.cache import cache
from django.utils import timezone

from jiceng.appeals.models import Status
from jiceng.appeals.stats.maintain import rollups_rebuild
from jiceng.appeals.tests.factories import AppealFactory, CategoryFactory

# Texts of street B that no account scoped inside street A may ever be shown.
STREET_B_TEXTS = [
    "杆石桥街道",
    "春元里社区",
    "春元里社区第一网格",
    "赵春元",
    "春元里督办漏水诉求",
    "DASHB00001",
    "春元里专属分类",
]


def _square(lng: float, lat: float) -> dict:
    d = 0.002
    ring = [[lng, lat], [lng + d, lat], [lng + d, lat + d], [lng, lat + d], [lng, lat]]
    return {"type": "Polygon", "coordinates": [ring]}


@dataclass
class Cockpit:
    month: str  # the month of the appeals, e.g. "2024-05"
    overdue_a: object
    appeal_b: object


@pytest.fixture(autouse=True)
def _clear_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def cockpit(world) -> Cockpit:
    tz = timezone.get_current_timezone()
    day = datetime(2024, 5, 10, 9, 30, tzinfo=tz)
    past = timezone.now() - timedelta(days=2)
    for grid, lng in ((world.grid_a1, 116.99), (world.grid_b1, 117.01)):
        grid.boundary = _square(lng, 36.65)
        grid.save(update_fields=["boundary"])
    light = CategoryFactory(name="公共照明", path="901")
    only_b = CategoryFactory(name="春元里专属分类", path="902")
    steward_a, person_b = world.people_a[1], world.people_b[0]
    overdue_a = AppealFactory(
        code="DASHA00001",
        title="纬二路路灯不亮",
        area=world.grid_a1,
        grid=world.grid_a1,
        category=light,
        channel="phone",
        owner=steward_a,
        status=Status.IN_PROGRESS,
        submitted_at=day,
        resolve_due_at=past,
        supervised=True,
    )
    for i in range(3):
        AppealFactory(
            area=world.grid_a1,
            grid=world.grid_a1,
            category=light,
            channel="web",
            owner=steward_a,
            status=Status.ACCEPTED,
            submitted_at=day + timedelta(days=i),
        )
    appeal_b = AppealFactory(
        code="DASHB00001",
        title="春元里督办漏水诉求",
        area=world.grid_b1,
        grid=world.grid_b1,
        category=only_b,
        channel="visit",
        owner=person_b,
        status=Status.IN_PROGRESS,
        submitted_at=day,
        resolve_due_at=past,
        supervised=True,
    )
    rollups_rebuild()
    return Cockpit("2024-05", overdue_a, appeal_b)
