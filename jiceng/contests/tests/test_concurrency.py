"""Two submissions of one sheet at the same moment: the row lock lets one through and
the other finds the sheet locked (PostgreSQL: real row locks)."""

import threading
import time

import pytest
from django.db import connection, connections

from jiceng.core.errors import PermissionDenied

from .. import services
from ..models import Score, ScoreSheet, SheetStatus
from ..services import sheets as sheet_services
from .factories import ScoreSheetFactory

pytestmark = [
    pytest.mark.postgres_only,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="row locks need PostgreSQL (SQLite has one writer)",
    ),
]


def test_a_sheet_submitted_twice_at_once_keeps_exactly_one_submission(cw, monkeypatch):
    sheet = ScoreSheetFactory(round_entry=cw.re_a, judge=cw.judge)
    write = sheet_services._write

    def slow_write(*args, **kwargs):
        # Hold the row lock long enough for the other submission to arrive and wait on it.
        time.sleep(0.3)
        return write(*args, **kwargs)

    monkeypatch.setattr(sheet_services, "_write", slow_write)
    barrier = threading.Barrier(2)
    outcomes: dict[str, object] = {}

    def submit(impact: str) -> None:
        try:
            barrier.wait()
            judge = type(cw.judge).objects.get(pk=cw.judge.pk)
            services.sheet_submit(
                by=judge,
                sheet=ScoreSheet.objects.get(pk=sheet.pk),
                values={cw.impact.pk: impact, cw.show.pk: "70"},
            )
            outcomes[impact] = "ok"
        except Exception as e:  # surfaced below
            outcomes[impact] = e
        finally:
            connections.close_all()

    threads = [threading.Thread(target=submit, args=(v,)) for v in ("81", "92")]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    winners = [v for v, outcome in outcomes.items() if outcome == "ok"]
    losers = [o for o in outcomes.values() if o != "ok"]
    assert len(winners) == 1, outcomes
    assert len(losers) == 1 and isinstance(losers[0], PermissionDenied)
    sheet.refresh_from_db()
    assert sheet.status == SheetStatus.SUBMITTED
    stored = Score.objects.get(sheet=sheet, criterion=cw.impact).value
    assert str(stored) == f"{winners[0]}.0"
