"""Forms of the service centers and their activities: parsing only."""

from django import forms
from django.utils.translation import gettext_lazy as _

from jiceng.core.badinput import SafeTextFormMixin
from jiceng.core.forms import AREA_CODE_HELP, EditForm, choice_field

from ..models import ActivityKind

DATETIME_FORMATS = ["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"]


def datetime_field(label) -> forms.DateTimeField:
    return forms.DateTimeField(
        label=label,
        required=False,
        input_formats=DATETIME_FORMATS,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        error_messages={"invalid": _("时间格式应为“年-月-日 时:分”，如 2024-05-01 14:30。")},
    )


class CenterForm(EditForm):
    required_marks = ("name", "area")

    name = forms.CharField(label=_("名称"), required=False, max_length=100)
    area = forms.CharField(
        label=_("所在区域编码"),
        max_length=24,
        help_text=AREA_CODE_HELP,
        error_messages={"required": _("请填写所在区域编码。")},
    )
    address = forms.CharField(label=_("地址"), required=False, max_length=200)
    floor_space = forms.DecimalField(
        label=_("面积（平方米）"),
        required=False,
        max_digits=8,
        decimal_places=1,
        error_messages={
            "invalid": _("面积应为数字。"),
            "max_digits": _("面积应在 0 到 999999.9 平方米之间。"),
            "max_decimal_places": _("面积最多保留 1 位小数。"),
            "max_whole_digits": _("面积应在 0 到 999999.9 平方米之间。"),
        },
    )
    opening_hours = forms.CharField(label=_("开放时间"), required=False, max_length=100)
    facilities = forms.CharField(
        label=_("功能设施"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("每行一项，如：党员活动室、共享会议室、职工书屋。"),
    )

    def __init__(self, *args, creating: bool, **kwargs):
        super().__init__(*args, **kwargs)
        if creating:
            self.fields["area"].widget.attrs.update({"list": "area-codes", "autocomplete": "off"})
        else:
            del self.fields["area"]


class ActivityForm(EditForm):
    required_marks = ("title", "kind", "starts_at", "ends_at")

    title = forms.CharField(label=_("活动名称"), required=False, max_length=100)
    kind = choice_field(_("活动类型"))
    starts_at = datetime_field(_("开始时间"))
    ends_at = datetime_field(_("结束时间"))
    capacity = forms.IntegerField(
        label=_("名额"),
        required=False,
        help_text=_("不限名额请留空。"),
        error_messages={"invalid": _("名额应为整数。")},
    )
    description = forms.CharField(
        label=_("活动内容"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [("", _("请选择")), *ActivityKind.choices]


class SignupForm(EditForm):
    phone = forms.CharField(label=_("手机号"), required=False, max_length=20)
    organization = choice_field(_("所在组织"), required=False)

    def __init__(self, *args, organizations=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organization"].choices = [("", _("—"))] + [
            (str(o.pk), o.name) for o in organizations
        ]
        self.fields["phone"].widget.attrs.update(
            {"autocomplete": "off", "inputmode": "numeric", "placeholder": _("报名人员的手机号")}
        )


class CheckinForm(SafeTextFormMixin, forms.Form):
    phone = forms.CharField(label=_("手机号"), required=False, max_length=20)


class CheckinCodeForm(SafeTextFormMixin, forms.Form):
    code = forms.CharField(label=_("签到码"), required=False, max_length=10)
