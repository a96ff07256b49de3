"""Factories of the rural rows (areas, people and accounts come from the core's)."""

from datetime import date, timedelta
from decimal import Decimal

import factory

from jiceng.core.models import AreaKind
from jiceng.core.tests.factories import AreaFactory, PersonFactory

from ..models import (
    CollectiveIncome,
    Contribution,
    FirstSecretary,
    IncomeModel,
    Milestone,
    Project,
    ServiceAlliance,
    Supporter,
    TrainingSession,
    Village,
)


class VillageAreaFactory(AreaFactory):
    kind = AreaKind.VILLAGE
    code = factory.Sequence(lambda n: f"370103002{200 + n % 100:03d}")
    name = factory.Sequence(lambda n: f"测试{n}村")


class VillageFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Village
        django_get_or_create = ("area",)

    area = factory.SubFactory(VillageAreaFactory)
    population = 1200


class IncomeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CollectiveIncome

    area = factory.SubFactory(VillageAreaFactory)
    year = 2023
    source = factory.Sequence(lambda n: f"收入来源{n}")
    model = IncomeModel.PROPERTY
    amount = Decimal("100000.00")


class FirstSecretaryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = FirstSecretary

    person = factory.SubFactory(PersonFactory)
    area = factory.SubFactory(VillageAreaFactory)
    sending_unit = "区委组织部"
    starts_on = date(2022, 4, 1)
    ends_on = date(2024, 3, 31)


class ProjectFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Project

    area = factory.SubFactory(VillageAreaFactory)
    name = factory.Sequence(lambda n: f"项目{n}")
    introduced_on = date(2023, 5, 1)
    investment = Decimal("500000")
    income_contribution = Decimal("50000")


class MilestoneFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Milestone

    project = factory.SubFactory(ProjectFactory)
    name = factory.Sequence(lambda n: f"节点{n}")
    weight = Decimal(1)
    progress = 0


class TrainingSessionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = TrainingSession

    area = factory.SubFactory(AreaFactory)
    held_on = factory.Sequence(lambda n: date(2023, 1, 5) + timedelta(days=14 * n))
    topic = "业务技能培训"


class AllianceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ServiceAlliance

    area = factory.SubFactory(AreaFactory)
    name = factory.Sequence(lambda n: f"服务联盟{n}")


class SupporterFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Supporter

    area = factory.SubFactory(AreaFactory)
    name = factory.Sequence(lambda n: f"帮扶企业{n}")
    kind = "enterprise"


class ContributionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Contribution

    supporter = factory.SubFactory(SupporterFactory)
    area = factory.SubFactory(VillageAreaFactory)
    kind = "funds"
    amount = Decimal("20000")
    description = "产业发展资金"
    given_on = date(2023, 6, 1)
