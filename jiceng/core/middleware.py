from datetime import timedelta

from django.conf import settings
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone

from .context import reset_current_ip, set_current_ip


def client_ip(request) -> str:
    # Behind the production proxy REMOTE_ADDR is the proxy; it forwards the client.
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    if forwarded and getattr(settings, "JICENG_TRUST_X_FORWARDED_FOR", False):
        return forwarded.split(",")[0].strip()
    return request.META.get("REMOTE_ADDR", "")


class RequestContextMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = set_current_ip(client_ip(request))
        try:
            return self.get_response(request)
        finally:
            reset_current_ip(token)


class PasswordExpiryMiddleware:
    """Under the 等保 profile a password older than the maximum age must be changed first."""

    EXEMPT = ("core:password_change", "core:password_change_done", "core:logout")

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if (
            settings.JICENG_PASSWORD_PROFILE == "dengbao"
            and user is not None
            and user.is_authenticated
            and self._expired(user)
            and request.path not in {reverse(name) for name in self.EXEMPT}
            and not request.path.startswith(settings.STATIC_URL)
        ):
            return redirect("core:password_change")
        return self.get_response(request)

    @staticmethod
    def _expired(user) -> bool:
        changed = user.password_changed_at
        max_age = timedelta(days=settings.JICENG_PASSWORD_MAX_AGE_DAYS)
        return changed is None or timezone.now() - changed > max_age
