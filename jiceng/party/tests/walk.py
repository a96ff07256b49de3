"""URL-walk parameters of the party app (see jiceng/core/tests/walk.py)."""

from jiceng.core.tests.walk import GRID_LEVEL


def walk_params(world) -> dict:
    org_in = {"pk": world.orgs_a[1].pk}
    return {
        # Grid-level roles see no party organization (they are based at community level).
        "party:org_detail": (
            lambda role: None if role in GRID_LEVEL else org_in,
            {"pk": world.orgs_b[1].pk},
        ),
        "party:org_child_create": (
            lambda role: None if role in GRID_LEVEL else org_in,
            {"pk": world.orgs_b[1].pk},
        ),
        "party:org_edit": (
            lambda role: None if role in GRID_LEVEL else org_in,
            {"pk": world.orgs_b[1].pk},
        ),
    }


def out_of_scope_names(world) -> list[str]:
    return ["杆石桥街道党工委", "春元里社区党委"]
