"""Demo parts of the other apps: each app registers one from its ``AppConfig.ready``.

A part is ``func() -> int`` returning how many rows it created. It runs after the core's
district, people and accounts exist, inside ``load_demo``'s transaction, and must be
deterministic and idempotent like the core's own steps (a second run creates nothing).
"""

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class DemoPart:
    key: str
    label: str
    func: Callable[[], int]
    order: int


_PARTS: dict[str, DemoPart] = {}


def register_demo_part(key: str, label: str, func: Callable[[], int], *, order: int = 100):
    _PARTS[key] = DemoPart(key, label, func, order)


def demo_parts() -> list[DemoPart]:
    return sorted(_PARTS.values(), key=lambda p: (p.order, p.key))
