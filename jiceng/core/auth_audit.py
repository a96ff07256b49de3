"""Logins, logouts and failed logins enter the audit log (等保: 身份鉴别事件须留痕).

Django announces these only as signals, so this is the one place the core listens to them.
"""

from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed

from .audit import audit_record


def _logged_in(sender, request, user, **kwargs):
    audit_record(actor=user, action="auth.login", obj=user)


def _logged_out(sender, request, user, **kwargs):
    if user is not None:
        audit_record(actor=user, action="auth.logout", obj=user)


def _login_failed(sender, credentials, request=None, **kwargs):
    username = str(credentials.get("username", ""))[:150]
    audit_record(
        actor=None,
        action="auth.login_failed",
        object_repr=username,
        changes={"username": [None, username]},
    )


def connect() -> None:
    user_logged_in.connect(_logged_in, dispatch_uid="jiceng_audit_login")
    user_logged_out.connect(_logged_out, dispatch_uid="jiceng_audit_logout")
    user_login_failed.connect(_login_failed, dispatch_uid="jiceng_audit_login_failed")
