"""A brand's score is the mean of the panel members' sheet totals; its echelon follows the
score and the thresholds as soon as either changes (nothing is stored)."""

from decimal import Decimal

import pytest

from jiceng.brands import services
from jiceng.brands.models import Brand, Echelon, Evaluation, EvaluationScore
from jiceng.brands.tests.factories import BrandFactory, CampaignFactory, PanelMemberFactory, sheet
from jiceng.core.errors import PermissionDenied, ValidationFailed
from jiceng.core.models import AuditEvent
from jiceng.core.roles import Role
from jiceng.core.tests.factories import RoleAssignmentFactory, UserFactory


def _judge(world, name: str):
    user = UserFactory(username=name)
    RoleAssignmentFactory(user=user, role=Role.JUDGE, area=world.district)
    return user


def _fresh(brand) -> Brand:
    return Brand.objects.with_score().select_related("campaign").get(pk=brand.pk)


@pytest.fixture
def brand(world):
    return BrandFactory(area=world.community_a1)


def test_score_is_the_mean_of_member_totals_rounded_half_up(world, brand):
    for i, total in enumerate(["90", "85.5", "84"]):
        sheet(brand, _judge(world, f"j{i}"), total)
    # (90 + 85.5 + 84) / 3 = 86.5
    assert _fresh(brand).score == Decimal("86.50")
    sheet(brand, _judge(world, "j3"), "80")
    # (259.5 + 80) / 4 = 84.875 -> 84.88
    assert _fresh(brand).score == Decimal("84.88")


def test_score_is_the_same_with_and_without_the_annotation(world, brand):
    sheet(brand, _judge(world, "j1"), "91")
    sheet(brand, _judge(world, "j2"), "88.5")
    plain = Brand.objects.get(pk=brand.pk)
    assert plain.score == _fresh(brand).score == Decimal("89.75")


def test_unscored_brand_has_no_score_and_no_echelon(brand):
    fresh = _fresh(brand)
    assert fresh.score is None and fresh.echelon is None
    assert fresh.echelon_label == "待评审"


def test_echelon_moves_when_a_member_changes_their_score(world, brand):
    judge = world.users[Role.JUDGE]
    PanelMemberFactory(campaign=brand.campaign, user=judge)
    other = _judge(world, "j_other")
    sheet(brand, other, "90")
    criteria = list(brand.campaign.criteria.order_by("order"))

    services.evaluation_submit(
        by=judge, brand=brand, scores={criteria[0].pk: "55", criteria[1].pk: "35"}
    )
    assert _fresh(brand).score == Decimal("90.00")
    assert _fresh(brand).echelon == Echelon.LEADING

    services.evaluation_submit(
        by=judge, brand=brand, scores={criteria[0].pk: "50", criteria[1].pk: "29.5"}
    )
    fresh = _fresh(brand)
    assert fresh.score == Decimal("84.75")
    assert fresh.echelon == Echelon.PIONEERING
    assert Evaluation.objects.filter(brand=brand).count() == 2  # replaced, not added

    services.evaluation_submit(
        by=judge, brand=brand, scores={criteria[0].pk: "30", criteria[1].pk: "20"}
    )
    assert _fresh(brand).echelon == Echelon.FOLLOWING


def test_echelon_moves_when_the_district_moves_a_threshold(world, brand):
    sheet(brand, _judge(world, "j1"), "86")
    assert _fresh(brand).echelon == Echelon.PIONEERING
    services.campaign_update(
        by=world.users[Role.DISTRICT_ADMIN],
        campaign=brand.campaign,
        name=brand.campaign.name,
        description="",
        leading_threshold="85",
        pioneering_threshold="75",
    )
    assert _fresh(brand).echelon == Echelon.LEADING
    assert AuditEvent.objects.filter(action="brands.campaign_update").count() == 1


def test_a_sheet_is_audited_with_the_change(world, brand):
    judge = world.users[Role.JUDGE]
    PanelMemberFactory(campaign=brand.campaign, user=judge)
    c1, c2 = brand.campaign.criteria.order_by("order")
    services.evaluation_submit(by=judge, brand=brand, scores={c1.pk: "50", c2.pk: "30"})
    services.evaluation_submit(by=judge, brand=brand, scores={c1.pk: "50", c2.pk: "35"})
    first, second = AuditEvent.objects.filter(action="brands.evaluation_submit").order_by("id")
    assert first.changes["total"] == [None, "80.0"]
    assert second.changes == {"total": ["80.0", "85.0"], "治理成效": ["30.0", "35.0"]}
    assert second.actor_name == judge.username


@pytest.mark.parametrize(
    ("scores", "message"),
    [
        ({0: "50"}, "请填写“治理成效”的得分"),
        ({0: "61", 1: "30"}, "应在 0 到 60.0 分之间"),
        ({0: "-1", 1: "30"}, "应在 0 到 60.0 分之间"),
        ({0: "50.3", 1: "30"}, "以 0.5 分为单位"),
        ({0: "abc", 1: "30"}, "应为数字"),
    ],
)
def test_invalid_sheets_are_refused_and_change_nothing(world, brand, scores, message):
    judge = world.users[Role.JUDGE]
    PanelMemberFactory(campaign=brand.campaign, user=judge)
    criteria = list(brand.campaign.criteria.order_by("order"))
    with pytest.raises(ValidationFailed, match=message):
        services.evaluation_submit(
            by=judge, brand=brand, scores={criteria[i].pk: v for i, v in scores.items()}
        )
    assert not Evaluation.objects.exists() and not EvaluationScore.objects.exists()
    assert not AuditEvent.objects.filter(action__startswith="brands.").exists()


def test_only_panel_members_score(world, brand):
    c1, c2 = brand.campaign.criteria.order_by("order")
    for role in (Role.DISTRICT_ADMIN, Role.JUDGE, Role.COMMUNITY_STAFF):
        with pytest.raises(PermissionDenied):
            services.evaluation_submit(
                by=world.users[role], brand=brand, scores={c1.pk: "50", c2.pk: "30"}
            )
    assert not Evaluation.objects.exists()


def test_scores_only_while_the_campaign_is_evaluating(world):
    campaign = CampaignFactory(status="open")
    brand = BrandFactory(campaign=campaign, area=world.community_a1)
    judge = world.users[Role.JUDGE]
    PanelMemberFactory(campaign=campaign, user=judge)
    c1, c2 = campaign.criteria.order_by("order")
    with pytest.raises(ValidationFailed, match="不在评审阶段"):
        services.evaluation_submit(by=judge, brand=brand, scores={c1.pk: "50", c2.pk: "30"})
    assert not Evaluation.objects.exists()


def test_the_rubric_is_fixed_once_a_sheet_is_in(world, brand):
    admin = world.users[Role.DISTRICT_ADMIN]
    services.criterion_add(by=admin, campaign=brand.campaign, name="示范带动", max_score="10")
    added = brand.campaign.criteria.get(name="示范带动")
    services.criterion_remove(by=admin, criterion=added)
    sheet(brand, _judge(world, "j1"), "80")
    with pytest.raises(ValidationFailed, match="评分项不能再修改"):
        services.criterion_add(by=admin, campaign=brand.campaign, name="示范带动", max_score="10")
    with pytest.raises(ValidationFailed, match="评分项不能再修改"):
        services.criterion_remove(by=admin, criterion=brand.campaign.criteria.first())
    assert brand.campaign.criteria.count() == 2


def test_a_member_with_sheets_stays_on_the_panel(world, brand):
    admin = world.users[Role.DISTRICT_ADMIN]
    judge = _judge(world, "j1")
    sheet(brand, judge, "80")
    member = brand.campaign.panel.get(user=judge)
    with pytest.raises(ValidationFailed, match="不能移出评审组"):
        services.panel_member_remove(by=admin, member=member)
    assert brand.campaign.panel.filter(user=judge).exists()


@pytest.mark.parametrize(
    ("leading", "pioneering", "message"),
    [
        ("80", "80", "须高于先行梯队分数线"),
        ("70", "80", "须高于先行梯队分数线"),
        ("90", "-1", "0 到 1000"),
        ("101", "80", "不能高于满分 100"),
        ("九十", "80", "应为数字"),
    ],
)
def test_bad_thresholds_are_refused(world, brand, leading, pioneering, message):
    campaign = brand.campaign
    with pytest.raises(ValidationFailed, match=message):
        services.campaign_update(
            by=world.users[Role.DISTRICT_ADMIN],
            campaign=campaign,
            name=campaign.name,
            description="",
            leading_threshold=leading,
            pioneering_threshold=pioneering,
        )
    campaign.refresh_from_db()
    assert (campaign.leading_threshold, campaign.pioneering_threshold) == (90, 80)


@pytest.mark.parametrize("role", [Role.STREET_STAFF, Role.COMMUNITY_STAFF, Role.JUDGE])
def test_only_the_district_runs_campaigns(world, brand, role):
    campaign = brand.campaign
    with pytest.raises(PermissionDenied):
        services.campaign_update(
            by=world.users[role],
            campaign=campaign,
            name="改名",
            description="",
            leading_threshold="70",
            pioneering_threshold="60",
        )
    with pytest.raises(PermissionDenied):
        services.campaign_set_status(by=world.users[role], campaign=campaign, status="closed")
    with pytest.raises(PermissionDenied):
        services.panel_member_add(by=world.users[role], campaign=campaign, user=world.users[role])
    campaign.refresh_from_db()
    assert campaign.name != "改名" and campaign.status == "evaluating"
    assert not campaign.panel.exists()


def test_a_new_campaign_copies_the_latest_rubric(world):
    admin = world.users[Role.DISTRICT_ADMIN]
    first = services.campaign_create(by=admin, year=2023)
    assert [c.name for c in first.criteria.all()][:2] == ["品牌定位与特色", "组织体系与工作机制"]
    services.criterion_add(by=admin, campaign=first, name="创新亮点", max_score="5")
    second = services.campaign_create(by=admin, year=2024, leading_threshold="92")
    assert "创新亮点" in {c.name for c in second.criteria.all()}
    assert second.name == "2024年“一街一品”集中攻坚行动"
    assert second.leading_threshold == Decimal("92")
    with pytest.raises(ValidationFailed, match="已存在"):
        services.campaign_create(by=admin, year=2024)
