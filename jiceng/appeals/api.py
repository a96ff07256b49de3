"""``POST /api/v1/appeals``: intake for partner systems (12345 platform, WeChat gateway).

Bearer-token auth (``ApiToken``, only the hash stored); the token's account is the acting
user. An ``Idempotency-Key`` header makes retries safe: the same key with the same body
returns the first answer and creates nothing; the same key with another body is a 409.
"""

import hashlib
import json

from django.db import IntegrityError, transaction
from django.utils import timezone
from ninja import Router, Schema, Status
from ninja.security import HttpBearer

from jiceng.core import ratelimit
from jiceng.core.errors import ApplicationError, PermissionDenied
from jiceng.core.net import client_ip

from .models import ApiToken, Channel, IdempotencyRecord, Kind, Urgency
from .permissions import can
from .selectors import category_choices
from .services import appeal_submit
from .services.tokens import token_hash

router = Router(tags=["接诉即办"])


class TokenAuth(HttpBearer):
    def authenticate(self, request, token):
        # Wrong tokens are counted per client address: past the limit even a right one is
        # refused with 429 until the window ends, so tokens cannot be guessed.
        ip = client_ip(request)
        if ratelimit.exceeded("api.bad_token", ip):
            raise ratelimit.RateLimited(ratelimit.rule("api.bad_token").message)
        row = (
            ApiToken.objects.filter(key_hash=token_hash(token), active=True)
            .select_related("user")
            .first()
        )
        if row is None or not row.user.is_active:
            ratelimit.record("api.bad_token", ip)
            return None
        ApiToken.objects.filter(pk=row.pk).update(last_used_at=timezone.now())
        request.api_token = row
        return row.user


class AppealIn(Schema):
    kind: Kind
    description: str
    channel: Channel = Channel.API
    address: str = ""
    lng: float | None = None
    lat: float | None = None
    resident_name: str = ""
    phone: str = ""
    anonymous: bool = False
    urgency: Urgency = Urgency.NORMAL
    category_id: int | None = None
    title: str = ""


class AppealOut(Schema):
    code: str
    status: str
    area_code: str
    area_name: str
    grid_code: str | None
    owner: str | None
    routing_method: str
    routing_confidence: float
    response_due_at: str | None
    resolve_due_at: str | None


class ErrorOut(Schema):
    detail: str
    field: str | None = None


def _out(appeal) -> dict:
    return {
        "code": appeal.code,
        "status": appeal.status,
        "area_code": appeal.area.code,
        "area_name": appeal.area.name,
        "grid_code": appeal.grid.code if appeal.grid_id else None,
        "owner": appeal.owner.name if appeal.owner_id else None,
        "routing_method": appeal.routing_method,
        "routing_confidence": appeal.routing_confidence,
        "response_due_at": appeal.response_due_at.isoformat() if appeal.response_due_at else None,
        "resolve_due_at": appeal.resolve_due_at.isoformat() if appeal.resolve_due_at else None,
    }


API_DENIED = "令牌所属账号的角色不能通过接口提交诉求。"


def _create(request, payload: AppealIn) -> tuple[int, dict]:
    if not can(request.auth, "api_submit"):
        return 403, {"detail": API_DENIED, "field": None}
    data = payload.dict()
    category = None
    if data["category_id"] is not None:
        category = category_choices().filter(pk=data["category_id"]).first()
        if category is None:
            return 400, {"detail": "分类不存在。", "field": "category_id"}
    channel = data["channel"]
    if channel not in (Channel.API, Channel.HOTLINE, Channel.WECHAT, Channel.WEB):
        return 400, {
            "detail": "接口只能提交 api、hotline、wechat 或 web 渠道的诉求。",
            "field": "channel",
        }
    try:
        appeal = appeal_submit(
            by=request.auth,
            kind=data["kind"],
            channel=channel,
            description=data["description"],
            address=data["address"],
            lng=data["lng"],
            lat=data["lat"],
            resident_name=data["resident_name"],
            phone=data["phone"],
            anonymous=data["anonymous"],
            urgency=data["urgency"],
            category=category,
            title=data["title"],
        )
    except PermissionDenied as e:
        return 403, {"detail": e.message, "field": e.field}
    except ApplicationError as e:
        return 400, {"detail": e.message, "field": e.field}
    return 201, _out(appeal)


@router.post(
    "/appeals",
    auth=TokenAuth(),
    response={201: AppealOut, 400: ErrorOut, 403: ErrorOut, 409: ErrorOut},
    summary="提交一件诉求",
)
def create_appeal(request, payload: AppealIn):
    key = (request.headers.get("Idempotency-Key") or "").strip()[:100]
    if not key:
        return Status(*_create(request, payload))
    body_hash = hashlib.sha256(
        json.dumps(payload.dict(), sort_keys=True, ensure_ascii=False, default=str).encode()
    ).hexdigest()
    token = request.api_token
    try:
        with transaction.atomic():
            # The key row is written first: a concurrent retry with the same key waits on
            # its unique index until this transaction ends, then replays the answer.
            record = IdempotencyRecord.objects.create(token=token, key=key, body_hash=body_hash)
            status, body = _create(request, payload)
            if status >= 400:
                # A refused request is not remembered: the client may fix it and retry.
                transaction.set_rollback(True)
                return Status(status, body)
            record.status_code, record.response = status, body
            record.save(update_fields=["status_code", "response"])
            return Status(status, body)
    except IntegrityError:
        pass
    first = IdempotencyRecord.objects.filter(token=token, key=key).first()
    if first is None or first.body_hash != body_hash:
        return Status(409, {"detail": "该 Idempotency-Key 已用于内容不同的请求。", "field": None})
    return Status(first.status_code, first.response)


# Open311 GeoReport v2 over the same intake (jiceng/appeals/open311.py).
from .open311 import router as open311_router  # noqa: E402

router.add_router("", open311_router)
