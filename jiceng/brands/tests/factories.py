"""Factories of the brands app, and helpers that write score sheets as rows."""

from decimal import Decimal

import factory

from jiceng.brands.models import (
    Brand,
    Campaign,
    CampaignStatus,
    Criterion,
    Evaluation,
    EvaluationScore,
    Focus,
    PanelMember,
)


class CampaignFactory(factory.django.DjangoModelFactory):
    """A campaign in 评审中 with two criteria of 60 and 40 points (full marks 100)."""

    class Meta:
        model = Campaign
        django_get_or_create = ("year",)
        skip_postgeneration_save = True

    year = 2024
    name = factory.LazyAttribute(lambda o: f"{o.year}年“一街一品”集中攻坚行动")
    status = CampaignStatus.EVALUATING
    leading_threshold = Decimal("90")
    pioneering_threshold = Decimal("80")

    @factory.post_generation
    def criteria(obj, create, extracted, **kwargs):
        if not create or obj.criteria.exists():
            return
        rubric = extracted if extracted is not None else [("工作机制", 60), ("治理成效", 40)]
        for i, (name, max_score) in enumerate(rubric, start=1):
            Criterion.objects.create(campaign=obj, name=name, max_score=Decimal(max_score), order=i)


class BrandFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Brand

    campaign = factory.SubFactory(CampaignFactory)
    name = factory.Sequence(lambda n: f"测试品牌{n}")
    focus = Focus.GRID
    description = "把党支部建在网格上。"


class PanelMemberFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PanelMember
        django_get_or_create = ("campaign", "user")

    campaign = factory.SubFactory(CampaignFactory)


def sheet(brand: Brand, user, total) -> Evaluation:
    """A complete sheet of ``user`` for ``brand`` whose criteria add up to ``total``: the
    first criteria are filled up to their full marks, the rest takes what remains."""
    member, _ = PanelMember.objects.get_or_create(campaign=brand.campaign, user=user)
    evaluation = Evaluation.objects.create(brand=brand, member=member)
    left = Decimal(str(total))
    criteria = list(brand.campaign.criteria.order_by("order", "id"))
    for i, criterion in enumerate(criteria):
        value = left if i == len(criteria) - 1 else min(left, criterion.max_score)
        EvaluationScore.objects.create(evaluation=evaluation, criterion=criterion, value=value)
        left -= value
    assert left == 0 and value <= criterion.max_score, "total above full marks"
    return evaluation
