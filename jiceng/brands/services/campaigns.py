"""Campaigns, their rubric and their panel: the district administrator's writes."""

from decimal import Decimal

from django.db import IntegrityError, transaction

from jiceng.core.audit import audit_record, changes_between
from jiceng.core.clean import clean_decimal, clean_text
from jiceng.core.errors import ValidationFailed
from jiceng.core.models import User
from jiceng.core.roles import BUSINESS_ROLES

from ..models import Campaign, CampaignStatus, Criterion, Evaluation, PanelMember
from .common import require_manager, thresholds_input

# The rubric a new campaign starts from when there is no earlier campaign to copy.
DEFAULT_CRITERIA = (
    ("品牌定位与特色", Decimal("20")),
    ("组织体系与工作机制", Decimal("20")),
    ("治理成效", Decimal("30")),
    ("群众认可度", Decimal("20")),
    ("示范带动作用", Decimal("10")),
)
DEFAULT_LEADING = Decimal("90")
DEFAULT_PIONEERING = Decimal("80")


def _campaign_values(c: Campaign) -> dict:
    return {
        "year": c.year,
        "name": c.name,
        "description": c.description,
        "status": c.status,
        "leading_threshold": c.leading_threshold,
        "pioneering_threshold": c.pioneering_threshold,
    }


# ---- campaigns ---------------------------------------------------------------------------


def campaign_create(
    *,
    by,
    year: int,
    name: str = "",
    description: str = "",
    leading_threshold=DEFAULT_LEADING,
    pioneering_threshold=DEFAULT_PIONEERING,
) -> Campaign:
    """A new campaign, open for entries, with the rubric of the latest earlier campaign
    (or the default rubric)."""
    require_manager(by)
    if not isinstance(year, int) or not 2000 <= year <= 2100:
        raise ValidationFailed("年度应为 2000–2100 之间的年份。", field="year")
    name = clean_text(
        name or f"{year}年“一街一品”集中攻坚行动", field="name", label="名称", max_length=100
    )
    description = clean_text(
        description, field="description", label="说明", max_length=2000, required=False
    )
    leading, pioneering = thresholds_input(leading_threshold, pioneering_threshold)
    if Campaign.objects.filter(year=year).exists():
        raise ValidationFailed(f"{year} 年的一街一品行动已存在。", field="year")
    previous = Campaign.objects.filter(year__lt=year).order_by("-year").first()
    rubric = (
        [(c.name, c.max_score) for c in previous.criteria.order_by("order", "id")]
        if previous
        else list(DEFAULT_CRITERIA)
    ) or list(DEFAULT_CRITERIA)
    try:
        with transaction.atomic():
            campaign = Campaign.objects.create(
                year=year,
                name=name,
                description=description,
                leading_threshold=leading,
                pioneering_threshold=pioneering,
            )
            Criterion.objects.bulk_create(
                Criterion(campaign=campaign, name=n, max_score=m, order=i)
                for i, (n, m) in enumerate(rubric, start=1)
            )
            audit_record(
                actor=by,
                action="brands.campaign_create",
                obj=campaign,
                changes=changes_between(
                    {}, {**_campaign_values(campaign), "criteria": [n for n, _ in rubric]}
                ),
            )
    except IntegrityError:
        raise ValidationFailed(f"{year} 年的一街一品行动已存在。", field="year") from None
    return campaign


def campaign_update(
    *,
    by,
    campaign: Campaign,
    name: str,
    description: str,
    leading_threshold,
    pioneering_threshold,
) -> Campaign:
    """Rename the campaign or move its thresholds (every brand's echelon follows at once).
    A closed campaign is the record and no longer changes."""
    require_manager(by)
    name = clean_text(name, field="name", label="名称", max_length=100)
    description = clean_text(
        description, field="description", label="说明", max_length=2000, required=False
    )
    leading, pioneering = thresholds_input(leading_threshold, pioneering_threshold)
    with transaction.atomic():
        locked = Campaign.objects.select_for_update().get(pk=campaign.pk)
        if locked.status == CampaignStatus.CLOSED:
            raise ValidationFailed("行动已结束，不能再修改；如需调整请先重新开启评审。")
        full = sum((c.max_score for c in locked.criteria.all()), Decimal(0))
        if full and leading > full:
            raise ValidationFailed(
                f"引领梯队分数线不能高于满分 {full} 分。", field="leading_threshold"
            )
        before = _campaign_values(locked)
        locked.name, locked.description = name, description
        locked.leading_threshold, locked.pioneering_threshold = leading, pioneering
        locked.save()
        audit_record(
            actor=by,
            action="brands.campaign_update",
            obj=locked,
            changes=changes_between(before, _campaign_values(locked)),
        )
    return locked


def campaign_set_status(*, by, campaign: Campaign, status: str) -> Campaign:
    """Move the campaign between 申报中, 评审中 and 已结束 (scoring happens in 评审中;
    reopening a closed campaign is allowed and audited)."""
    require_manager(by)
    if status not in CampaignStatus.values:
        raise ValidationFailed("状态无效。", field="status")
    with transaction.atomic():
        locked = Campaign.objects.select_for_update().get(pk=campaign.pk)
        if status == CampaignStatus.EVALUATING:
            if not locked.criteria.exists():
                raise ValidationFailed("请先设置评分项再开始评审。", field="status")
            if not locked.panel.exists():
                raise ValidationFailed("请先组建评审组再开始评审。", field="status")
        before = locked.status
        locked.status = status
        locked.save(update_fields=["status", "updated_at"])
        audit_record(
            actor=by,
            action="brands.campaign_status",
            obj=locked,
            changes=changes_between({"status": before}, {"status": status}),
        )
    return locked


def _lock_rubric(campaign: Campaign) -> Campaign:
    """Lock the campaign; refuse when sheets exist (the rubric is then fixed, so that every
    sheet scores the same criteria and the mean of totals stays meaningful)."""
    locked = Campaign.objects.select_for_update().get(pk=campaign.pk)
    if Evaluation.objects.filter(brand__campaign=locked).exists():
        raise ValidationFailed("已有评分表，评分项不能再修改。", field="name")
    if locked.status == CampaignStatus.CLOSED:
        raise ValidationFailed("行动已结束，评分项不能再修改。", field="name")
    return locked


def criterion_add(*, by, campaign: Campaign, name: str, max_score) -> Criterion:
    require_manager(by)
    name = clean_text(name, field="name", label="评分项名称", max_length=50)
    max_score = clean_decimal(max_score, field="max_score", label="满分")
    if not Decimal("0") < max_score <= Decimal("100"):
        raise ValidationFailed("每项满分应在 0 到 100 分之间。", field="max_score")
    if max_score != max_score.quantize(Decimal("0.1")):
        raise ValidationFailed("满分最多保留一位小数。", field="max_score")
    with transaction.atomic():
        locked = _lock_rubric(campaign)
        if locked.criteria.filter(name=name).exists():
            raise ValidationFailed(f"评分项“{name}”已存在。", field="name")
        order = (locked.criteria.order_by("-order").values_list("order", flat=True).first()) or 0
        criterion = Criterion.objects.create(
            campaign=locked, name=name, max_score=max_score, order=order + 1
        )
        audit_record(
            actor=by,
            action="brands.criterion_add",
            obj=criterion,
            changes=changes_between(
                {}, {"campaign": locked.pk, "name": name, "max_score": max_score}
            ),
        )
    return criterion


def criterion_remove(*, by, criterion: Criterion) -> None:
    require_manager(by)
    with transaction.atomic():
        _lock_rubric(criterion.campaign)
        audit_record(
            actor=by,
            action="brands.criterion_remove",
            obj=criterion,
            changes=changes_between({"name": criterion.name, "max_score": criterion.max_score}, {}),
        )
        Criterion.objects.filter(pk=criterion.pk).delete()


def panel_member_add(*, by, campaign: Campaign, user: User) -> PanelMember:
    require_manager(by)
    if (
        not user.is_active
        or not user.role_assignments.active().filter(role__in=BUSINESS_ROLES).exists()
    ):
        raise ValidationFailed("评审人须为持有业务角色的在用账号。", field="username")
    with transaction.atomic():
        locked = Campaign.objects.select_for_update().get(pk=campaign.pk)
        if locked.status == CampaignStatus.CLOSED:
            raise ValidationFailed("行动已结束，评审组不能再调整。", field="username")
        if PanelMember.objects.filter(campaign=locked, user=user).exists():
            raise ValidationFailed(f"{user} 已是评审组成员。", field="username")
        member = PanelMember.objects.create(campaign=locked, user=user)
        audit_record(
            actor=by,
            action="brands.panel_add",
            obj=member,
            changes=changes_between({}, {"campaign": locked.pk, "user": user.username}),
        )
    return member


def panel_member_remove(*, by, member: PanelMember) -> None:
    require_manager(by)
    with transaction.atomic():
        Campaign.objects.select_for_update().get(pk=member.campaign_id)
        if Evaluation.objects.filter(member=member).exists():
            raise ValidationFailed("该评审人已提交评分表，不能移出评审组。", field="username")
        audit_record(
            actor=by,
            action="brands.panel_remove",
            obj=member,
            changes=changes_between({"user": member.user.username}, {}),
        )
        PanelMember.objects.filter(pk=member.pk).delete()
