"""Routing: an appeal's address text or location → the grid that owns it.

In order: a building or compound named in the address (directly, by a street address, by an
alias) → that compound's grid; else the grid whose boundary holds the location; else the
community or village named in the address (or holding the location), answered by its
总管家 (属地兜底); else the street named in the address. Streets and communities named in
the address also narrow an ambiguous compound name, then are dropped from ``normalized``.

Lookups read the per-process index (``index.get_index``); the returned ``Area`` and
``Person`` objects are shared by every caller of that process and must not be modified.
"""

from jiceng.core.addresses import normalize_address

from .index import reset_index
from .route import RouteResult, route

__all__ = ["RouteResult", "normalize_address", "reset_index", "route"]
