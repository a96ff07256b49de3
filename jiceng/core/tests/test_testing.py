"""The shared test helpers of jiceng/testing.py."""

from django.db import connections

from jiceng.core.models import User
from jiceng.testing import BROWSER, POSTGRES_ONLY, chromium

# SQLite's in-memory test database never closes its connections; on PostgreSQL an open
# one keeps the test database from being dropped at the end of the run.
pytestmark = [*BROWSER, *POSTGRES_ONLY]


def test_a_connection_opened_inside_the_browser_block_is_closed_when_it_ends():
    with chromium():
        User.objects.count()
        inside = connections["default"]
        assert inside.connection is not None
    assert inside.connection is None
