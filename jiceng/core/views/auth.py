"""Login, logout and password change (Django's views with Chinese pages)."""

from django.contrib.auth import update_session_auth_hash
from django.contrib.auth import views as auth_views
from django.shortcuts import redirect
from django.urls import reverse_lazy

from .. import ratelimit, services
from ..errors import ValidationFailed
from ..forms import (
    ChinesePasswordChangeForm,
    LoginForm,
)
from .base import safe_next


class RelativeNextMixin:
    """``next`` may only name a path on this site: Django's own check also lets an absolute
    URL of the same host through; the platform's rule (``safe_next``) is stricter."""

    def get_redirect_url(self):
        return safe_next(self.request, "")


class LoginView(RelativeNextMixin, auth_views.LoginView):
    template_name = "core/login.html"
    authentication_form = LoginForm
    redirect_authenticated_user = True

    def post(self, request, *args, **kwargs):
        # Password attempts per client address, before any is checked (django-axes also
        # locks the username at that address after five failures).
        try:
            ratelimit.check_request(request, "login")
        except ratelimit.RateLimited as e:
            return ratelimit.too_many(
                request, e, self.template_name, {"form": self.get_form(), "next": ""}
            )
        return super().post(request, *args, **kwargs)


class LogoutView(RelativeNextMixin, auth_views.LogoutView):
    pass


class PasswordChangeView(auth_views.PasswordChangeView):
    template_name = "core/password_change.html"
    form_class = ChinesePasswordChangeForm
    success_url = reverse_lazy("core:password_change_done")

    def form_valid(self, form):
        try:
            services.user_password_change(
                by=self.request.user,
                user=self.request.user,
                new_password=form.cleaned_data["new_password1"],
            )
        except ValidationFailed as e:
            form.add_error("new_password1", e.message)
            return self.form_invalid(form)
        update_session_auth_hash(self.request, self.request.user)
        return redirect(self.get_success_url())


class PasswordChangeDoneView(auth_views.PasswordChangeDoneView):
    template_name = "core/password_change_done.html"
