"""What the brands services share: the district-only guard and the echelon thresholds."""

from decimal import Decimal

from jiceng.core.clean import clean_decimal
from jiceng.core.errors import PermissionDenied, ValidationFailed

from ..permissions import can


def require_manager(by) -> None:
    if not can(by, "manage_campaigns"):
        raise PermissionDenied("只有区级管理员可以管理一街一品行动。")


def thresholds_input(leading, pioneering) -> tuple[Decimal, Decimal]:
    leading = clean_decimal(leading, field="leading_threshold", label="引领梯队分数线")
    pioneering = clean_decimal(pioneering, field="pioneering_threshold", label="先行梯队分数线")
    if pioneering < 0 or leading > Decimal("1000"):
        raise ValidationFailed("分数线应在 0 到 1000 分之间。", field="pioneering_threshold")
    if leading <= pioneering:
        raise ValidationFailed("引领梯队分数线须高于先行梯队分数线。", field="leading_threshold")
    return leading.quantize(Decimal("0.01")), pioneering.quantize(Decimal("0.01"))
