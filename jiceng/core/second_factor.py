"""Second factor: a TOTP authenticator app (django-otp's ``TOTPDevice``) plus one-time
recovery codes, asked for after the password (等保 level 3 for privileged accounts).

Who is asked: anyone who enrolled an authenticator, and — when ``JICENG_OTP_REQUIRED`` is
on — every holder of a role in ``JICENG_OTP_ROLES`` (district, security and audit
administrators), who must enrol one at their next login. The decision is made once at login
and kept in the session (``PENDING_KEY``), so a page costs no extra query; the
``SecondFactorMiddleware`` sends a pending session to the verify (or enrol) step and lets
nothing else through but logout.

Recovery codes are shown once when made; only an HMAC of each (keyed with the secret key)
is stored, and each works once. Enrolment, every failed code, a recovery code used,
regeneration and a reset by another administrator enter the audit log.
"""

import hashlib
import hmac
import secrets

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from .audit import audit_record
from .errors import PermissionDenied, ValidationFailed
from .models import RecoveryCode, User
from .scope import scope_of

PENDING_KEY = "jiceng_otp_pending"  # "verify" or "enrol" until the second step is done
VERIFIED_KEY = "jiceng_otp_verified"  # the account's pk once the second step is done
ENROL = "enrol"
VERIFY = "verify"
RECOVERY_CODE_COUNT = 10
_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"  # no 0/o, 1/l/i


# ---- reads ----------------------------------------------------------------------------------


def confirmed_device(*, user) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=user, confirmed=True).order_by("id").first()


def enforced_for(*, user) -> bool:
    """Whether this account must pass the second step: it enrolled an authenticator, or
    the site requires one of its roles."""
    if confirmed_device(user=user) is not None:
        return True
    if not getattr(settings, "JICENG_OTP_REQUIRED", False):
        return False
    return scope_of(user).has_role(*settings.JICENG_OTP_ROLES)


def recovery_codes_left(*, user) -> int:
    return RecoveryCode.objects.filter(user=user, used_at__isnull=True).count()


def pending_step(request) -> str | None:
    return request.session.get(PENDING_KEY) if hasattr(request, "session") else None


# ---- the session ----------------------------------------------------------------------------


def on_login(request, user) -> None:
    """Called when a password login (or ``force_login``) succeeds: mark the session as
    waiting for the second step when the account needs one."""
    if request is None or not hasattr(request, "session"):
        return
    request.session.pop(VERIFIED_KEY, None)
    if enforced_for(user=user):
        request.session[PENDING_KEY] = VERIFY if confirmed_device(user=user) else ENROL
    else:
        request.session.pop(PENDING_KEY, None)


def _mark_verified(request, user) -> None:
    request.session.pop(PENDING_KEY, None)
    request.session[VERIFIED_KEY] = user.pk
    # A new session key once the second factor is in: a key seen before it is worthless.
    request.session.cycle_key()


# ---- recovery codes -------------------------------------------------------------------------


def _normalise(code: str) -> str:
    return "".join(ch for ch in (code or "").lower() if ch.isalnum())


def _digest(code: str) -> str:
    key = settings.SECRET_KEY.encode()
    return "hmac-sha256$" + hmac.new(key, _normalise(code).encode(), hashlib.sha256).hexdigest()


def _new_code() -> str:
    raw = "".join(secrets.choice(_ALPHABET) for _ in range(10))
    return f"{raw[:5]}-{raw[5:]}"


def _issue_recovery_codes(user: User) -> list[str]:
    """Replace the account's recovery codes; the caller holds the transaction."""
    RecoveryCode.objects.filter(user=user).delete()
    codes = [_new_code() for _ in range(RECOVERY_CODE_COUNT)]
    RecoveryCode.objects.bulk_create(RecoveryCode(user=user, code_hash=_digest(c)) for c in codes)
    return codes


# ---- writes ---------------------------------------------------------------------------------


def otp_device_start(*, user: User) -> TOTPDevice:
    """The account's authenticator waiting to be confirmed (a new secret unless one is
    already waiting). Refused once an authenticator is confirmed: a reset comes first."""
    if confirmed_device(user=user) is not None:
        raise PermissionDenied("已绑定身份验证器；如需更换，请联系安全管理员重置。")
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("id").first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="身份验证器", confirmed=False)
    return device


def otp_enrol_confirm(*, request, user: User, token: str) -> list[str]:
    """Confirm the waiting authenticator with a code from the app; return the new recovery
    codes (to be shown once). A wrong code is audited and changes nothing else."""
    token = (token or "").strip()
    with transaction.atomic():
        device = (
            TOTPDevice.objects.select_for_update()
            .filter(user=user, confirmed=False)
            .order_by("id")
            .first()
        )
        if device is None:
            raise ValidationFailed("请先打开绑定页面获取新的二维码。", field="code")
        codes = None
        if token.isdigit() and len(token) == 6 and device.verify_token(token):
            device.confirmed = True
            device.save(update_fields=["confirmed"])
            TOTPDevice.objects.filter(user=user, confirmed=False).delete()
            codes = _issue_recovery_codes(user)
            audit_record(
                actor=user,
                action="auth.otp_enrol",
                obj=user,
                changes={"second_factor": [None, "totp"], "recovery_codes": [None, len(codes)]},
            )
    if codes is None:
        # Outside the transaction: the refusal changes nothing, its audit row stays.
        audit_record(actor=user, action="auth.otp_enrol_failed", obj=user)
        raise ValidationFailed("验证码不正确，请核对手机上的 6 位数字后重试。", field="code")
    _mark_verified(request, user)
    return codes


def otp_verify(*, request, user: User, code: str) -> str:
    """Check the second step: a 6-digit code from the authenticator, or an unused recovery
    code (which is used up). Returns ``"totp"`` or ``"recovery"``; a wrong code is audited
    and raises ``ValidationFailed``."""
    code = (code or "").strip()
    device = confirmed_device(user=user)
    if device is None:
        raise ValidationFailed("该账号尚未绑定身份验证器。", field="code")
    if code.isdigit() and len(code) == 6:
        if device.verify_token(code):
            audit_record(actor=user, action="auth.otp_verified", obj=user)
            _mark_verified(request, user)
            return "totp"
    elif _normalise(code):
        with transaction.atomic():
            row = (
                RecoveryCode.objects.select_for_update()
                .filter(user=user, code_hash=_digest(code), used_at__isnull=True)
                .first()
            )
            if row is not None:
                row.used_at = timezone.now()
                row.save(update_fields=["used_at"])
                audit_record(
                    actor=user,
                    action="auth.otp_recovery_used",
                    obj=user,
                    changes={"recovery_codes_left": [None, recovery_codes_left(user=user)]},
                )
        if row is not None:
            _mark_verified(request, user)
            return "recovery"
    audit_record(actor=user, action="auth.otp_failed", obj=user)
    raise ValidationFailed("验证码不正确或已使用，请重试。", field="code")


def recovery_codes_regenerate(*, request, user: User) -> list[str]:
    """New recovery codes for an account that passed the second step in this session."""
    if request.session.get(VERIFIED_KEY) != user.pk or confirmed_device(user=user) is None:
        raise PermissionDenied("请先完成身份验证器验证。")
    with transaction.atomic():
        codes = _issue_recovery_codes(user)
        audit_record(
            actor=user,
            action="auth.otp_recovery_regenerated",
            obj=user,
            changes={"recovery_codes": [None, len(codes)]},
        )
    return codes


def otp_reset(*, by, user: User) -> int:
    """Remove the account's authenticator and recovery codes (a lost phone), by another
    administrator; the holder enrols again at the next login. Returns devices removed."""
    from .services import _require_manageable

    _require_manageable(by=by, user=user)
    if by is not None and by.pk == user.pk:
        raise PermissionDenied("不能重置自己的身份验证器，请联系另一位管理员。")
    with transaction.atomic():
        removed, _ = TOTPDevice.objects.filter(user=user).delete()
        codes, _ = RecoveryCode.objects.filter(user=user).delete()
        if not removed and not codes:
            raise ValidationFailed("该账号未绑定身份验证器。", field="second_factor")
        audit_record(
            actor=by,
            action="auth.otp_reset",
            obj=user,
            changes={"second_factor": ["totp", None], "recovery_codes": [codes, 0]},
        )
    return removed


def _logged_in(sender, request, user, **kwargs):
    on_login(request, user)


def connect() -> None:
    from django.contrib.auth.signals import user_logged_in

    user_logged_in.connect(_logged_in, dispatch_uid="jiceng_second_factor_login")
