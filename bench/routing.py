"""Routing throughput and accuracy on the demo district.

Prints addresses/s of ``route()`` for the text path (generated address variants) and for
the point path (building locations), and the share of N generated variants routed to the
right grid. Run against a loaded demo database:

    DATABASE_URL=sqlite:////tmp/route.sqlite3 .venv/bin/python bench/routing.py [-n 20000]
"""

import argparse
import os
import sys
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402

from jiceng.appeals.routing import normalize_address, reset_index, route  # noqa: E402
from jiceng.appeals.routing.index import get_index  # noqa: E402
from jiceng.appeals.routing.variants import VariantMaker  # noqa: E402
from jiceng.core.models import Area, AreaKind  # noqa: E402


def timed(label: str, func, items: list, repeat: int) -> list:
    """Run ``func`` over ``items`` ``repeat`` times; print the best rate, by CPU time of
    this process (the machine may be shared) and by wall-clock time."""
    best_cpu = best_wall = float("inf")
    for _ in range(repeat):
        wall, cpu = time.perf_counter(), time.process_time()
        results = [func(item) for item in items]
        best_cpu = min(best_cpu, time.process_time() - cpu)
        best_wall = min(best_wall, time.perf_counter() - wall)
    n = len(items)
    print(
        f"{label:<36} {n / best_cpu:>10,.0f} addresses/s per CPU second, "
        f"{n / best_wall:>10,.0f} per wall second  (best of {repeat}, {n:,} each)"
    )
    return results


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("-n", type=int, default=20_000, help="generated variants")
    parser.add_argument("--repeat", type=int, default=3, help="timed runs; the best counts")
    parser.add_argument("--show", type=int, default=10, help="misrouted variants to print")
    args = parser.parse_args()

    print(f"database: {connection.vendor}; areas: {Area.objects.count():,}")
    reset_index()
    start = time.perf_counter()
    index = get_index()
    print(
        f"index built in {time.perf_counter() - start:.2f} s: {len(index.compounds):,} "
        f"compound keys, {len(index.buildings):,} buildings, {len(index.hints):,} hints"
    )
    start = time.perf_counter()
    index.spatial()
    print(f"STRtree built in {time.perf_counter() - start:.2f} s")

    variants = VariantMaker().make(args.n)
    addresses = [v.address for v in variants]

    timed("normalize_address", normalize_address, addresses, args.repeat)
    results = timed(
        "route(address=...)  text path", lambda a: route(address=a), addresses, args.repeat
    )
    points = list(
        Area.objects.filter(kind=AreaKind.BUILDING, lng__isnull=False)
        .order_by("code")
        .values_list("code", "lng", "lat")[: args.n]
    )
    located = timed(
        "route(lng=..., lat=...)  point path",
        lambda p: route(lng=p[1], lat=p[2]),
        points,
        args.repeat,
    )

    right = 0
    methods = Counter()
    wrong = []
    for variant, result in zip(variants, results, strict=True):
        methods[result.method] += 1
        if result.grid is not None and result.grid.code == variant.grid_code:
            right += 1
        else:
            wrong.append((variant, result))
    print(
        f"text accuracy: {right:,}/{len(variants):,} = {right / len(variants):.2%}  "
        f"methods: {dict(methods.most_common())}"
    )
    point_right = sum(
        1
        for (code, _, _), r in zip(points, located, strict=True)
        if r.grid is not None and r.grid.code == code[:15]
    )
    print(f"point accuracy: {point_right:,}/{len(points):,} = {point_right / len(points):.2%}")
    for variant, result in wrong[: args.show]:
        got = f"{result.area.code} {result.area.name}" if result.area else "—"
        print(f"  miss: {variant.address!r} → {result.method} {got} (want {variant.grid_code})")


if __name__ == "__main__":
    main()
