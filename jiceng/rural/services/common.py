"""Checks the rural services share; each raises ``ValidationFailed`` with a Chinese message."""

from datetime import date
from decimal import Decimal, InvalidOperation

from django.utils import timezone

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


def clean_text(value, *, field: str, label: str, max_length: int, required: bool = True) -> str:
    text = (value or "").strip()
    if required and not text:
        raise ValidationFailed(f"{label}不能为空。", field=field)
    if len(text) > max_length:
        raise ValidationFailed(f"{label}不能超过 {max_length} 个字。", field=field)
    return text


def clean_money(value, *, field: str, label: str, required: bool = True) -> Decimal | None:
    """A non-negative amount in 元 with at most two decimals."""
    if value is None or value == "":
        if required:
            raise ValidationFailed(f"请填写{label}。", field=field)
        return None
    try:
        amount = Decimal(str(value).replace(",", "").strip())
    except InvalidOperation:
        raise ValidationFailed(f"{label}须为数字（单位：元）。", field=field) from None
    if not amount.is_finite():
        raise ValidationFailed(f"{label}须为数字（单位：元）。", field=field)
    if amount < 0:
        raise ValidationFailed(f"{label}不能为负数。", field=field)
    if amount > MAX_MONEY:
        raise ValidationFailed(f"{label}过大。", field=field)
    if amount != amount.quantize(Decimal("0.01")):
        raise ValidationFailed(f"{label}最多保留两位小数（单位：元）。", field=field)
    return amount.quantize(Decimal("0.01"))


def clean_year(value, *, field: str = "year") -> int:
    last = timezone.localdate().year
    try:
        year = int(value)
    except (TypeError, ValueError):
        raise ValidationFailed("年度须为四位数字，如 2023。", field=field) from None
    if not FIRST_LEDGER_YEAR <= year <= last:
        raise ValidationFailed(f"年度须在 {FIRST_LEDGER_YEAR}–{last} 之间。", field=field)
    return year


def clean_choice(value, choices, *, field: str, label: str, required: bool = True) -> str:
    if not value and not required:
        return ""
    if value not in choices.values:
        raise ValidationFailed(f"{label}无效，应为 {'、'.join(choices.labels)} 之一。", field=field)
    return value


def clean_date(value, *, field: str, label: str, required: bool = True) -> date | None:
    if value is None:
        if required:
            raise ValidationFailed(f"请填写{label}。", field=field)
        return None
    if not isinstance(value, date):
        raise ValidationFailed(f"{label}格式不正确。", field=field)
    return value
