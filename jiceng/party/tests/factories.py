"""Factories of the party app's registers: organizations, points, centers, activities."""

from datetime import timedelta

import factory
from django.utils import timezone
from stdnum.cn import uscc

from jiceng.party.models import (
    Activity,
    ActivityKind,
    DemoLevel,
    DemonstrationPoint,
    Organization,
    OrganizationKind,
    PartyOrg,
    PartyOrgKind,
    ServiceCenter,
)


def credit_code(n: int) -> str:
    """A valid unified social credit code, different for every ``n``."""
    body = f"91370103{n:09d}"
    return body + uscc.calc_check_digit(body)


def branch(parent: PartyOrg, n: int, name: str, kind=PartyOrgKind.ENTERPRISE_BRANCH) -> PartyOrg:
    """A branch under ``parent`` (numbered from 9000 so it never meets the fixture's)."""
    return PartyOrg.objects.create(
        name=name, kind=kind, area=parent.area, parent=parent, path=f"{parent.path}{9000 + n}"
    )


class OrganizationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organization
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"测试企业{n}有限公司")
    kind = OrganizationKind.ENTERPRISE
    credit_code = factory.Sequence(lambda n: credit_code(n + 1))
    employees = 50
    full_members = 1
    party_org = None


class PointFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = DemonstrationPoint

    organization = factory.SubFactory(OrganizationFactory)
    level = DemoLevel.DISTRICT
    year = 2023


class CenterFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ServiceCenter

    name = factory.Sequence(lambda n: f"测试党群服务中心{n}")
    address = "测试大厦"
    floor_space = 700


class ActivityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Activity

    center = factory.SubFactory(CenterFactory)
    title = factory.Sequence(lambda n: f"主题党日{n}")
    kind = ActivityKind.ORG_LIFE
    starts_at = factory.LazyFunction(lambda: timezone.now() - timedelta(minutes=30))
    ends_at = factory.LazyAttribute(lambda o: o.starts_at + timedelta(hours=2))
    checkin_code = factory.Sequence(lambda n: f"{100000 + n}")
