"""Open311 GeoReport v2 (JSON) over the same intake: ``/api/v1/open311/``.

- ``GET services.json``: the leaf categories as service types (``service_code`` is the
  category's path), all ``realtime`` and without extra attributes.
- ``POST requests.json`` (form-encoded, ``api_key`` as a form field or a Bearer header):
  one appeal through ``appeal_submit`` on the API channel, acting as the key's account.
  The ``service_request_id`` returned is the tracking code.
- ``GET requests/{service_request_id}.json``: the request's public state, as the resident's
  tracking page shows it (the code is the key; no name or phone is returned).

One jurisdiction is served, so ``jurisdiction_id`` is accepted and ignored, as the spec
allows. Errors are GeoReport's list of ``{"code", "description"}``.
"""

from django.http import HttpRequest
from ninja import Router, Schema, Status

from jiceng.core import ratelimit
from jiceng.core.errors import ApplicationError, NotFound, PermissionDenied, ValidationFailed

from .models import DONE_STATUSES, Channel, Kind
from .models import Status as AppealStatus
from .permissions import can
from .selectors import appeal_get_by_code, category_choices
from .services import appeal_submit

router = Router(tags=["Open311 GeoReport v2"])

# GeoReport has two states; an appeal is closed once resolved, rejected or closed.
CLOSED = DONE_STATUSES | {AppealStatus.REJECTED}


class ErrorItem(Schema):
    code: int
    description: str


class ServiceOut(Schema):
    service_code: str
    service_name: str
    description: str
    metadata: bool
    type: str
    keywords: str
    group: str


class CreatedOut(Schema):
    service_request_id: str
    service_notice: str | None
    account_id: str | None


class RequestOut(Schema):
    service_request_id: str
    status: str
    status_notes: str | None
    service_name: str | None
    service_code: str | None
    description: str | None
    agency_responsible: str | None
    service_notice: str | None
    requested_datetime: str
    updated_datetime: str | None
    expected_datetime: str | None
    address: str | None
    address_id: str | None
    zipcode: str | None
    lat: float | None
    long: float | None
    media_url: str | None


ERRORS = {400: list[ErrorItem], 403: list[ErrorItem], 404: list[ErrorItem]}


def _error(code: int, description: str) -> Status:
    return Status(code, [{"code": code, "description": description}])


def _leaf_categories() -> list:
    rows = list(category_choices().select_related("parent"))
    parents = {c.parent_id for c in rows if c.parent_id}
    return [c for c in rows if c.pk not in parents]


def _account(request: HttpRequest):
    from .api import TokenAuth

    key = (request.POST.get("api_key") or "").strip()
    header = request.headers.get("Authorization", "")
    if not key and header.lower().startswith("bearer "):
        key = header[7:].strip()
    return TokenAuth().authenticate(request, key) if key else None


@router.get(
    "/open311/services.json", response=list[ServiceOut], summary="GeoReport v2：服务类型列表"
)
def open311_services(request, jurisdiction_id: str = ""):
    return [
        {
            "service_code": c.path,
            "service_name": c.name,
            "description": f"{c.parent.name} · {c.name}" if c.parent_id else c.name,
            "metadata": False,
            "type": "realtime",
            "keywords": c.name,
            "group": c.parent.name if c.parent_id else c.name,
        }
        for c in _leaf_categories()
    ]


def _float(value: str, name: str) -> float | None:
    if not value:
        return None
    try:
        return float(value)
    except ValueError:
        raise ValidationFailed(f"{name} 应为数字。") from None


@router.post(
    "/open311/requests.json",
    response={200: list[CreatedOut], **ERRORS},
    summary="GeoReport v2：提交服务请求（诉求）",
)
def open311_request_create(request):
    user = _account(request)
    if user is None:
        return _error(403, "api_key 无效或缺失。")
    if not can(user, "api_submit"):
        return _error(403, "api_key 所属账号的角色不能通过接口提交诉求。")
    data = request.POST
    code = (data.get("service_code") or "").strip()
    if not code:
        return _error(400, "缺少 service_code。")
    category = next((c for c in _leaf_categories() if c.path == code), None)
    if category is None:
        return _error(404, f"service_code {code} 不存在。")
    address = (data.get("address_string") or "").strip()
    try:
        lat, lng = _float(data.get("lat", ""), "lat"), _float(data.get("long", ""), "long")
        if (lat is None) != (lng is None):
            raise ValidationFailed("lat 与 long 须同时提供。")
        if not address and lat is None:
            raise ValidationFailed("请提供位置：lat 与 long，或 address_string。")
        name = (data.get("last_name", "") + data.get("first_name", "")).strip()
        appeal = appeal_submit(
            by=user,
            kind=Kind.HELP,
            channel=Channel.API,
            description=data.get("description", ""),
            address=address,
            lng=lng,
            lat=lat,
            resident_name=name,
            phone=(data.get("phone") or "").strip(),
            anonymous=not name and not data.get("phone"),
            category=category,
        )
    except PermissionDenied as e:
        return _error(403, e.message)
    except ApplicationError as e:
        return _error(400, e.message)
    notice = f"已受理，派至{appeal.area.name}" + (
        f"（{appeal.owner.name}）" if appeal.owner_id else ""
    )
    return [
        {
            "service_request_id": appeal.code,
            "service_notice": notice,
            "account_id": None,
        }
    ]


def _time(value) -> str | None:
    return value.isoformat() if value else None


@router.get(
    "/open311/requests/{service_request_id}.json",
    response={200: list[RequestOut], **ERRORS},
    summary="GeoReport v2：查询一件服务请求",
)
def open311_request_get(request, service_request_id: str, jurisdiction_id: str = ""):
    # The code is the key, as on the resident's tracking page: the same per-client limit.
    ratelimit.check_request(request, "appeals.track")
    try:
        appeal = appeal_get_by_code(code=service_request_id)
    except NotFound as e:
        return _error(404, e.message)
    notes = appeal.explanation or appeal.reject_reason or appeal.get_status_display()
    updated = appeal.closed_at or appeal.rated_at or appeal.resolved_at or appeal.updated_at
    return [
        {
            "service_request_id": appeal.code,
            "status": "closed" if appeal.status in CLOSED else "open",
            "status_notes": notes,
            "service_name": appeal.category.name if appeal.category_id else None,
            "service_code": appeal.category.path if appeal.category_id else None,
            "description": appeal.description,
            "agency_responsible": appeal.area.name,
            "service_notice": None,
            "requested_datetime": _time(appeal.submitted_at),
            "updated_datetime": _time(updated),
            "expected_datetime": _time(appeal.resolve_due_at),
            "address": appeal.address or None,
            "address_id": None,
            "zipcode": None,
            "lat": appeal.lat,
            "long": appeal.lng,
            "media_url": None,
        }
    ]
