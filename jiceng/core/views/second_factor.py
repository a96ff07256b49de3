"""The second step after the password: enrol an authenticator app (QR code), enter its
code or a recovery code, make new recovery codes; and an administrator's reset."""

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views import View

from .. import ratelimit, second_factor
from ..errors import PermissionDenied, ValidationFailed
from ..forms import OtpCodeForm
from ..qr import qr_svg
from .accounts import AccountActionView
from .base import safe_next


def _next(request) -> str:
    return safe_next(request, "/")


class OtpVerifyView(LoginRequiredMixin, View):
    template_name = "core/otp_verify.html"

    def get(self, request):
        if second_factor.confirmed_device(user=request.user) is None:
            return redirect("core:otp_setup")
        return self.page(request, OtpCodeForm())

    def post(self, request):
        form = OtpCodeForm(request.POST)
        if second_factor.confirmed_device(user=request.user) is None:
            return redirect("core:otp_setup")
        if not form.is_valid():
            return self.page(request, form, status=400)
        try:
            # Codes per account, whatever address they come from: six digits are guessable.
            ratelimit.check("otp.verify", f"user:{request.user.pk}")
            how = second_factor.otp_verify(
                request=request, user=request.user, code=form.cleaned_data["code"]
            )
        except ratelimit.RateLimited as e:
            return ratelimit.too_many(
                request, e, self.template_name, {"form": form, "next": _next(request)}
            )
        except ValidationFailed as e:
            form.add_error("code", e.message)
            return self.page(request, form, status=400)
        if how == "recovery":
            left = second_factor.recovery_codes_left(user=request.user)
            messages.warning(
                request,
                _("已使用一个恢复码，还剩 %(n)s 个；用完前请在“身份验证器”页面重新生成。")
                % {"n": left},
            )
        return redirect(_next(request))

    def page(self, request, form, status=200):
        return render(
            request, self.template_name, {"form": form, "next": _next(request)}, status=status
        )


class OtpSetupView(LoginRequiredMixin, View):
    """Enrol (QR code, then a code from the app), or — once enrolled and verified in this
    session — the state of the second factor and new recovery codes."""

    template_name = "core/otp_setup.html"

    def get(self, request):
        user = request.user
        if second_factor.confirmed_device(user=user) is not None:
            if second_factor.pending_step(request):
                return redirect("core:otp_verify")
            return render(
                request,
                self.template_name,
                {"enrolled": True, "left": second_factor.recovery_codes_left(user=user)},
            )
        return self.enrol_page(request, OtpCodeForm())

    def post(self, request):
        user = request.user
        if request.POST.get("action") == "regenerate":
            try:
                codes = second_factor.recovery_codes_regenerate(request=request, user=user)
            except PermissionDenied as e:
                messages.error(request, e.message)
                return redirect("core:otp_setup")
            return render(request, "core/otp_codes.html", {"codes": codes, "next": "/"})
        form = OtpCodeForm(request.POST)
        if second_factor.confirmed_device(user=user) is not None:
            return redirect("core:otp_setup")
        if not form.is_valid():
            return self.enrol_page(request, form, status=400)
        try:
            ratelimit.check("otp.verify", f"user:{user.pk}")
            codes = second_factor.otp_enrol_confirm(
                request=request, user=user, token=form.cleaned_data["code"]
            )
        except ratelimit.RateLimited as e:
            form.add_error("code", e.message)
            return self.enrol_page(request, form, status=429)
        except ValidationFailed as e:
            form.add_error("code", e.message)
            return self.enrol_page(request, form, status=400)
        return render(request, "core/otp_codes.html", {"codes": codes, "next": _next(request)})

    def enrol_page(self, request, form, status=200):
        device = second_factor.otp_device_start(user=request.user)
        url = device.config_url
        secret = url.split("secret=", 1)[1].split("&", 1)[0]
        return render(
            request,
            self.template_name,
            {
                "enrolled": False,
                "form": form,
                "qr": qr_svg(url, scale=4, title="扫码绑定身份验证器"),
                "secret": " ".join(secret[i : i + 4] for i in range(0, len(secret), 4)),
                "required": bool(second_factor.pending_step(request)),
                "next": _next(request),
            },
            status=status,
        )


class AccountOtpResetView(AccountActionView):
    def act(self, request, account):
        second_factor.otp_reset(by=request.user, user=account)
        return self.done(
            _("已重置 %(u)s 的身份验证器和恢复码；其下次登录时须重新绑定。")
            % {"u": account.username},
            account,
        )
