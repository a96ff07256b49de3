"""Checks the rural services share; each raises ``ValidationFailed`` with a Chinese message."""

from decimal import Decimal

from django.utils import timezone

from jiceng.core import clean
from jiceng.core.errors import PermissionDenied, ValidationFailed
from jiceng.core.models import Area, AreaKind

from ..permissions import can

MAX_MONEY = Decimal("999999999999.99")
FIRST_LEDGER_YEAR = 2000


def require(by, action: str, obj, message: str) -> None:
    if not can(by, action, obj):
        raise PermissionDenied(message)


def require_village(area: Area, field: str = "area") -> None:
    if area is None or area.kind != AreaKind.VILLAGE:
        raise ValidationFailed("所选区域不是村。", field=field)


def clean_money(value, *, field: str, label: str, required: bool = True) -> Decimal | None:
    """A non-negative amount in 元 with at most two decimals, within the ledger's bound."""
    return clean.clean_money(value, field=field, label=label, maximum=MAX_MONEY, required=required)


def clean_year(value, *, field: str = "year") -> int:
    """A ledger year: from the first ledger year to this year."""
    return clean.clean_year(
        value, first=FIRST_LEDGER_YEAR, last=timezone.localdate().year, field=field
    )
