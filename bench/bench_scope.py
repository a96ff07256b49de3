"""Subtree and scoped-list reads on the demo district: median time per call.

Usage: python bench/bench_scope.py [--repeat N]
"""

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402

from jiceng.core.models import Area, AreaKind, User  # noqa: E402
from jiceng.core.selectors import area_list_visible_to, person_list_visible_to  # noqa: E402


def timed(label: str, func, repeat: int) -> None:
    func()  # warm up
    samples = []
    for _ in range(repeat):
        start = time.perf_counter()
        result = func()
        samples.append((time.perf_counter() - start) * 1000)
    print(
        f"{label:<58} {statistics.median(samples):8.2f} ms  (p95 "
        f"{sorted(samples)[int(len(samples) * 0.95) - 1]:.2f} ms, result {result})"
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=50)
    args = parser.parse_args()
    print(f"database: {connection.vendor}; areas: {Area.objects.count()}")
    district = Area.objects.get(kind=AreaKind.DISTRICT)
    street = Area.objects.filter(kind=AreaKind.STREET).order_by("code")[1]
    admin = User.objects.get(username="district_admin")
    street_staff = User.objects.get(username="street_staff")

    timed(
        "subtree count under the district (range scan)",
        lambda: Area.objects.subtree(district.code).count(),
        args.repeat,
    )
    timed(
        f"subtree count under {street.name}",
        lambda: Area.objects.subtree(street.code).count(),
        args.repeat,
    )
    timed(
        "buildings under a street (range + kind)",
        lambda: Area.objects.subtree(street.code).filter(kind=AreaKind.BUILDING).count(),
        args.repeat,
    )

    def fresh(user):
        user.__dict__.pop("_jiceng_scope", None)
        return user

    timed(
        "street_staff: visible areas count (scope + range)",
        lambda: area_list_visible_to(user=fresh(street_staff)).count(),
        args.repeat,
    )
    timed(
        "district_admin: people page 1 (50 rows)",
        lambda: len(list(person_list_visible_to(user=fresh(admin))[:50])),
        args.repeat,
    )
    timed(
        "street_staff: people page 1 (50 rows)",
        lambda: len(list(person_list_visible_to(user=fresh(street_staff))[:50])),
        args.repeat,
    )
    timed(
        "street_staff: people count",
        lambda: person_list_visible_to(user=fresh(street_staff)).count(),
        args.repeat,
    )

    with connection.cursor() as cursor:
        sql, params = Area.objects.subtree(street.code).values("id").query.sql_with_params()
        explain = "EXPLAIN QUERY PLAN " if connection.vendor == "sqlite" else "EXPLAIN "
        cursor.execute(explain + sql, params)
        print("plan of the subtree query:")
        for row in cursor.fetchall():
            print("   ", row[-1])


if __name__ == "__main__":
    main()
