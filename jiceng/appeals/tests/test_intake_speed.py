"""The one-appeal path's query budget and the per-process lookups it reads.

These tests run outside a test transaction (``transaction=True``), as the resident page
does, because the lookups are kept only when read from committed data.
"""

from datetime import timedelta

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from jiceng.appeals import lookups, services
from jiceng.appeals.models import DutyRoster, StewardAbsence
from jiceng.appeals.tests.factories import SlaPolicyFactory

pytestmark = pytest.mark.django_db(transaction=True)

ADDRESS = "纬二路小区1号楼"
# One submission routed to a grid with an on-duty steward, once the lookups are warm:
# the appeal INSERT, its two events in one INSERT, the audit chain (savepoint, last hash,
# INSERT, release), the owner's account and inbox row, the stats rollup (day and month
# rows: two statements on SQLite, one on PostgreSQL), and the transaction's BEGIN and
# COMMIT. Before the lookups it was 16: policies, rosters, absences
# and webhook endpoints were read again for every appeal.
SINGLE_SUBMISSION_QUERIES = 12


@pytest.fixture(autouse=True)
def _fresh_lookups(settings):
    # Routing checks its index key at most once a second in production, every call in
    # tests; take the production behaviour so the budget counts the submission alone.
    settings.ROUTING_INDEX_CHECK_SECONDS = 60
    lookups.clear()
    yield
    lookups.clear()


def submit(**kw):
    values = dict(
        by=None,
        kind="help",
        channel="web",
        description="楼道灯坏了，晚上看不见",
        address=ADDRESS,
        phone="13800001111",
    )
    values.update(kw)
    return services.appeal_submit(**values)


def test_a_single_submission_stays_within_its_query_budget(
    world, stewards, django_assert_max_num_queries
):
    SlaPolicyFactory()
    submit()  # warms the routing index and the lookups
    with CaptureQueriesContext(connection) as warm:
        appeal = submit()
    assert appeal.owner_id == stewards.grid.pk and appeal.sla_policy_id is not None
    # PostgreSQL adds the audit chain's advisory lock and writes both rollups in one statement.
    with django_assert_max_num_queries(SINGLE_SUBMISSION_QUERIES):
        submit()
    tables = " ".join(q["sql"] for q in warm.captured_queries)
    lookup_tables = ("slapolicy", "dutyroster", "stewardabsence", "webhookendpoint")
    for table in [f"appeals_{name}" for name in lookup_tables]:
        assert table not in tables


def test_a_new_policy_applies_to_the_next_submission(world, stewards):
    SlaPolicyFactory(resolve_limit=48)
    first = submit()
    SlaPolicyFactory(urgency="urgent", resolve_limit=6)
    second = submit(urgency="urgent")
    assert second.sla_policy.resolve_limit == 6
    assert second.resolve_due_at - second.submitted_at == timedelta(hours=6)
    assert first.resolve_due_at - first.submitted_at == timedelta(hours=48)


def test_an_absence_entered_after_the_lookup_sends_the_next_appeal_to_the_backup(world, stewards):
    today = timezone.localdate()
    backup = stewards.chief
    DutyRoster.objects.create(
        grid=world.grid_a1, steward=stewards.grid, backup=backup, starts_on=today
    )
    assert submit().owner_id == stewards.grid.pk
    StewardAbsence.objects.create(person=stewards.grid, starts_on=today, ends_on=today)
    assert submit().owner_id == backup.pk


def test_rows_read_inside_a_transaction_that_rolls_back_are_not_kept(world, stewards):
    with transaction.atomic():
        SlaPolicyFactory(resolve_limit=10)
        assert submit().sla_policy.resolve_limit == 10
        transaction.set_rollback(True)
    # No policy is left: the next appeal takes the fallback limits, not the rolled-back row.
    appeal = submit()
    assert appeal.sla_policy is None
    assert appeal.resolve_due_at - appeal.submitted_at != timedelta(hours=10)
