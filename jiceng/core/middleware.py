from datetime import timedelta

from django.conf import settings
from django.contrib import messages
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from .context import reset_current_ip, set_current_ip
from .net import client_ip


class RequestContextMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = set_current_ip(client_ip(request))
        try:
            return self.get_response(request)
        finally:
            reset_current_ip(token)


class SecondFactorMiddleware:
    """Holds a session that passed the password but not yet the second factor (see
    ``jiceng.core.second_factor``) on the verify or enrol page; only logout gets through.
    The API authenticates by token, not by session, and is not concerned."""

    EXEMPT = ("core:otp_verify", "core:otp_setup", "core:logout")

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        from .second_factor import ENROL, pending_step
        from .views.base import safe_url

        step = pending_step(request)
        if (
            step
            and request.user.is_authenticated
            and request.path not in {reverse(name) for name in self.EXEMPT}
            and not request.path.startswith(settings.STATIC_URL)
        ):
            target = reverse("core:otp_setup" if step == ENROL else "core:otp_verify")
            nxt = safe_url(request.get_full_path(), "/")
            if nxt != "/":
                target += "?" + urlencode({"next": nxt})
            return redirect(target)
        return self.get_response(request)


class PasswordExpiryMiddleware:
    """Sends a user who must change their password to the change page first.

    A password must be changed when nobody but its owner can be known to hold it:
    ``User.set_password`` stamps ``password_changed_at``, and an empty stamp means an
    administrator set the password (a new account, a reset) or Django's manager did
    (``createsuperuser``). Under the 等保 profile it must also be younger than the maximum age.
    """

    EXEMPT = (
        "core:password_change",
        "core:password_change_done",
        "core:logout",
        "core:otp_verify",
        "core:otp_setup",
    )

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if (
            user is not None
            and user.is_authenticated
            and request.path not in {reverse(name) for name in self.EXEMPT}
            and not request.path.startswith(settings.STATIC_URL)
            and (reason := self._why_change(user))
        ):
            messages.warning(request, reason)
            return redirect("core:password_change")
        return self.get_response(request)

    @staticmethod
    def _why_change(user) -> str | None:
        """Why the user must change their password now (Chinese), or None."""
        changed = user.password_changed_at
        if changed is None:
            return _("您的密码由管理员设置，请先修改为只有您自己知道的新密码。")
        if settings.JICENG_PASSWORD_PROFILE != "dengbao":
            return None
        days = settings.JICENG_PASSWORD_MAX_AGE_DAYS
        if timezone.now() - changed > timedelta(days=days):
            return _("您的密码已超过 %(days)s 天有效期，请先修改密码。") % {"days": days}
        return None
