"""Materialized paths made of digits: a subtree is one range scan on an indexed column.

A node's path begins with its parent's path, so "everything under X" is
``X.path <= path < successor(X.path)``: a plain B-tree range that both SQLite and
PostgreSQL answer from the index (unlike LIKE, which needs a pattern index). Paths hold
only the digits 0-9, so byte order and any locale's collation agree.
"""

from collections.abc import Iterable

from django.db.models import Q


def successor(prefix: str) -> str:
    """The smallest digit string greater than every string that starts with ``prefix``."""
    digits = prefix.rstrip("9")
    if not digits:
        return ":"  # greater than any digit string (':' follows '9')
    return digits[:-1] + str(int(digits[-1]) + 1)


def subtree_q(field: str, prefix: str) -> Q:
    return Q(**{f"{field}__gte": prefix, f"{field}__lt": successor(prefix)})


def minimal_prefixes(prefixes: Iterable[str]) -> list[str]:
    """Drop every prefix that lies under another one, so that ranges never overlap."""
    kept: list[str] = []
    for p in sorted(set(prefixes)):
        if not kept or not p.startswith(kept[-1]):
            kept.append(p)
    return kept


def forest_q(field: str, prefixes: Iterable[str]) -> Q:
    """Rows under any of the prefixes; with no prefix at all, no row."""
    q = Q(pk__in=[])
    for p in minimal_prefixes(prefixes):
        q |= subtree_q(field, p)
    return q
