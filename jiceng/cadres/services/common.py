"""What the cadres services share: the permission check, today, scores and years."""

from datetime import date
from decimal import Decimal

from django.utils import timezone

from jiceng.core.clean import clean_decimal
from jiceng.core.errors import PermissionDenied, ValidationFailed

from ..permissions import can


def require(by, action: str, obj, message: str) -> None:
    """``by`` None is the system itself (the demo loader), which may do anything."""
    if by is not None and not can(by, action, obj):
        raise PermissionDenied(message)


def today() -> date:
    return timezone.localdate()


def check_score(value, *, field: str, label: str, maximum: Decimal = Decimal("100")) -> Decimal:
    return clean_decimal(value, field=field, label=label, minimum=Decimal(0), maximum=maximum)


def check_year(value: int, *, field: str = "year") -> int:
    if not 2000 <= int(value) <= 2100:
        raise ValidationFailed("年度应在 2000 到 2100 之间。", field=field)
    return int(value)
