"""A contest on top of the ``world`` fixture: one village in each street, an entry from
each, a two-line rubric (weights 0.6 and 0.4 over 0–100), a final in scoring, and judges:
the world's own judge account (no person: a district-level judge), one judge who works
in street A and one who works in street B."""

from dataclasses import dataclass
from decimal import Decimal

import pytest

from jiceng.core.models import Area
from jiceng.core.roles import Role

from ..models import Contest, Criterion, Entry, Round, RoundEntry
from .factories import (
    ContestFactory,
    CriterionFactory,
    EntryFactory,
    RoundEntryFactory,
    RoundFactory,
    judge_user,
    person_in,
    village,
)


@dataclass
class ContestWorld:
    world: object
    village_a: Area
    contest: Contest
    impact: Criterion
    show: Criterion
    final: Round
    entry_a: Entry
    entry_b: Entry
    re_a: RoundEntry
    re_b: RoundEntry
    judge: object  # the world's judge account, no person
    judge_a: object  # works in street A
    judge_b: object  # works in street B

    @property
    def admin(self):
        return self.world.users[Role.DISTRICT_ADMIN]


@pytest.fixture
def cw(world) -> ContestWorld:
    village_a = village("370103002201", "大观园测试村", world.street_a)
    contest = ContestFactory(area=world.district, name="测试路演大赛", year=2024)
    impact = CriterionFactory(contest=contest, name="项目成效", weight=Decimal("0.60"), sequence=1)
    show = CriterionFactory(contest=contest, name="路演表现", weight=Decimal("0.40"), sequence=2)
    contest.tie_break_criterion = impact
    contest.save()
    final = RoundFactory(contest=contest, name="决赛", sequence=1)
    entry_a = EntryFactory(contest=contest, number=1, title="大观园村集体菜园", village=village_a)
    entry_b = EntryFactory(
        contest=contest, number=2, title="测试村红色果园", village=world.village_b2
    )
    re_a = RoundEntryFactory(round=final, entry=entry_a, sequence=1)
    re_b = RoundEntryFactory(round=final, entry=entry_b, sequence=2)
    judge_a = judge_user(
        "judge_street_a",
        area=world.district,
        person=person_in(world.community_a1, "甲评委"),
    )
    judge_b = judge_user(
        "judge_street_b", area=world.district, person=person_in(world.street_b, "乙评委")
    )
    return ContestWorld(
        world=world,
        village_a=village_a,
        contest=contest,
        impact=impact,
        show=show,
        final=final,
        entry_a=entry_a,
        entry_b=entry_b,
        re_a=re_a,
        re_b=re_b,
        judge=world.users[Role.JUDGE],
        judge_a=judge_a,
        judge_b=judge_b,
    )
