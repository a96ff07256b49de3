"""Keeping the rollups right: the ``appeals_changed`` receiver and the full rebuild."""

import functools
from collections import defaultdict

from django.db import connection, transaction
from django.db.models import Sum
from django.db.models.functions import TruncMonth

from jiceng.core.models import Area

from ..models import Appeal
from .contributions import FIELDS, Key, contribution, of_appeal
from .models import MEASURES, AppealMonthRollup, AppealRollup


def _add(deltas: dict, key: Key, counts: dict[str, int], sign: int) -> None:
    row = deltas[key]
    for name, value in counts.items():
        if value:
            row[name] += sign * value


@functools.lru_cache(maxsize=64)
def _upsert_sql(model, key_columns: tuple[str, ...], rows: int) -> str:
    """``INSERT ... VALUES (..), (..) ON CONFLICT (key) DO UPDATE SET n = n + excluded.n``
    for every count: one statement whether the rows exist or not, atomic on both databases.
    The rows' keys must be distinct (a statement may not update one row twice)."""
    qn = connection.ops.quote_name
    table = qn(model._meta.db_table)
    columns = [*key_columns, "area_code", *MEASURES]
    sets = ", ".join(f"{qn(m)} = {table}.{qn(m)} + excluded.{qn(m)}" for m in MEASURES)
    values = ", ".join([f"({', '.join(['%s'] * len(columns))})"] * rows)
    return (
        f"INSERT INTO {table} ({', '.join(qn(c) for c in columns)}) VALUES {values} "
        f"ON CONFLICT ({', '.join(qn(c) for c in key_columns)}) DO UPDATE SET {sets}"
    )


DAY_KEY = ("day", "area_id", "category_key", "channel")
MONTH_KEY = ("month", "area_id")
# Rows per statement: 20 parameters a row stays far below either database's limit.
BATCH_ROWS = 500


def _batches(rows: list[list]) -> list[list[list]]:
    return [rows[i : i + BATCH_ROWS] for i in range(0, len(rows), BATCH_ROWS)]


def apply_deltas(deltas: dict[Key, dict[str, int]], codes: dict[int, str] | None = None) -> None:
    """Add the deltas to their day rows and month rows, creating missing rows.

    Precondition: inside the transaction of the change. Concurrent writers are safe: each
    row is updated by ``INSERT ... ON CONFLICT DO UPDATE SET n = n + d``, which PostgreSQL
    runs under the row's lock (two inserts of a new key meet the unique index and the
    second becomes the update), the database-side equivalent of an ``F()`` update. Rows
    are written in key order, so two changes touching the same rows cannot deadlock. One
    change costs one round trip on PostgreSQL (the day rows in a data-modifying ``WITH``,
    the month rows in the main statement), two statements on SQLite (in process).
    ``codes`` maps area ids to codes where the caller has them (looked up otherwise).
    """
    codes = dict(codes or {})

    def code_of(area_id: int) -> str:
        if area_id not in codes:
            codes[area_id] = Area.objects.values_list("code", flat=True).get(pk=area_id)
        return codes[area_id]

    months: dict[tuple, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    day_rows, month_rows = [], []
    for key, delta in sorted(deltas.items()):
        if not any(delta.values()):
            continue
        day, area_id = key[0], key[1]
        day_rows.append([*key, code_of(area_id), *(delta.get(m, 0) for m in MEASURES)])
        for name, value in delta.items():
            months[(day.replace(day=1), area_id)][name] += value
    for key, delta in sorted(months.items()):
        if any(delta.values()):
            month_rows.append([*key, code_of(key[1]), *(delta.get(m, 0) for m in MEASURES)])
    statements = [
        (_upsert_sql(model, key_columns, len(batch)), [v for row in batch for v in row])
        for model, key_columns, rows in (
            (AppealRollup, DAY_KEY, day_rows),
            (AppealMonthRollup, MONTH_KEY, month_rows),
        )
        for batch in _batches(rows)
    ]
    if connection.vendor == "postgresql" and len(statements) == 2:
        (day_sql, day_params), (month_sql, month_params) = statements
        statements = [(f"WITH day_rows AS ({day_sql}) {month_sql}", day_params + month_params)]
    with connection.cursor() as cursor:
        for sql, params in statements:
            cursor.execute(sql, params)


def on_appeals_changed(sender, *, changes, **kwargs) -> None:
    """Receiver of ``appeals_changed``: move each appeal's contribution from its state
    before the change to its state after, in the change's transaction."""
    deltas: dict[Key, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    codes: dict[int, str] = {}
    for change in changes:
        if change.before is not None:
            key, counts = contribution(change.before)
            _add(deltas, key, counts, -1)
        key, counts = contribution(of_appeal(change.appeal))
        _add(deltas, key, counts, +1)
        if Appeal.area.is_cached(change.appeal):
            codes[change.appeal.area_id] = change.appeal.area.code
    apply_deltas(deltas, codes)


def rollups_rebuild(*, chunk: int = 20000) -> int:
    """Recompute every rollup row from the appeals; returns the number of rows written.

    One pass over the appeals in the order received, summed by key one day at a time and
    written in batches, in one transaction: readers see the old table or the new one. On
    PostgreSQL the table is locked first, so a change running meanwhile either committed
    before the read (and is counted) or waits at its rollup update until the rebuild
    commits (and then adds its delta to the rebuilt rows).
    """
    codes = dict(Area.objects.values_list("pk", "code"))
    written = 0
    with transaction.atomic():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                tables = f"{AppealRollup._meta.db_table}, {AppealMonthRollup._meta.db_table}"
                cursor.execute(f"LOCK TABLE {tables} IN EXCLUSIVE MODE")
        AppealRollup.objects.all().delete()
        AppealMonthRollup.objects.all().delete()
        rows = Appeal.objects.order_by("submitted_at").values_list(*FIELDS)
        day, totals = None, {}
        for values in rows.iterator(chunk_size=chunk):
            key, counts = contribution(dict(zip(FIELDS, values, strict=True)))
            if key[0] != day:
                written += _write(totals, codes)
                day, totals = key[0], {}
            sums = totals.get(key)
            if sums is None:
                sums = totals[key] = [0] * len(MEASURES)
            for i, name in enumerate(MEASURES):
                sums[i] += counts[name]
        written += _write(totals, codes)
        _rebuild_months()
    return written


def _rebuild_months() -> None:
    """The month rows, summed from the day rows just written (in the database)."""
    sums = {name: Sum(name) for name in MEASURES}
    grouped = (
        AppealRollup.objects.annotate(month=TruncMonth("day"))
        .values("month", "area_id", "area_code")
        .order_by()
        .annotate(**sums)
    )
    AppealMonthRollup.objects.bulk_create(
        (AppealMonthRollup(**g) for g in grouped.iterator(chunk_size=5000)), batch_size=5000
    )


def _write(totals: dict[Key, list[int]], codes: dict[int, str]) -> int:
    AppealRollup.objects.bulk_create(
        [
            AppealRollup(
                day=day,
                area_id=area_id,
                area_code=codes[area_id],
                category_key=category_key,
                channel=channel,
                **dict(zip(MEASURES, sums, strict=True)),
            )
            for (day, area_id, category_key, channel), sums in totals.items()
        ],
        batch_size=5000,
    )
    return len(totals)
