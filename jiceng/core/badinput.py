"""Input no database can store, and input too big to read, answered in Chinese — never a 500.

- Text with NUL or other C0 control characters (PostgreSQL refuses NUL in text) or lone
  UTF-16 surrogates (no UTF-8 encoding exists: both databases refuse them) is refused by
  ``check_text`` in services and by ``SafeTextValidator`` on form fields, with a message at
  the field; the form keeps what was typed.
- Coordinates must be finite numbers (``check_coordinate``): ``NaN`` and ``Infinity`` parse
  as floats but are no place.
- The API's JSON parser (``StrictJsonParser``) refuses ``NaN``/``Infinity`` literals and
  numbers that overflow to infinity; ``install_api_input_handlers`` turns an unreadable body
  into ``400 {"detail": "<Chinese>", "field": null}`` and a body over
  ``DATA_UPLOAD_MAX_MEMORY_SIZE`` into ``413``.
- ``bad_request`` is the site's 400 page: a body too large for the form parser gets a
  Chinese page (HTML) or the API's JSON.
"""

import json
import math
import re

from django.core.exceptions import (
    RequestDataTooBig,
    TooManyFieldsSent,
    TooManyFilesSent,
    ValidationError,
)
from django.http import HttpResponse, JsonResponse
from django.shortcuts import render
from ninja.parser import Parser

from .errors import ValidationFailed

# C0 controls except tab, line feed and carriage return; and the surrogate range.
BAD_CHARS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff]")
TEXT_MESSAGE = "{label}含有无法保存的字符（如空字符或不完整的文字编码），请删除后重试。"
TOO_BIG_MESSAGE = "提交的内容过大，请删减文字或分开提交。"
TOO_BIG_TYPES = (RequestDataTooBig, TooManyFieldsSent, TooManyFilesSent)


def has_bad_chars(value) -> bool:
    return isinstance(value, str) and BAD_CHARS.search(value) is not None


def check_text(value, *, field: str, label: str) -> None:
    """Raise ``ValidationFailed`` at ``field`` when ``value`` holds characters that cannot
    be stored."""
    if has_bad_chars(value):
        raise ValidationFailed(TEXT_MESSAGE.format(label=label), field=field)


def check_coordinate(value, *, field: str, label: str, low: float, high: float) -> None:
    """``value`` is None or a finite number within [low, high]."""
    if value is None:
        return
    if not isinstance(value, int | float) or not math.isfinite(value) or not low <= value <= high:
        raise ValidationFailed(f"{label}无效：应为 {low} 到 {high} 之间的数字。", field=field)


class SafeTextValidator:
    """Form-field twin of ``check_text``: replaces Django's null-character check (whose
    Chinese translation reads badly) and also refuses controls and lone surrogates."""

    code = "bad_characters"

    def __call__(self, value):
        if has_bad_chars(value):
            raise ValidationError(TEXT_MESSAGE.format(label=""), code=self.code)

    def __eq__(self, other):
        return isinstance(other, SafeTextValidator)


class SafeTextFormMixin:
    """Put ``SafeTextValidator`` on every text field of the form."""

    def __init__(self, *args, **kwargs):
        from django import forms
        from django.core.validators import ProhibitNullCharactersValidator

        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            if isinstance(field, forms.CharField):
                kept = [
                    v
                    for v in field.validators
                    if not isinstance(v, ProhibitNullCharactersValidator)
                ]
                field.validators = [*kept, SafeTextValidator()]


# ---- the API --------------------------------------------------------------------------------


class UnreadableBody(ValueError):
    def __init__(self, message: str, status: int = 400):
        super().__init__(message)
        self.message = message
        self.status = status


def _no_constant(name):
    raise UnreadableBody(f"JSON 中不能使用 {name}：坐标和数值须为有限的数字，或写 null。")


def _finite(text):
    value = float(text)
    if not math.isfinite(value):
        raise UnreadableBody(f"JSON 中的数值 {text[:20]} 超出范围。")
    return value


class StrictJsonParser(Parser):
    def parse_body(self, request):
        try:
            body = request.body
        except TOO_BIG_TYPES as e:
            raise UnreadableBody(TOO_BIG_MESSAGE, status=413) from e
        try:
            return json.loads(body, parse_constant=_no_constant, parse_float=_finite)
        except UnreadableBody:
            raise
        except (ValueError, UnicodeDecodeError) as e:
            raise UnreadableBody("请求内容不是有效的 JSON（须为 UTF-8 编码的 JSON 对象）。") from e


def install_api_input_handlers(api) -> None:
    """Ninja wraps a parser's error in ``HttpError(400, "Cannot parse request body")``;
    answer it with the parser's Chinese message (and 413 for a body too big)."""
    from ninja.errors import HttpError

    @api.exception_handler(HttpError)
    def _http_error(request, exc):
        cause = exc.__cause__
        if isinstance(cause, UnreadableBody):
            status, detail = cause.status, cause.message
        else:
            status, detail = exc.status_code, str(exc)
        return api.create_response(request, {"detail": detail, "field": None}, status=status)


# ---- pages ----------------------------------------------------------------------------------


def bad_request(request, exception=None):
    """The 400 page (``handler400``): Django sends here a body too large to parse and other
    requests it refuses before any view runs."""
    too_big = isinstance(exception, TOO_BIG_TYPES)
    message = TOO_BIG_MESSAGE if too_big else "请求的内容无效，请检查后重试。"
    status = 413 if too_big else 400
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": message, "field": None}, status=status)
    try:
        return render(request, "400.html", {"message": message}, status=status)
    except Exception:  # the page must not fail on what made the request bad
        return HttpResponse(message, status=status, content_type="text/plain; charset=utf-8")


class BadInputMiddleware:
    """A path or query string holding NUL or other control characters is refused before any
    view reads it (PostgreSQL cannot even compare such text): 400 with a Chinese page, or
    the API's JSON."""

    MESSAGE = "网址中含有无效字符（如空字符），请检查后重试。"

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if has_bad_chars(request.path) or any(
            has_bad_chars(k) or any(has_bad_chars(v) for v in values)
            for k, values in request.GET.lists()
        ):
            if request.path.startswith("/api/"):
                return JsonResponse({"detail": self.MESSAGE, "field": None}, status=400)
            try:
                return render(request, "400.html", {"message": self.MESSAGE}, status=400)
            except Exception:  # e.g. a template tag reading the same bad path
                return HttpResponse(
                    self.MESSAGE, status=400, content_type="text/plain; charset=utf-8"
                )
        return self.get_response(request)
