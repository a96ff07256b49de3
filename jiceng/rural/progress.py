"""Weighted progress of a project's milestone tree (pure: no queries).

A leaf's progress is its own (0–100). A milestone with children has the weighted mean of
its children's progress, ``sum(weight * progress) / sum(weight)``, recursively; the project's
progress is the weighted mean of its top-level milestones. A project without milestones
has no progress (None), which is not the same as 0.
"""

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal


@dataclass
class Node:
    """A milestone with its computed progress and its children, for display."""

    milestone: object
    progress: Decimal
    depth: int
    children: list["Node"] = field(default_factory=list)

    @property
    def is_leaf(self) -> bool:
        return not self.children


def _weighted_mean(nodes: list[Node]) -> Decimal:
    total_weight = sum((Decimal(n.milestone.weight) for n in nodes), Decimal(0))
    if not total_weight:
        return Decimal(0)
    weighted = sum((Decimal(n.milestone.weight) * n.progress for n in nodes), Decimal(0))
    return weighted / total_weight


def milestone_tree(milestones: Iterable) -> list[Node]:
    """The top-level nodes, each with its subtree and computed progress, in position order.

    ``milestones`` are rows with ``id``, ``parent_id``, ``weight``, ``progress`` and
    ``position`` (all of one project)."""
    by_parent: dict[int | None, list] = defaultdict(list)
    for m in milestones:
        by_parent[m.parent_id].append(m)
    for siblings in by_parent.values():
        siblings.sort(key=lambda m: (m.position, m.id))

    def build(parent_id, depth) -> list[Node]:
        nodes = []
        for m in by_parent.get(parent_id, []):
            children = build(m.id, depth + 1)
            progress = _weighted_mean(children) if children else Decimal(m.progress)
            nodes.append(Node(m, progress, depth, children))
        return nodes

    return build(None, 0)


def project_progress(milestones: Iterable) -> Decimal | None:
    top = milestone_tree(milestones)
    if not top:
        return None
    return _weighted_mean(top)


def flatten(nodes: list[Node]) -> list[Node]:
    """Depth-first, parents before their children (for an indented table)."""
    out = []
    for node in nodes:
        out.append(node)
        out.extend(flatten(node.children))
    return out
