"""Forms of the core pages: they parse and check the shape of input, nothing more.

Labels and messages are written in Chinese here rather than left to Django's catalog, so
the pages stay Chinese whatever language the browser asks for.
"""

from django import forms
from django.contrib.auth.forms import AuthenticationForm, PasswordChangeForm
from django.utils.translation import gettext_lazy as _


class LoginForm(AuthenticationForm):
    error_messages = {
        "invalid_login": _("用户名或密码不正确，请重新输入。"),
        "inactive": _("该账号已停用，请联系安全管理员。"),
    }

    def __init__(self, request=None, *args, **kwargs):
        super().__init__(request, *args, **kwargs)
        self.fields["username"].label = _("用户名")
        self.fields["username"].widget.attrs.update(
            {"class": "form-control form-control-lg", "placeholder": _("请输入用户名")}
        )
        self.fields["password"].label = _("密码")
        self.fields["password"].widget.attrs.update(
            {"class": "form-control form-control-lg", "placeholder": _("请输入密码")}
        )


class ChinesePasswordChangeForm(PasswordChangeForm):
    error_messages = {
        "password_mismatch": _("两次输入的新密码不一致。"),
        "password_incorrect": _("原密码不正确，请重新输入。"),
    }

    def __init__(self, user, *args, **kwargs):
        super().__init__(user, *args, **kwargs)
        labels = {
            "old_password": _("原密码"),
            "new_password1": _("新密码"),
            "new_password2": _("确认新密码"),
        }
        for name, label in labels.items():
            self.fields[name].label = label
            self.fields[name].widget.attrs["class"] = "form-control"
        self.fields["new_password1"].help_text = _(
            "至少 8 位，不能全为数字，不能与用户名相近，不能是常见密码。"
        )
        self.fields["new_password2"].help_text = _("请再次输入新密码。")


class SearchForm(forms.Form):
    q = forms.CharField(label=_("搜索"), required=False, max_length=50)

    def text(self) -> str:
        return self.cleaned_data.get("q", "").strip() if self.is_valid() else ""


class PersonFilterForm(forms.Form):
    q = forms.CharField(label=_("姓名/手机号/身份证号"), required=False, max_length=50)
    area = forms.RegexField(
        label=_("区域"),
        required=False,
        regex=r"^\d{6,24}$",
        error_messages={"invalid": _("区域编码应为 6–24 位数字。")},
    )


class AuditFilterForm(forms.Form):
    action = forms.CharField(label=_("动作"), required=False, max_length=64)
    actor = forms.CharField(label=_("操作人"), required=False, max_length=150)


class AreaSwitchForm(forms.Form):
    code = forms.RegexField(
        regex=r"^\d{6,24}$",
        error_messages={"invalid": _("区域编码无效。"), "required": _("请选择区域。")},
    )
    next = forms.CharField(required=False)
