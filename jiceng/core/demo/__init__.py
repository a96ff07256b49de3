"""The Shizhong (市中区, 370103) demo district: ``load_demo`` builds it, idempotently.

The official streets, communities and villages come from the shared divisions files;
everything below them (grids, compounds, buildings), the people, their posts, the party
organizations and one login per role are generated from a fixed seed and fixed dates.
Every row is looked up by its natural key (area code, blind index of the ID number, party
path, username) and created only when missing, so a second run creates nothing.
"""

from .common import DemoError
from .load import CORE_STEPS, COUNT_LABELS, DemoSummary, load_demo
from .registry import register_demo_part

__all__ = [
    "CORE_STEPS",
    "COUNT_LABELS",
    "DemoError",
    "DemoSummary",
    "load_demo",
    "register_demo_part",
]
