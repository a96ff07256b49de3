"""API tokens: issued once in clear, stored only as a SHA-256."""

import hashlib
import secrets

from django.db import transaction

from jiceng.core.audit import audit_record
from jiceng.core.errors import PermissionDenied

from ..models import ApiToken
from ..permissions import can


def token_hash(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def api_token_issue(*, by, name: str, user) -> tuple[ApiToken, str]:
    """A new token acting as ``user``; the clear key is returned once and never stored."""
    if not can(by, "manage_webhooks"):
        raise PermissionDenied("只有区级管理员可以签发接口令牌。")
    if not can(user, "api_submit"):
        raise PermissionDenied("该账号的角色不能通过接口提交诉求，不能为其签发令牌。")
    key = secrets.token_urlsafe(32)
    with transaction.atomic():
        token = ApiToken.objects.create(
            name=name[:60], user=user, key_hash=token_hash(key), prefix=key[:8]
        )
        audit_record(actor=by, action="appeals.token_issue", obj=token, object_repr=str(token))
    return token, key
