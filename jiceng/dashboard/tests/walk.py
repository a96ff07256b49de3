"""URL-walk parameters of the cockpit (see jiceng/core/tests/walk.py).

The cockpit's routes take no path parameters (the area and period are query parameters,
defaulting to the account's scope). The walk still plants a street-B appeal that every
panel would show if the scope leaked: overdue, supervised, owned by a street-B person, in
a category only street B uses. (The walk compares the areas before and after, so it
leaves the grids' boundaries alone.)
"""

from datetime import timedelta

from django.utils import timezone

from jiceng.appeals.models import Appeal, Category, Status
from jiceng.appeals.stats.maintain import rollups_rebuild

APPEAL_B_TITLE = "杆石桥驾驶舱督办测试诉求"
CATEGORY_B = "驾驶舱走查专属分类"


def walk_params(world) -> dict:
    # Retired, so the intake forms (shown to everyone) do not list it; a panel that leaked
    # street B's counts would still name it.
    category, _ = Category.objects.get_or_create(
        path="990", defaults={"name": CATEGORY_B, "active": False}
    )
    Appeal.objects.get_or_create(
        code="WALKDASHB1",
        defaults={
            "kind": "help",
            "channel": "visit",
            "title": APPEAL_B_TITLE,
            "description": APPEAL_B_TITLE,
            "area": world.grid_b1,
            "grid": world.grid_b1,
            "category": category,
            "owner": world.people_b[0],
            "status": Status.IN_PROGRESS,
            "resolve_due_at": timezone.now() - timedelta(days=1),
            "supervised": True,
        },
    )
    # Created without a service, so the rollups (the rates, volume, categories, hot spots
    # and map panels) learn of it only from a rebuild.
    rollups_rebuild()
    return {}


def out_of_scope_names(world) -> list[str]:
    return [APPEAL_B_TITLE, "WALKDASHB1", CATEGORY_B]
