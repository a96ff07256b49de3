"""Factories of the contests' rows. They write rows directly (no audit), for arranging
tests; the behaviour under test goes through the services."""

from decimal import Decimal

import factory

from jiceng.core.models import AreaKind
from jiceng.core.roles import Role
from jiceng.core.tests.factories import (
    AreaFactory,
    PersonFactory,
    RoleAssignmentFactory,
    UserFactory,
)

from ..models import (
    AwardBand,
    Contest,
    Criterion,
    Entry,
    PresenterKind,
    Round,
    RoundEntry,
    RoundJudge,
    RoundKind,
    RoundStatus,
    Score,
    ScoreSheet,
    SheetStatus,
)


class ContestFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Contest

    name = factory.Sequence(lambda n: f"测试路演大赛{n}")
    year = 2024
    area = factory.SubFactory(AreaFactory, kind=AreaKind.DISTRICT)


class CriterionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Criterion

    contest = factory.SubFactory(ContestFactory)
    name = factory.Sequence(lambda n: f"评分项{n}")
    weight = Decimal("1.00")
    min_score = Decimal("0")
    max_score = Decimal("100")
    sequence = factory.Sequence(lambda n: n + 1)


class RoundFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Round

    contest = factory.SubFactory(ContestFactory)
    name = factory.Sequence(lambda n: f"第{n}轮")
    kind = RoundKind.FINAL
    sequence = factory.Sequence(lambda n: n + 1)
    status = RoundStatus.SCORING


class AwardBandFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AwardBand

    contest = factory.SubFactory(ContestFactory)
    name = factory.Sequence(lambda n: f"奖项{n}")
    up_to_rank = None


class EntryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Entry

    contest = factory.SubFactory(ContestFactory)
    number = factory.Sequence(lambda n: n + 1)
    title = factory.Sequence(lambda n: f"测试项目{n}")
    presenter_kind = PresenterKind.ENTERPRISE
    presenter_name = factory.Sequence(lambda n: f"测试企业{n}")
    village = factory.SubFactory(AreaFactory, kind=AreaKind.VILLAGE)


class RoundEntryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = RoundEntry

    round = factory.SubFactory(RoundFactory)
    entry = factory.SubFactory(EntryFactory)
    sequence = factory.Sequence(lambda n: n + 1)


class RoundJudgeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = RoundJudge

    round = factory.SubFactory(RoundFactory)
    judge = factory.SubFactory(UserFactory)


class ScoreSheetFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ScoreSheet

    round_entry = factory.SubFactory(RoundEntryFactory)
    judge = factory.SubFactory(UserFactory)
    status = SheetStatus.PENDING


class ScoreFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Score

    sheet = factory.SubFactory(ScoreSheetFactory)
    criterion = factory.SubFactory(CriterionFactory)
    value = Decimal("80")


def judge_user(username: str, *, area, person=None):
    """An account with the judge role (scoped to ``area``), linked to ``person`` if given."""
    user = UserFactory(username=username, person=person)
    RoleAssignmentFactory(user=user, role=Role.JUDGE, area=area)
    return user


def village(code: str, name: str, street):
    return AreaFactory(code=code, name=name, kind=AreaKind.VILLAGE, parent=street)


def person_in(area, name: str):
    return PersonFactory(name=name, area=area)


def submitted_sheet(round_entry, judge, values: dict) -> ScoreSheet:
    """A submitted sheet with ``values``: criterion -> score."""
    sheet = ScoreSheetFactory(round_entry=round_entry, judge=judge, status=SheetStatus.SUBMITTED)
    for criterion, value in values.items():
        ScoreFactory(sheet=sheet, criterion=criterion, value=Decimal(str(value)))
    return sheet
