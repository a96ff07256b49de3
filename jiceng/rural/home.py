"""The first secretary's block on the home page (see ``jiceng.core.workbench``): their
village's collective-income ledger by year and its projects."""

from django.db.models import Sum

from jiceng.core.roles import Role
from jiceng.core.workbench import WorkBlock, register_work_block

from . import selectors

LEDGER_YEARS = 3
PROJECTS = 6


def village_block(*, user, area) -> dict | None:
    villages = list(selectors.village_list_visible_to(user=user).order_by("code")[:3])
    if not villages:
        return {"villages": []}
    out = []
    for village in villages:
        totals = list(
            selectors.income_rows_of_village(user=user, area=village)
            .order_by()
            .values("year")
            .annotate(total=Sum("amount"))
            .order_by("-year")[: LEDGER_YEARS + 1]
        )
        by_year = {t["year"]: t["total"] for t in totals}
        ledger = [
            {"year": y, "total": by_year[y], "change": by_year[y] - by_year[y - 1]}
            if y - 1 in by_year
            else {"year": y, "total": by_year[y], "change": None}
            for y in sorted(by_year, reverse=True)[:LEDGER_YEARS]
        ]
        projects = selectors.project_list_visible_to(user=user, under=village).order_by(
            "-introduced_on", "-id"
        )
        out.append(
            {
                "village": village,
                "ledger": ledger,
                "projects": selectors.projects_with_progress(projects[:PROJECTS]),
                "project_count": projects.count(),
            }
        )
    return {"villages": out}


def register_blocks() -> None:
    register_work_block(
        WorkBlock(
            key="rural.village",
            title="我的村",
            template="rural/home/_village.html",
            roles={Role.FIRST_SECRETARY},
            build=village_block,
            order=10,
        )
    )
