"""The stations' fixtures: the appeals' stewards (grid steward accounts behind the world's
role users) for the report-to-points loop, and a clean cache for the rate limits."""

import pytest
from django.core.cache import cache

from jiceng.appeals.tests.conftest import _fresh_routing_index, stewards  # noqa: F401


@pytest.fixture(autouse=True)
def _clean_cache():
    cache.clear()
    yield
    cache.clear()
