"""Dashboard reads at the size of five years of a district: rollups against raw GROUP BY.

Generates ``--appeals`` appeals (default 3,000,000: five years of a busy district) spread
over the demo district's grids and communities, with COPY, then rebuilds the rollups with
the rebuild the command uses, and prints:

- the month's three rates for every street, community and grid (``rates_by_child``),
  target ≤ 200 ms;
- the cockpit's server time: the selectors it calls (rates by street, a year of daily
  volume by channel, the month's category totals, the month's hot spots), target ≤ 500 ms;
- the same three rates by a raw GROUP BY over the appeals, in the same run;
- what the rollups' receiver adds to intake (``appeal_submit`` one per transaction, with
  and without the receiver), target ≤ 20 %.

Run on PostgreSQL, in a database of its own that holds the demo (areas, stewards,
categories):

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/jiceng_bench .venv/bin/python \
        manage.py migrate
    DATABASE_URL=... .venv/bin/python manage.py load_demo
    DATABASE_URL=... .venv/bin/python bench/dashboard.py --appeals 300000   # try small
    DATABASE_URL=... .venv/bin/python bench/dashboard.py                    # 3M

The generated appeals (codes starting ``BN``) stay for the next run, which tops them up
to the requested number; ``--drop`` deletes them (and rebuilds the rollups) at the end.
"""

import argparse
import os
import random
import statistics
import sys
import time
from datetime import datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")

import django  # noqa: E402

django.setup()

from django.core.cache import cache  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.utils import timezone  # noqa: E402

from jiceng.appeals.models import Appeal, Category, Channel, Kind  # noqa: E402
from jiceng.appeals.services import appeal_submit  # noqa: E402
from jiceng.appeals.signals import appeals_changed  # noqa: E402
from jiceng.appeals.stats import selectors  # noqa: E402
from jiceng.appeals.stats.contributions import contribution, of_appeal  # noqa: E402
from jiceng.appeals.stats.maintain import (  # noqa: E402
    apply_deltas,
    on_appeals_changed,
    rollups_rebuild,
)
from jiceng.appeals.stats.models import AppealRollup  # noqa: E402
from jiceng.core.indicator_registry import Period  # noqa: E402
from jiceng.core.models import Area, AreaKind, Person, User  # noqa: E402

PREFIX = "BN"
YEARS = 5
CHANNELS = [c for c in Channel.values if c != Channel.API]
COLUMNS = (
    "code kind channel category_id urgency title description address address_normalized "
    "area_id grid_id routing_method routing_confidence resident_name phone anonymous status "
    "owner_id priority submitted_at response_due_at resolve_due_at contacted_at "
    "paused_seconds pause_reason resolved_at result explanation reject_reason rating "
    "rated_at closed_at reopen_count supervised escalation_level created_at updated_at"
).split()


def _rows(n: int, start_index: int, rng: random.Random, places, categories, owners, first, days):
    h = timedelta(hours=1)
    now = timezone.now()
    for i in range(start_index, start_index + n):
        area_id, grid_id = rng.choice(places)
        at = first + timedelta(seconds=rng.randrange(days * 86400))
        recent = (now - at).days < 20
        contacted = at + timedelta(minutes=rng.randrange(10, 200))
        resolve_due = at + 120 * h
        paused = 7200 if rng.random() < 0.05 else 0
        resolved = at + timedelta(hours=rng.randrange(4, 150))
        roll = rng.random()
        status, owner, result, rating = "closed", None, "", ""
        reject_reason, resolved_at, rated_at, closed_at = "", None, None, None
        if roll < 0.03:
            status, reject_reason, contacted, closed_at = "rejected", "不属于本辖区", None, at + h
        elif recent and roll < 0.4:
            status, owner = rng.choice(("dispatched", "in_progress", "paused")), rng.choice(owners)
            if status == "dispatched":
                contacted = None
        else:
            r = rng.random()
            result = "solved" if r < 0.85 else "partly" if r < 0.95 else "unsolved"
            r = rng.random()
            rating = (
                "satisfied"
                if r < 0.6
                else "basic"
                if r < 0.8
                else "unsatisfied"
                if r < 0.85
                else "unrated"
            )
            resolved_at, closed_at = resolved, resolved + 168 * h
            rated_at = resolved + 24 * h if rating != "unrated" else None
        late = resolved_at is not None and resolved_at > resolve_due
        yield (
            f"{PREFIX}{i:08d}",
            rng.choice(Kind.values),
            rng.choice(CHANNELS),
            rng.choice(categories),
            "normal",
            "楼道灯不亮",
            "楼道声控灯坏了一个多月，晚上上下楼看不见。",
            "",
            "",
            area_id,
            grid_id,
            "building",
            0.95,
            "",
            "",
            False,
            status,
            owner,
            False,
            at,
            at + 2 * h,
            resolve_due,
            contacted,
            paused,
            "",
            resolved_at,
            result,
            "已处理" if result else "",
            reject_reason,
            rating,
            rated_at,
            closed_at,
            1 if rng.random() < 0.03 else 0,
            False,
            1 if late else 0,
            at,
            at,
        )


def generate(target: int) -> int:
    have = Appeal.objects.filter(code__startswith=PREFIX).count()
    if have >= target:
        return 0
    grids = list(Area.objects.filter(kind=AreaKind.GRID).values_list("pk", flat=True))
    units = Area.objects.filter(kind__in=[AreaKind.COMMUNITY, AreaKind.VILLAGE])
    if not grids:
        sys.exit("没有网格数据：请先在此数据库运行 manage.py load_demo。")
    places = [(g, g) for g in grids] * 9 + [(u, None) for u in units.values_list("pk", flat=True)]
    categories = list(Category.objects.values_list("pk", flat=True)) or [None]
    owners = list(Person.objects.values_list("pk", flat=True)[:500])
    today = timezone.localdate()
    first = datetime.combine(
        today.replace(year=today.year - YEARS),
        datetime.min.time(),
        tzinfo=timezone.get_current_timezone(),
    )
    days = (today - first.date()).days
    rng = random.Random(20261128 + have)
    todo = target - have
    with connection.cursor() as cursor:
        raw = cursor.connection
        with (
            raw.cursor() as cur,
            cur.copy(f"COPY appeals_appeal ({', '.join(COLUMNS)}) FROM STDIN") as copy,
        ):
            for row in _rows(todo, have, rng, places, categories, owners, first, days):
                copy.write_row(row)
        cursor.execute("ANALYZE appeals_appeal")
    return todo


def timed(func, repeat: int = 5) -> tuple[float, object]:
    """Median wall time in ms over ``repeat`` runs (after one warm-up) and the result."""
    result = func()
    samples = []
    for _ in range(repeat):
        start = time.perf_counter()
        result = func()
        samples.append((time.perf_counter() - start) * 1000)
    return statistics.median(samples), result


RAW_SQL = """
SELECT substr(a.code, 1, %(len)s) AS unit,
       count(*) AS received,
       count(*) FILTER (WHERE p.contacted_at IS NOT NULL
                        AND (p.response_due_at IS NULL OR p.contacted_at <= p.response_due_at)),
       count(*) - count(*) FILTER (WHERE p.status = 'rejected'),
       count(*) FILTER (WHERE p.result = 'solved'),
       count(*) FILTER (WHERE p.rating IN ('satisfied', 'basic', 'unsatisfied')),
       count(*) FILTER (WHERE p.rating = 'satisfied'),
       count(*) FILTER (WHERE p.rating = 'basic')
FROM appeals_appeal p JOIN core_area a ON a.id = p.area_id
WHERE p.submitted_at >= %(start)s AND p.submitted_at < %(end)s
GROUP BY 1
"""


def raw_rates(month: Period, length: int) -> list:
    tz = timezone.get_current_timezone()
    start = datetime.combine(month.start, datetime.min.time(), tzinfo=tz)
    end = datetime.combine(month.end + timedelta(days=1), datetime.min.time(), tzinfo=tz)
    with connection.cursor() as cursor:
        cursor.execute(RAW_SQL, {"len": length, "start": start, "end": end})
        return cursor.fetchall()


def intake_cost(n: int) -> tuple[float, float]:
    """Seconds for ``n`` resident submissions with the receiver and without; the appeals are
    removed afterwards (their rollup contributions taken back first)."""
    from jiceng.appeals.routing import route

    buildings = list(
        Area.objects.filter(kind=AreaKind.BUILDING).select_related("parent").order_by("code")[:3000]
    )
    rng = random.Random(7)
    addresses = [f"{b.parent.name}{b.name}" for b in (rng.choice(buildings) for _ in range(2 * n))]
    route(address=addresses[0])
    made = []

    def run(items) -> float:
        start = time.perf_counter()
        for a in items:
            cache.clear()  # the per-phone rate limit
            made.append(
                appeal_submit(
                    by=None,
                    kind="help",
                    channel="web",
                    description="楼道声控灯坏了，晚上看不见。",
                    address=a,
                    phone=f"139{rng.randrange(10**8):08d}",
                ).pk
            )
        return time.perf_counter() - start

    # Interleave halves so that cache warmth and table growth favour neither side.
    with_s = without_s = 0.0
    half = n // 2
    for part in range(2):
        chunk = addresses[part * n : (part + 1) * n]
        with_s += run(chunk[:half])
        appeals_changed.disconnect(dispatch_uid="appeals.stats.rollups")
        try:
            without_s += run(chunk[half:])
        finally:
            appeals_changed.connect(on_appeals_changed, dispatch_uid="appeals.stats.rollups")
    with transaction.atomic():
        from collections import defaultdict

        deltas = defaultdict(lambda: defaultdict(int))
        for appeal in Appeal.objects.filter(pk__in=made):
            key, counts = contribution(of_appeal(appeal))
            for name, value in counts.items():
                deltas[key][name] -= value
        apply_deltas(deltas)
        Appeal.objects.filter(pk__in=made).delete()
    return with_s, without_s


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--appeals", type=int, default=3_000_000, help="appeals to generate")
    parser.add_argument("--intake", type=int, default=200, help="submissions timed per side")
    parser.add_argument("--no-rebuild", action="store_true", help="keep the current rollups")
    parser.add_argument("--drop", action="store_true", help="delete the generated appeals")
    args = parser.parse_args()
    if connection.vendor != "postgresql":
        sys.exit("请在 PostgreSQL 上运行（DATABASE_URL=postgres://...）。")
    user = User.objects.filter(username="district_admin").first()
    district = Area.objects.filter(kind=AreaKind.DISTRICT).order_by("code").first()
    if user is None or district is None:
        sys.exit("没有演示数据：请先在此数据库运行 manage.py load_demo。")

    t = time.perf_counter()
    added = generate(args.appeals)
    print(
        f"database: postgresql; generated {added:,} appeals in {time.perf_counter() - t:.0f} s; "
        f"appeals now {Appeal.objects.count():,}"
    )
    if added or not args.no_rebuild:
        t = time.perf_counter()
        rows = rollups_rebuild()
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE appeals_appealrollup")
        print(f"rollups_rebuild: {rows:,} rollup rows in {time.perf_counter() - t:.0f} s")
    print(f"rollup rows: {AppealRollup.objects.count():,}")

    this_month = timezone.localdate().replace(day=1)
    last = (this_month - timedelta(days=1)).replace(day=1)
    month = Period.parse(f"{last:%Y-%m}")
    print(f"month measured: {month.label} (medians of 5 runs, after a warm-up)")

    total = 0.0
    for kind in ("street", "community", "grid"):
        ms, rows = timed(
            lambda k=kind: selectors.rates_by_child(user=user, area=district, period=month, kind=k)
        )
        total += ms
        print(f"  rollups  rates_by_child {kind:<9}: {ms:7.1f} ms  ({len(rows)} areas)")
    print(f"  rollups  all three levels         : {total:7.1f} ms  (target ≤ 200 ms)")

    year_ago = last.replace(year=last.year - 1)
    cockpit = {
        "rates_by_child street": lambda: selectors.rates_by_child(
            user=user, area=district, period=month, kind="street"
        ),
        "volume_series 12 months": lambda: selectors.volume_series(
            user=user, area=district, start=year_ago, end=month.end
        ),
        "category_totals month": lambda: selectors.category_totals(
            user=user, area=district, period=month
        ),
        "hot_spots month": lambda: selectors.hot_spots(user=user, area=district, period=month),
    }
    total = 0.0
    for label, func in cockpit.items():
        ms, _ = timed(func)
        total += ms
        print(f"  cockpit  {label:<25}: {ms:7.1f} ms")
    print(f"  cockpit  total                    : {total:7.1f} ms  (target ≤ 500 ms)")

    total = 0.0
    for kind, length in (("street", 9), ("community", 12), ("grid", 15)):
        ms, rows = timed(lambda n=length: raw_rates(month, n), repeat=3)
        total += ms
        print(f"  raw SQL  GROUP BY {kind:<9}       : {ms:7.1f} ms  ({len(rows)} groups)")
    print(f"  raw SQL  all three levels         : {total:7.1f} ms")
    ms, _ = timed(lambda: raw_rates(Period.parse(f"{last:%Y}"), 9), repeat=1)
    print(f"  raw SQL  a year by street         : {ms:7.1f} ms")
    ms, _ = timed(
        lambda: selectors.rates_by_child(
            user=user, area=district, period=Period.parse(f"{last:%Y}"), kind="street"
        ),
        repeat=3,
    )
    print(f"  rollups  a year by street         : {ms:7.1f} ms")

    if args.intake:
        with_s, without_s = intake_cost(args.intake)
        print(
            f"intake appeal_submit ×{args.intake}: with receiver {with_s * 1000 / args.intake:.1f} "
            f"ms/appeal, without {without_s * 1000 / args.intake:.1f} ms/appeal, "
            f"cost {100 * (with_s / without_s - 1):+.1f} % (target ≤ 20 %)"
        )
    if args.drop:
        Appeal.objects.filter(code__startswith=PREFIX).delete()
        rollups_rebuild()
        print("generated appeals dropped, rollups rebuilt")


if __name__ == "__main__":
    main()
