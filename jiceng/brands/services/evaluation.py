"""The panel's score sheets."""

from decimal import Decimal

from django.db import transaction

from jiceng.core.audit import audit_record, changes_between
from jiceng.core.clean import clean_decimal
from jiceng.core.errors import PermissionDenied, ValidationFailed

from ..models import Brand, Campaign, Evaluation, EvaluationScore, PanelMember
from ..permissions import can


def evaluation_submit(*, by, brand: Brand, scores: dict[int, object]) -> Evaluation:
    """Record (or replace) the acting panel member's sheet for the brand: one score per
    criterion of the campaign, each between 0 and the criterion's full marks, in steps of
    0.5. The brand's score and echelon follow from the sheets at once."""
    if not can(by, "score", brand):
        raise PermissionDenied("只有本次行动评审组成员可以评分。")
    with transaction.atomic():
        campaign = Campaign.objects.select_for_update().get(pk=brand.campaign_id)
        if not campaign.accepts_scores:
            raise ValidationFailed("行动不在评审阶段，不能评分。")
        member = PanelMember.objects.get(campaign=campaign, user=by)
        criteria = list(campaign.criteria.order_by("order", "id"))
        if not criteria:
            raise ValidationFailed("本次行动尚未设置评分项。")
        values = {}
        for criterion in criteria:
            raw = scores.get(criterion.pk)
            if raw is None or str(raw).strip() == "":
                raise ValidationFailed(
                    f"请填写“{criterion.name}”的得分。", field=f"c{criterion.pk}"
                )
            value = clean_decimal(raw, field=f"c{criterion.pk}", label=f"“{criterion.name}”的得分")
            if not Decimal(0) <= value <= criterion.max_score:
                raise ValidationFailed(
                    f"“{criterion.name}”的得分应在 0 到 {criterion.max_score} 分之间。",
                    field=f"c{criterion.pk}",
                )
            if (value * 2) != (value * 2).to_integral_value():
                raise ValidationFailed(
                    f"“{criterion.name}”的得分以 0.5 分为单位。", field=f"c{criterion.pk}"
                )
            values[criterion] = value.quantize(Decimal("0.1"))
        extra = set(scores) - {c.pk for c in criteria}
        if extra:
            raise ValidationFailed("评分表含有不属于本次行动的评分项。")
        locked = Brand.objects.select_for_update().get(pk=brand.pk)
        sheet, created = Evaluation.objects.get_or_create(brand=locked, member=member)
        before = {s.criterion.name: s.value for s in sheet.scores.select_related("criterion")}
        if before:
            before["total"] = sum(before.values(), Decimal(0))
        sheet.scores.all().delete()
        EvaluationScore.objects.bulk_create(
            EvaluationScore(evaluation=sheet, criterion=c, value=v) for c, v in values.items()
        )
        if not created:
            sheet.save(update_fields=["updated_at"])
        after = {c.name: v for c, v in values.items()}
        after["total"] = sum(values.values(), Decimal(0))
        audit_record(
            actor=by,
            action="brands.evaluation_submit",
            obj=sheet,
            changes=changes_between(before, after),
        )
    return sheet
