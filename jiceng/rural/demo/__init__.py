"""The rural part of ``load_demo``: village profiles, four years of ledger for every village,
first secretaries with their projects, trainings and alliances, supporters, and the
consortium's pairings. Deterministic (``plan.py``) and idempotent: every row is looked up
by its natural key and created only when missing.

Runs inside ``load_demo``'s transaction after the core's district, people and party
organizations exist. Posts (first secretary posts and the later posts of promoted
secretaries) are written through the core's ``post_create`` service; the first
secretaries are street staff of the demo (the demo's people are the core's).
"""

from .load import load_rural_demo

__all__ = ["load_rural_demo"]
