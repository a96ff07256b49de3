"""Appeal intake throughput: the full service path against raw INSERTs of the same rows.

Pushes N appeals through the intake service (validation, routing, SLA policy and
deadlines, duty roster, the appeal row, its events, the audit chain, the owner's inbox
notification) in batches (``appeal_submit_many``, the path of API batches and 12345
transfer files), a smaller number one transaction each (``appeal_submit``, the resident
page's path), then inserts the batched rows again with a plain multi-row INSERT, and
prints the rates. Run against a loaded demo database
(it needs the compounds and stewards); the bench's appeals are deleted afterwards (their
audit rows stay: the log is append-only).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/jiceng .venv/bin/python \
        bench/appeals_intake.py [-n 2000]
"""

import argparse
import os
import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")

import django  # noqa: E402

django.setup()

from django.db import connection, transaction  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from jiceng.appeals.models import Appeal, new_tracking_code  # noqa: E402
from jiceng.appeals.routing import route  # noqa: E402
from jiceng.appeals.services import Submission, appeal_submit, appeal_submit_many  # noqa: E402
from jiceng.core.models import Area, AreaKind  # noqa: E402

TEXTS = [
    "楼道声控灯坏了一个多月，晚上上下楼看不见。",
    "暖气不热，室温只有十四五度，家里有老人孩子。",
    "下水道堵塞，污水返到一楼院子里。",
    "楼上装修每天早上七点就开始砸墙，周末也不停。",
    "有人从楼上拉线给电动车充电，很危险。",
]


def addresses(n: int, rng: random.Random) -> list[str]:
    buildings = list(
        Area.objects.filter(kind=AreaKind.BUILDING).select_related("parent").order_by("code")[:5000]
    )
    if not buildings:
        sys.exit("没有楼栋数据：请先运行 manage.py load_demo。")
    return [f"{b.parent.name}{b.name}" for b in (rng.choice(buildings) for _ in range(n))]


def submissions(items: list[str], rng: random.Random) -> list[Submission]:
    return [
        Submission(
            kind="help",
            channel="web",
            description=rng.choice(TEXTS),
            address=a,
            phone=f"138{rng.randrange(10**8):08d}",
        )
        for a in items
    ]


def _submit_one(s: Submission):
    return appeal_submit(
        by=None,
        kind=s.kind,
        channel=s.channel,
        description=s.description,
        address=s.address,
        phone=s.phone,
    )


def queries_per_appeal(subs: list[Submission]) -> tuple[float, list[int]]:
    """Database round trips of one submission, once the per-process lookups are warm."""
    appeals = [_submit_one(s) for s in subs[:2]]
    with CaptureQueriesContext(connection) as captured:
        appeals += [_submit_one(s) for s in subs[2:]]
    return len(captured.captured_queries) / max(1, len(subs) - 2), [a.pk for a in appeals]


def one_by_one(subs: list[Submission]) -> tuple[float, float, list[int]]:
    """Each appeal in its own transaction, as the resident page submits it: (wall
    seconds, this process's CPU seconds, ids)."""
    ids = []
    start, cpu = time.perf_counter(), time.process_time()
    for s in subs:
        appeal = appeal_submit(
            by=None,
            kind=s.kind,
            channel=s.channel,
            description=s.description,
            address=s.address,
            phone=s.phone,
        )
        ids.append(appeal.pk)
    return time.perf_counter() - start, time.process_time() - cpu, ids


def batched(subs: list[Submission], size: int) -> tuple[float, list[int]]:
    """Batches through ``appeal_submit_many`` (API batches, 12345 transfer files)."""
    ids = []
    start = time.perf_counter()
    for i in range(0, len(subs), size):
        ids += [a.pk for a in appeal_submit_many(by=None, submissions=subs[i : i + size])]
    return time.perf_counter() - start, ids


def raw_insert(ids: list[int]) -> tuple[float, list[int]]:
    """The same rows (new codes) as multi-row INSERTs in one transaction."""
    fields = [f for f in Appeal._meta.concrete_fields if not f.primary_key]
    columns = [f.column for f in fields]
    rows = []
    for appeal in Appeal.objects.filter(pk__in=ids).order_by("pk"):
        appeal.code = new_tracking_code()
        rows.append([f.get_db_prep_save(getattr(appeal, f.attname), connection) for f in fields])
    table = connection.ops.quote_name(Appeal._meta.db_table)
    cols = ", ".join(connection.ops.quote_name(c) for c in columns)
    one = "(" + ", ".join(["%s"] * len(columns)) + ")"
    batch = 200
    start = time.perf_counter()
    with transaction.atomic(), connection.cursor() as cursor:
        for i in range(0, len(rows), batch):
            chunk = rows[i : i + batch]
            sql = f"INSERT INTO {table} ({cols}) VALUES " + ", ".join([one] * len(chunk))
            cursor.execute(sql, [v for row in chunk for v in row])
    elapsed = time.perf_counter() - start
    codes = [r[columns.index("code")] for r in rows]
    return elapsed, list(Appeal.objects.filter(code__in=codes).values_list("pk", flat=True))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("-n", type=int, default=2000, help="appeals to submit in batches")
    parser.add_argument("--batch", type=int, default=200, help="appeals per batch")
    parser.add_argument(
        "--single", type=int, default=300, help="appeals also submitted one transaction each"
    )
    parser.add_argument("--keep", action="store_true", help="keep the bench's appeals")
    args = parser.parse_args()
    rng = random.Random(20240630)
    items = addresses(args.n + args.single, rng)
    route(address=items[0])  # build the routing index outside the timing
    print(f"database: {connection.vendor}; appeals before: {Appeal.objects.count()}")
    subs = submissions(items, rng)
    per_appeal, probe_ids = queries_per_appeal(subs[:12])
    single_s, single_cpu, single_ids = one_by_one(subs[12 : args.single])
    service_s, ids = batched(subs[args.single :], args.batch)
    raw_s, raw_ids = raw_insert(ids)
    n_single = len(single_ids)
    print(
        f"service, one per transaction : {n_single / single_s:8.0f} appeals/s  "
        f"({single_s:.2f} s for {n_single}; {n_single / single_cpu:.0f} per CPU-second of "
        f"this process; {per_appeal:.0f} queries each)"
    )
    print(
        f"service, batches of {args.batch:<4}     : {args.n / service_s:8.0f} appeals/s  "
        f"({service_s:.2f} s for {args.n}: validation, routing, SLA, dispatch, events, "
        "audit chain, inbox)"
    )
    print(
        f"raw INSERT of the same rows  : {len(raw_ids) / raw_s:8.0f} rows/s     "
        f"({raw_s:.2f} s, multi-row INSERT, appeal rows only)"
    )
    print(f"batched service / raw INSERT : {service_s / raw_s:8.1f}x the time")
    if not args.keep:
        Appeal.objects.filter(pk__in=probe_ids + single_ids + ids + raw_ids).delete()


if __name__ == "__main__":
    main()
