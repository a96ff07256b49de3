"""Cleaning what a user typed, for every app's services: one wording for each mistake.

Each function returns the clean value or raises ``ValidationFailed`` with a Chinese message
naming the field (``label``) and the form field to mark (``field``).
"""

from datetime import date
from decimal import Decimal, InvalidOperation

from .badinput import check_text
from .errors import ValidationFailed


def clean_text(value, *, field: str, label: str, max_length: int, required: bool = True) -> str:
    check_text(value, field=field, label=label)
    text = (value or "").strip()
    if required and not text:
        raise ValidationFailed(f"{label}不能为空。", field=field)
    if len(text) > max_length:
        raise ValidationFailed(f"{label}不能超过 {max_length} 个字。", field=field)
    return text


def clean_decimal(
    value, *, field: str, label: str, minimum: Decimal | None = None, maximum: Decimal | None = None
) -> Decimal:
    """A finite number; with bounds, one that lies between them (inclusive)."""
    try:
        number = Decimal(str(value).strip())
    except (InvalidOperation, ValueError):
        raise ValidationFailed(f"{label}应为数字。", field=field) from None
    if not number.is_finite():
        raise ValidationFailed(f"{label}应为数字。", field=field)
    low = Decimal("-Infinity") if minimum is None else minimum
    high = Decimal("Infinity") if maximum is None else maximum
    if not low <= number <= high:
        if minimum is not None and maximum is not None:
            raise ValidationFailed(f"{label}应在 {minimum} 到 {maximum} 之间。", field=field)
        bound = f"不能小于 {minimum}" if number < low else f"不能大于 {maximum}"
        raise ValidationFailed(f"{label}{bound}。", field=field)
    return number


def clean_money(
    value, *, field: str, label: str, maximum: Decimal, required: bool = True
) -> Decimal | None:
    """A non-negative amount in 元 with at most two decimals ("1,200.50" is read too)."""
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
    if amount > maximum:
        raise ValidationFailed(f"{label}过大。", field=field)
    if amount != amount.quantize(Decimal("0.01")):
        raise ValidationFailed(f"{label}最多保留两位小数（单位：元）。", field=field)
    return amount.quantize(Decimal("0.01"))


def clean_year(value, *, first: int, last: int, field: str = "year") -> int:
    try:
        year = int(value)
    except (TypeError, ValueError):
        raise ValidationFailed("年度须为四位数字，如 2023。", field=field) from None
    if not first <= year <= last:
        raise ValidationFailed(f"年度须在 {first}–{last} 之间。", field=field)
    return year


def clean_choice(value, choices, *, field: str, label: str, required: bool = True) -> str:
    """One of a ``TextChoices``' values ("" when optional and left empty)."""
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
