"""What the demo's modules share: the seed, the reference date and idempotent bulk writes."""

from collections.abc import Iterable, Iterator, Sequence
from datetime import date

from django.db import models

# Every generator is seeded from this, so the demo is the same on every machine and run.
SEED = "jiceng-demo-370103"
# Ages and terms are computed against this date, never against today.
REFERENCE_DATE = date(2024, 6, 30)
BATCH_SIZE = 1000
# SQLite allows 32,766 bound parameters per statement; stay far below.
LOOKUP_CHUNK = 900


class DemoError(Exception):
    """The demo cannot be loaded; the message (Chinese) says why."""


def chunked(values: Sequence, size: int = LOOKUP_CHUNK) -> Iterator[Sequence]:
    for start in range(0, len(values), size):
        yield values[start : start + size]


def existing(model: type[models.Model], key: str, values: Iterable, *fields: str) -> dict:
    """Rows of ``model`` whose ``key`` is among ``values``: key -> pk, or, when ``fields``
    are named, key -> (pk, *fields)."""
    found = {}
    values = list(dict.fromkeys(values))
    for chunk in chunked(values):
        rows = model.objects.filter(**{f"{key}__in": chunk}).values_list(key, "pk", *fields)
        for k, pk, *rest in rows:
            found[k] = (pk, *rest) if fields else pk
    return found


def bulk_create_missing(model: type[models.Model], rows: list[models.Model], key: str) -> int:
    """Insert the rows whose natural ``key`` is not in the table yet; return how many."""
    present = existing(model, key, [getattr(r, key) for r in rows])
    missing = [r for r in rows if getattr(r, key) not in present]
    model.objects.bulk_create(missing, batch_size=BATCH_SIZE)
    return len(missing)
