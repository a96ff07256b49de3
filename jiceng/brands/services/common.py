"""What the brands services share: input checks and the district-only guard."""

from decimal import Decimal, InvalidOperation

from jiceng.core.errors import PermissionDenied, ValidationFailed

from ..permissions import can


def require_manager(by) -> None:
    if not can(by, "manage_campaigns"):
        raise PermissionDenied("只有区级管理员可以管理一街一品行动。")


def decimal_input(value, *, field: str, label: str) -> Decimal:
    try:
        number = Decimal(str(value).strip())
    except (InvalidOperation, ValueError):
        raise ValidationFailed(f"{label}应为数字。", field=field) from None
    if not number.is_finite():
        raise ValidationFailed(f"{label}应为数字。", field=field)
    return number


def text_input(
    value: str, *, field: str, label: str, max_length: int, required: bool = True
) -> str:
    value = (value or "").strip()
    if required and not value:
        raise ValidationFailed(f"{label}不能为空。", field=field)
    if len(value) > max_length:
        raise ValidationFailed(f"{label}不能超过 {max_length} 个字。", field=field)
    return value


def thresholds_input(leading, pioneering) -> tuple[Decimal, Decimal]:
    leading = decimal_input(leading, field="leading_threshold", label="引领梯队分数线")
    pioneering = decimal_input(pioneering, field="pioneering_threshold", label="先行梯队分数线")
    if pioneering < 0 or leading > Decimal("1000"):
        raise ValidationFailed("分数线应在 0 到 1000 分之间。", field="pioneering_threshold")
    if leading <= pioneering:
        raise ValidationFailed("引领梯队分数线须高于先行梯队分数线。", field="leading_threshold")
    return leading.quantize(Decimal("0.01")), pioneering.quantize(Decimal("0.01"))
