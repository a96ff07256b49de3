"""What one appeal adds to its rollup row: the one definition of every count.

The receiver applies (after − before) of this function; the rebuild sums it over all rows.
Both read the same fields (``FIELDS``), so a rebuilt table equals a maintained one.

Overdue is a fact that changes with time alone. The rollup learns of it by events: an
appeal is overdue once it is resolved after its limit, or once the SLA sweep escalates it
(the sweep runs every minute and escalates an appeal the first time it is past its
response or resolution limit; its ``escalate`` event reaches the receiver like any other).
So an open appeal past its limit counts as overdue at most one sweep interval late, and
the dashboards never need a time-dependent query on the appeals table.
"""

from datetime import date, timedelta

from django.utils import timezone

from ..models import Rating, Result, Status

# Fields of an appeal that decide its rollup key and counts (all in services' TRACKED).
FIELDS = (
    "submitted_at",
    "area_id",
    "category_id",
    "channel",
    "status",
    "contacted_at",
    "response_due_at",
    "resolve_due_at",
    "resolved_at",
    "paused_seconds",
    "result",
    "rating",
    "reopen_count",
    "escalation_level",
)

Key = tuple[date, int, int, str]  # day received, area id, category id (0: none), channel


def day_of(submitted_at) -> date:
    return (
        timezone.localdate(submitted_at)
        if timezone.is_aware(submitted_at)
        else (submitted_at.date())
    )


def contribution(row: dict) -> tuple[Key, dict[str, int]]:
    """The rollup key of an appeal in state ``row`` (``FIELDS`` → values) and its counts."""
    key = (
        day_of(row["submitted_at"]),
        row["area_id"],
        row["category_id"] or 0,
        row["channel"],
    )
    contacted, response_due = row["contacted_at"], row["response_due_at"]
    resolved, resolve_due = row["resolved_at"], row["resolve_due_at"]
    escalated = (row["escalation_level"] or 0) >= 1
    late = resolved is not None and resolve_due is not None and resolved > resolve_due
    # Resuming from a pause moved the limit later by the paused (working) time; without
    # that extension the limit was at most ``paused_seconds`` of wall time earlier.
    late_gross = (
        resolved is not None
        and resolve_due is not None
        and resolved > resolve_due - timedelta(seconds=row["paused_seconds"] or 0)
    )
    rating, result = row["rating"], row["result"]
    counts = {
        "received": 1,
        "responded_in_time": int(
            contacted is not None and (response_due is None or contacted <= response_due)
        ),
        "rejected": int(row["status"] == Status.REJECTED),
        "solved": int(result == Result.SOLVED),
        "partly": int(result == Result.PARTLY),
        "unsolved": int(result == Result.UNSOLVED),
        "satisfied": int(rating == Rating.SATISFIED),
        "basic": int(rating == Rating.BASIC),
        "unsatisfied": int(rating == Rating.UNSATISFIED),
        "unrated": int(rating == Rating.UNRATED),
        "reopened": int((row["reopen_count"] or 0) > 0),
        "overdue": int(escalated or late),
        "overdue_gross": int(escalated or late_gross),
    }
    return key, counts


def of_appeal(appeal) -> dict:
    return {f: getattr(appeal, f) for f in FIELDS}
