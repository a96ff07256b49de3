"""What the contests' services share: the admin check, input cleaning, row locks."""

from decimal import Decimal, InvalidOperation

from jiceng.core.errors import PermissionDenied, ValidationFailed

from ..models import Contest
from ..permissions import can


def require_admin(by, contest: Contest) -> None:
    if by is not None and not can(by, "manage", contest):
        raise PermissionDenied("只有大赛管理员（区级管理员）可以进行此操作。")


def clean_text(
    value: str, *, label: str, field: str, max_length: int, required: bool = True
) -> str:
    value = (value or "").strip()
    if required and not value:
        raise ValidationFailed(f"请填写{label}。", field=field)
    if len(value) > max_length:
        raise ValidationFailed(f"{label}不能超过 {max_length} 个字。", field=field)
    return value


def to_decimal(value, *, label: str, field: str) -> Decimal:
    try:
        number = Decimal(str(value).strip())
    except (InvalidOperation, ValueError):
        raise ValidationFailed(f"{label}须为数字。", field=field) from None
    if not number.is_finite():
        raise ValidationFailed(f"{label}须为数字。", field=field)
    return number


def lock_row(model, pk):
    """The row, locked until the caller's transaction ends (the caller is in one)."""
    return model.objects.select_for_update().get(pk=pk)
