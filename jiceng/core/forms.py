"""Forms of the core pages: they parse and check the shape of input, nothing more.

Labels and messages are written in Chinese here rather than left to Django's catalog, so
the pages stay Chinese whatever language the browser asks for.
"""

from django import forms
from django.contrib.auth.forms import AuthenticationForm, PasswordChangeForm
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from .badinput import SafeTextFormMixin


class LoginForm(SafeTextFormMixin, AuthenticationForm):
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


class OtpCodeForm(forms.Form):
    """The second step: six digits from the authenticator app, or a recovery code."""

    code = forms.CharField(
        label=_("验证码"),
        max_length=20,
        error_messages={"required": _("请输入验证码。"), "max_length": _("验证码过长。")},
        widget=forms.TextInput(
            attrs={
                "class": "form-control form-control-lg",
                "autocomplete": "one-time-code",
                "inputmode": "text",
                "placeholder": _("6 位数字或恢复码"),
                "autofocus": True,
            }
        ),
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
    since = forms.DateField(
        label=_("起始日期"), required=False, error_messages={"invalid": _("起始日期无效。")}
    )
    until = forms.DateField(
        label=_("截止日期"), required=False, error_messages={"invalid": _("截止日期无效。")}
    )
    object = forms.RegexField(
        label=_("对象"),
        required=False,
        regex=r"^[a-z_]+\.[a-z_]+(#[\w-]{1,64})?$",
        error_messages={"invalid": _("对象参数无效。")},
    )

    def clean(self):
        data = super().clean()
        since, until = data.get("since"), data.get("until")
        if since and until and since > until:
            raise forms.ValidationError(_("起始日期不能晚于截止日期。"))
        return data

    def filters(self) -> dict:
        """Keyword arguments of ``audit_list_visible_to`` (none when the form is invalid)."""
        if not self.is_valid():
            return {}
        data = self.cleaned_data
        object_type, _sep, object_id = (data.get("object") or "").partition("#")
        return {
            "action": (data.get("action") or "").strip(),
            "actor": (data.get("actor") or "").strip(),
            "since": data.get("since"),
            "until": data.get("until"),
            "object_type": object_type,
            "object_id": object_id,
        }


class AreaSwitchForm(forms.Form):
    # An area code, or "all": the whole scope of an account with several root areas.
    code = forms.RegexField(
        regex=r"^(\d{6,24}|all)$",
        error_messages={"invalid": _("区域编码无效。"), "required": _("请选择区域。")},
    )
    next = forms.CharField(required=False)


# ---- editing forms (appended) ----------------------------------------------------------
#
# The services own the rules and their messages: a field the service validates (a name, a
# code, a number of households) is optional here, so the user reads the service's message
# rather than a generic one. ``required_marks`` names the fields the page marks with "*".

DATE_INPUT_FORMATS = ["%Y-%m-%d", "%Y/%m/%d"]
AREA_CODE_HELP = _("填写区域编码，可从下拉建议中选择。")


def date_field(label, *, required: bool = False, help_text: str = "") -> forms.DateField:
    return forms.DateField(
        label=label,
        required=required,
        help_text=help_text,
        input_formats=DATE_INPUT_FORMATS,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={
            "invalid": _("日期格式应为“年-月-日”，如 2024-05-01。"),
            "required": format_lazy("请填写{}。", label),
        },
    )


def choice_field(label, *, required: bool = True) -> forms.ChoiceField:
    """A choice whose options the form's ``__init__`` fills in (from models or rows)."""
    return forms.ChoiceField(
        label=label,
        required=required,
        error_messages={
            "invalid_choice": format_lazy("请从列表中选择有效的{}。", label),
            "required": format_lazy("请选择{}。", label),
        },
    )


class EditForm(SafeTextFormMixin, forms.Form):
    required_marks: tuple[str, ...] = ()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            widget = field.widget
            css = "form-select" if isinstance(widget, forms.Select) else "form-control"
            widget.attrs.setdefault("class", css)

    def add_error(self, field, error):
        super().add_error(field, error)
        # Bootstrap draws a field with an error red only when the input has this class.
        for name in self.errors:
            if name in self.fields:
                css = self.fields[name].widget.attrs.get("class", "")
                if "is-invalid" not in css.split():
                    self.fields[name].widget.attrs["class"] = f"{css} is-invalid".strip()

    def apply_error(self, error) -> None:
        """Show a service's ``ApplicationError`` at its field, or above the form."""
        self.add_error(error.field if error.field in self.fields else None, error.message)


class AreaEditForm(EditForm):
    required_marks = ("name",)

    name = forms.CharField(
        label=_("名称"),
        required=False,
        max_length=100,
        error_messages={"max_length": _("名称不能超过 100 个字。")},
    )
    households = forms.IntegerField(
        label=_("户数"),
        required=False,
        max_value=9_999_999,
        error_messages={"invalid": _("户数应为整数。"), "max_value": _("户数过大。")},
    )
    address = forms.CharField(
        label=_("地址"),
        required=False,
        max_length=200,
        error_messages={"max_length": _("地址不能超过 200 个字。")},
    )


class AreaChildForm(AreaEditForm):
    """A new area under ``parent``; ``kinds`` are the kinds the parent may hold (the first
    one preselected). With a single kind the choice is shown but fixed."""

    required_marks = ("kind", "code", "name")
    field_order = ["kind", "code", "name", "households", "address"]

    kind = choice_field(_("类型"))
    code = forms.CharField(
        label=_("编码"),
        required=False,
        max_length=24,
        error_messages={"max_length": _("编码不能超过 24 位。")},
    )
    # area_create leaves households to the database's CHECK; refuse a negative number here
    # with the same message area_update gives.
    households = forms.IntegerField(
        label=_("户数"),
        required=False,
        min_value=0,
        max_value=9_999_999,
        error_messages={
            "invalid": _("户数应为整数。"),
            "min_value": _("户数不能为负数。"),
            "max_value": _("户数过大。"),
        },
    )

    def __init__(self, *args, parent, kinds: list[str], **kwargs):
        from .models import CODE_LENGTH, AreaKind

        super().__init__(*args, **kwargs)
        kind = self.fields["kind"]
        kind.choices = [(k, AreaKind(k).label) for k in kinds]
        if len(kinds) == 1:
            kind.disabled = True
            kind.initial = kinds[0]
            kind.help_text = _("由上级区域的类型决定。")
        lengths = "/".join(sorted({f"{CODE_LENGTH[AreaKind(k)]}" for k in kinds}, key=int))
        self.fields["code"].help_text = _(
            "%(lengths)s 位数字，以上级编码 %(parent)s 开头；已填入下一个空闲序号，可修改。"
        ) % {"lengths": lengths, "parent": parent.code}
        self.fields["code"].widget.attrs.update({"inputmode": "numeric", "autocomplete": "off"})


class PersonForm(EditForm):
    """A person's facts. Editing (``person`` given), the phone and ID number boxes start
    empty and show the masked value: left empty they keep it, filled in they replace it."""

    required_marks = ("name", "political_status", "area")

    name = forms.CharField(
        label=_("姓名"),
        required=False,
        max_length=50,
        error_messages={"max_length": _("姓名不能超过 50 个字。")},
    )
    sex = choice_field(_("性别"), required=False)
    birth_date = date_field(_("出生日期"), help_text=_("填写身份证号时可留空，按身份证号推断。"))
    phone = forms.CharField(label=_("手机号"), required=False, max_length=20)
    id_number = forms.CharField(label=_("身份证号"), required=False, max_length=30)
    education = choice_field(_("学历"), required=False)
    political_status = choice_field(_("政治面貌"))
    party_joined_on = date_field(_("入党日期"), help_text=_("中共党员、预备党员填写。"))
    area = forms.CharField(
        label=_("所属区域编码"),
        max_length=24,
        help_text=AREA_CODE_HELP,
        error_messages={"required": _("请填写所属区域编码。")},
    )

    def __init__(self, *args, person=None, **kwargs):
        from .models import Education, PoliticalStatus, Sex

        super().__init__(*args, **kwargs)
        self.fields["sex"].choices = [("", _("—")), *Sex.choices]
        self.fields["education"].choices = [("", _("—")), *Education.choices]
        self.fields["political_status"].choices = PoliticalStatus.choices
        self.fields["political_status"].initial = PoliticalStatus.MASSES
        self.fields["area"].widget.attrs.update({"list": "area-codes", "autocomplete": "off"})
        for name in ("phone", "id_number"):
            self.fields[name].widget.attrs["autocomplete"] = "off"
        if person is not None:
            for name, masked in (
                ("phone", person.phone_masked),
                ("id_number", person.id_number_masked),
            ):
                field = self.fields[name]
                field.widget.attrs["placeholder"] = masked or _("未登记")
                field.help_text = (
                    _("当前为 %(masked)s。留空则保持不变，填写则替换。") % {"masked": masked}
                    if masked
                    else _("当前未登记。")
                )

    def service_fields(self, *, area, keep_blank: bool) -> dict:
        """The cleaned values as the person services take them; with ``keep_blank`` an
        empty phone or ID number is left out (the current one stays)."""
        data = {k: v for k, v in self.cleaned_data.items() if k != "area"}
        data["area"] = area
        if keep_blank:
            for name in ("phone", "id_number"):
                if not data[name].strip():
                    del data[name]
        return data


class PostCreateForm(EditForm):
    """A new post. On an area's page the area is fixed and the person is chosen
    (``people``); on a person's page the place is an area code and/or an organization."""

    required_marks = ("person", "title")

    person = choice_field(_("人员"))
    title = choice_field(_("职务"))
    area = forms.CharField(
        label=_("任职区域编码"),
        required=False,
        max_length=24,
        help_text=_("区域编码与党组织至少填写一项。"),
    )
    party_org = choice_field(_("任职党组织"), required=False)
    starts_on = date_field(_("任职日期"))
    ends_on = date_field(_("离任日期"), help_text=_("仍在任则留空。"))

    def __init__(self, *args, people=None, orgs=None, **kwargs):
        from .models import PostTitle

        super().__init__(*args, **kwargs)
        self.fields["title"].choices = [("", _("请选择")), *PostTitle.choices]
        if people is None:
            del self.fields["person"]
        else:
            self.fields["person"].choices = [("", _("请选择"))] + [
                (str(p.pk), f"{p.name}（{p.area.name}）") for p in people
            ]
            del self.fields["area"], self.fields["party_org"]
        if "party_org" in self.fields:
            self.fields["party_org"].choices = [("", _("—"))] + [
                (str(o.pk), f"{o.name}（{o.area.name}）") for o in orgs or ()
            ]
        if "area" in self.fields:
            self.fields["area"].widget.attrs.update({"list": "area-codes", "autocomplete": "off"})


class PostEndForm(EditForm):
    required_marks = ("post", "ends_on")

    post = choice_field(_("职务"))
    ends_on = date_field(_("离任日期"), required=True, help_text=_("离任日期当天仍计为在任。"))
    next = forms.CharField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, posts, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["post"].choices = [("", _("请选择"))] + [
            (str(p.pk), post_label(p)) for p in posts
        ]


def post_label(post) -> str:
    place = post.area.name if post.area_id else post.party_org.name
    since = f"，{post.starts_on:%Y-%m-%d} 起" if post.starts_on else ""
    return f"{post.get_title_display()} · {place}{since}"


# ---- account management (appended) -----------------------------------------------------
#
# As with the editing forms, the services own the rules (username, password policy, scope,
# dates) and their messages; these forms only parse.


def password_field(label, *, help_text: str = "") -> forms.CharField:
    return forms.CharField(
        label=label,
        required=False,
        strip=False,
        max_length=128,
        help_text=help_text,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )


class PasswordPairForm(EditForm):
    """A password typed twice (the administrator's; its holder changes it at next login)."""

    required_marks = ("password", "password_confirm")

    password = password_field(
        _("新密码"), help_text=_("至少 8 位，不能与用户名相近，不能是常见密码或纯数字。")
    )
    password_confirm = password_field(_("确认密码"))

    def clean(self):
        data = super().clean()
        if data.get("password") != data.get("password_confirm"):
            self.add_error("password_confirm", _("两次输入的密码不一致。"))
        return data


class RoleAssignForm(EditForm):
    required_marks = ("role",)

    role = choice_field(_("角色"))
    area_code = forms.CharField(
        label=_("区域编码"),
        required=False,
        max_length=24,
        help_text=_("授权范围为该区域及其全部下级区域。"),
    )
    party_org = forms.CharField(
        label=_("党组织"),
        required=False,
        max_length=100,
        help_text=_("或：填写党组织的全称或编码，授权范围为该组织及其下级。两项只填一项。"),
    )
    starts_on = date_field(_("起始日期"), help_text=_("留空则立即生效。"))
    ends_on = date_field(_("截止日期"), help_text=_("最后有效的一天；留空则长期有效。"))

    def __init__(self, *args, blank_role: str | None = None, **kwargs):
        from .roles import Role

        super().__init__(*args, **kwargs)
        self.fields["role"].choices = [("", blank_role or _("请选择")), *Role.choices]
        if blank_role:
            self.fields["role"].required = False
        self.fields["area_code"].widget.attrs.update(
            {"inputmode": "numeric", "autocomplete": "off", "placeholder": _("如 370103002")}
        )


class PersonLookupForm(EditForm):
    """Who an account belongs to: an exact ID number, or an exact name and area code."""

    person_id_number = forms.CharField(label=_("身份证号码"), required=False, max_length=30)
    person_name = forms.CharField(label=_("姓名"), required=False, max_length=50)
    person_area_code = forms.CharField(label=_("所属区域编码"), required=False, max_length=24)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in self.person_fields():
            self.fields[name].widget.attrs["autocomplete"] = "off"

    @staticmethod
    def person_fields() -> tuple[str, ...]:
        return ("person_id_number", "person_name", "person_area_code")

    def wants_person(self) -> bool:
        return any(self.cleaned_data.get(name, "").strip() for name in self.person_fields())


class AccountCreateForm(PersonLookupForm, PasswordPairForm, RoleAssignForm):
    required_marks = ("username", "full_name", "password", "password_confirm")
    field_order = [
        "username",
        "full_name",
        "password",
        "password_confirm",
        "person_id_number",
        "person_name",
        "person_area_code",
        "role",
        "area_code",
        "party_org",
        "starts_on",
        "ends_on",
    ]

    username = forms.CharField(
        label=_("用户名"),
        required=False,
        max_length=150,
        help_text=_("3–150 位字母、数字或 _.@-，用于登录，创建后不能修改。"),
    )
    full_name = forms.CharField(
        label=_("显示名称"),
        required=False,
        max_length=150,
        help_text=_("页面右上角显示的名称，如“张三（大观园街道）”。"),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, blank_role=_("暂不授权"), **kwargs)
        self.fields["password"].label = _("初始密码")
        self.fields["password"].help_text = _(
            "账号持有人首次登录时须修改。至少 8 位，不能与用户名相近，不能是常见密码或纯数字。"
        )
        self.fields["username"].widget.attrs["autocomplete"] = "off"


class RoleEndForm(EditForm):
    ends_on = date_field(
        _("最后有效日期"), required=True, help_text=_("该日之后不再有效；选昨天即立即收回。")
    )


# ---- account change proposals (三员分立) -------------------------------------------------


class ProposalCreateForm(PasswordPairForm, RoleAssignForm):
    """A proposal on an account named by its exact username: a business role (with its
    scope), restoring the account, or a new password for a privileged account."""

    required_marks = ("username", "kind")
    field_order = [
        "username",
        "kind",
        "role",
        "area_code",
        "party_org",
        "starts_on",
        "ends_on",
        "password",
        "password_confirm",
        "reason",
    ]

    username = forms.CharField(
        label=_("用户名"),
        required=False,
        max_length=150,
        help_text=_("须完整填写要变更的账号的用户名。"),
    )
    kind = choice_field(_("变更类型"))
    reason = forms.CharField(
        label=_("申请理由"),
        required=False,
        max_length=200,
        help_text=_("如任职文件的文号，审批人据此核对。"),
    )

    def __init__(self, *args, **kwargs):
        from .models import ProposalKind

        super().__init__(*args, blank_role=_("—（仅授予业务角色时填写）"), **kwargs)
        self.fields["kind"].choices = [("", _("请选择")), *ProposalKind.choices]
        self.fields["password"].help_text = _("仅重置密码时填写；审批通过后生效。")

    def clean(self):
        from .models import ProposalKind

        data = super().clean()
        kind = data.get("kind")
        if kind == ProposalKind.ROLE_GRANT and not data.get("role"):
            self.add_error("role", _("授予业务角色时请选择角色。"))
        if kind == ProposalKind.PASSWORD_RESET and not data.get("password"):
            self.add_error("password", _("重置密码时请填写新密码。"))
        if not (data.get("username") or "").strip():
            self.add_error("username", _("请填写用户名。"))
        return data


class ProposalDecisionForm(forms.Form):
    note = forms.CharField(label=_("审批意见"), required=False, max_length=200)
