"""What the cadres services share: permission checks, date and score parsing."""

from datetime import date
from decimal import Decimal, InvalidOperation

from django.utils import timezone

from jiceng.core.errors import PermissionDenied, ValidationFailed

from ..permissions import can


def require(by, action: str, obj, message: str) -> None:
    """``by`` None is the system itself (the demo loader), which may do anything."""
    if by is not None and not can(by, action, obj):
        raise PermissionDenied(message)


def today() -> date:
    return timezone.localdate()


def text(value: str, *, field: str, label: str, max_length: int, required: bool = True) -> str:
    value = (value or "").strip()
    if required and not value:
        raise ValidationFailed(f"{label}不能为空。", field=field)
    if len(value) > max_length:
        raise ValidationFailed(f"{label}不能超过 {max_length} 个字。", field=field)
    return value


def check_score(value, *, field: str, label: str, maximum: Decimal = Decimal("100")) -> Decimal:
    try:
        number = Decimal(str(value).strip())
    except (InvalidOperation, ValueError):
        raise ValidationFailed(f"{label}应为数字。", field=field) from None
    if not number.is_finite() or number < 0 or number > maximum:
        raise ValidationFailed(f"{label}应在 0 到 {maximum} 之间。", field=field)
    return number


def check_year(value: int, *, field: str = "year") -> int:
    if not 2000 <= int(value) <= 2100:
        raise ValidationFailed("年度应在 2000 到 2100 之间。", field=field)
    return int(value)
