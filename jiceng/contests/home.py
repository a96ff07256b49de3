"""The judge's block on the home page (see ``jiceng.core.workbench``): their sheets, rounds
taking scores first."""

from jiceng.core.roles import Role
from jiceng.core.workbench import WorkBlock, register_work_block

from . import selectors
from .models import SheetStatus

ROUNDS = 3


def judge_block(*, user, area) -> dict:
    groups = selectors.judge_sheets(user=user)
    rounds = []
    for rnd, rows in groups[:ROUNDS]:
        todo = [r for r in rows if r.sheet.status != SheetStatus.SUBMITTED]
        rounds.append(
            {"round": rnd, "rows": rows, "todo": len(todo), "done": len(rows) - len(todo)}
        )
    open_todo = sum(r["todo"] for r in rounds if r["round"].accepts_scores)
    return {"rounds": rounds, "open_todo": open_todo, "more": max(0, len(groups) - ROUNDS)}


def register_blocks() -> None:
    register_work_block(
        WorkBlock(
            key="contests.judge",
            title="我的评审任务",
            template="contests/home/_judge.html",
            roles={Role.JUDGE},
            build=judge_block,
            order=10,
        )
    )
