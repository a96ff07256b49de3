"""Forms of the rural pages: they parse the shape of input; the services own the rules.

Fields a service validates are optional here so that the user reads the service's
message. Choice lists that depend on the user (villages, dispatches) are filled in by the
view through ``set_choices``.
"""

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import (
    AttendanceStatus,
    ContributionKind,
    DemonstrationLevel,
    IncomeModel,
    PairingKind,
    ProjectStatus,
    SupporterKind,
)

DATE_FORMATS = ["%Y-%m-%d", "%Y/%m/%d"]
DATE_ERRORS = {"invalid": _("日期格式应为“年-月-日”，如 2024-05-01。")}
INT_ERRORS = {"invalid": _("请填写整数。")}
NUMBER_ERRORS = {"invalid": _("请填写数字。")}


def date_field(label, required=False):
    return forms.DateField(
        label=label,
        required=required,
        input_formats=DATE_FORMATS,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={**DATE_ERRORS, "required": _("请填写%(label)s。") % {"label": label}},
    )


def choice(label, choices=(), required=False):
    return forms.ChoiceField(
        label=label,
        required=required,
        choices=[("", "—")] + list(choices),
        error_messages={"invalid_choice": _("请从列表中选择。"), "required": _("请选择。")},
    )


class RuralForm(forms.Form):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            widget = field.widget
            if isinstance(widget, forms.CheckboxInput):
                widget.attrs.setdefault("class", "form-check-input")
            elif isinstance(widget, forms.Select):
                widget.attrs.setdefault("class", "form-select")
            else:
                widget.attrs.setdefault("class", "form-control")

    def set_choices(self, name: str, options) -> None:
        """Options of a select as (value, label) pairs, after a blank one."""
        self.fields[name].choices = [("", "—"), *[(str(v), label) for v, label in options]]

    def apply_error(self, error) -> None:
        """Show a service's ``ApplicationError`` at its field, or above the form."""
        self.add_error(error.field if error.field in self.fields else None, error.message)


class DashboardFilterForm(forms.Form):
    area = forms.RegexField(regex=r"^\d{6,24}$", required=False)
    year = forms.IntegerField(required=False, min_value=2000, max_value=2100)
    threshold = forms.DecimalField(
        label=_("自定义门槛（万元）"),
        required=False,
        min_value=0,
        max_value=1_000_000,
        decimal_places=2,
        error_messages=NUMBER_ERRORS,
    )


class VillageProfileForm(RuralForm):
    households = forms.IntegerField(
        label=_("户数"), required=False, min_value=0, max_value=9_999_999, error_messages=INT_ERRORS
    )
    population = forms.IntegerField(
        label=_("户籍人口"), required=False, min_value=0, error_messages=INT_ERRORS
    )
    land_area_mu = forms.DecimalField(
        label=_("土地面积（亩）"), required=False, decimal_places=2, error_messages=NUMBER_ERRORS
    )
    arable_land_mu = forms.DecimalField(
        label=_("耕地面积（亩）"), required=False, decimal_places=2, error_messages=NUMBER_ERRORS
    )
    demonstration_level = choice(_("示范村级别"), DemonstrationLevel.choices)
    demonstration_year = forms.IntegerField(
        label=_("示范村命名年度"), required=False, error_messages=INT_ERRORS
    )
    note = forms.CharField(label=_("备注"), required=False, max_length=200)


class IncomeForm(RuralForm):
    year = forms.IntegerField(label=_("年度"), required=False, error_messages=INT_ERRORS)
    source = forms.CharField(label=_("收入来源"), required=False, max_length=100)
    model = choice(_("发展模式"), IncomeModel.choices)
    amount = forms.CharField(label=_("金额（元）"), required=False, max_length=20)
    note = forms.CharField(label=_("备注"), required=False, max_length=200)


class LedgerImportForm(RuralForm):
    file = forms.FileField(
        label=_("台账文件（.xlsx 或 .csv）"),
        error_messages={"required": _("请选择要导入的文件。"), "empty": _("文件是空的。")},
    )
    dry_run = forms.BooleanField(label=_("只校验，不导入"), required=False)


class DispatchForm(RuralForm):
    name = forms.CharField(label=_("姓名"), required=False, max_length=50)
    id_number = forms.CharField(label=_("身份证号"), required=False, max_length=18)
    phone = forms.CharField(label=_("手机号"), required=False, max_length=20)
    area = choice(_("派驻村"))
    sending_unit = forms.CharField(label=_("派出单位"), required=False, max_length=100)
    starts_on = date_field(_("派驻日期"), required=True)
    ends_on = date_field(_("任期届满日期"), required=True)


class RecallForm(RuralForm):
    recalled_on = date_field(_("召回日期"), required=True)
    reason = forms.CharField(label=_("召回原因"), required=False, max_length=200)


class TrainingForm(RuralForm):
    area = choice(_("组织单位"))
    first_on = date_field(_("（首期）培训日期"), required=True)
    topic = forms.CharField(label=_("培训主题"), required=False, max_length=100)
    location = forms.CharField(label=_("地点"), required=False, max_length=100)
    hours = forms.DecimalField(
        label=_("学时"), required=False, initial=2, decimal_places=1, error_messages=NUMBER_ERRORS
    )
    count = forms.IntegerField(
        label=_("期数（每两周一期）"),
        required=False,
        initial=1,
        min_value=1,
        max_value=52,
        error_messages=INT_ERRORS,
    )


class AllianceForm(RuralForm):
    area = choice(_("片区"))
    name = forms.CharField(label=_("联盟名称"), required=False, max_length=100)
    founded_on = date_field(_("成立日期"))
    description = forms.CharField(label=_("工作内容"), required=False, max_length=300)


class AllianceMemberForm(RuralForm):
    first_secretary = choice(_("第一书记"), required=True)
    is_leader = forms.BooleanField(label=_("牵头人"), required=False)
    joined_on = date_field(_("加入日期"))


class SupporterForm(RuralForm):
    area = choice(_("登记单位"))
    name = forms.CharField(label=_("名称"), required=False, max_length=100)
    kind = choice(_("类型"), SupporterKind.choices)
    contact_name = forms.CharField(label=_("联系人"), required=False, max_length=50)
    note = forms.CharField(label=_("简介"), required=False, max_length=300)


class ContributionForm(RuralForm):
    area = choice(_("受助村"))
    kind = choice(_("帮扶方式"), ContributionKind.choices)
    description = forms.CharField(label=_("内容"), required=False, max_length=200)
    amount = forms.CharField(label=_("折合金额（元）"), required=False, max_length=20)
    given_on = date_field(_("日期"), required=True)


class ProjectForm(RuralForm):
    area = choice(_("所在村"))
    name = forms.CharField(label=_("项目名称"), required=False, max_length=100)
    partner = forms.CharField(label=_("合作方"), required=False, max_length=100)
    supporter = choice(_("帮扶力量"))
    first_secretary = choice(_("引进的第一书记"))
    introduced_on = date_field(_("引进日期"), required=True)
    investment = forms.CharField(label=_("投资额（元）"), required=False, max_length=20)
    income_contribution = forms.CharField(
        label=_("带动村集体年增收（元）"), required=False, max_length=20
    )
    model = choice(_("发展模式"), IncomeModel.choices)
    status = choice(_("状态"), ProjectStatus.choices)
    description = forms.CharField(
        label=_("简介"), required=False, max_length=500, widget=forms.Textarea(attrs={"rows": 3})
    )


class ProjectStatusForm(RuralForm):
    status = choice(_("新状态"), ProjectStatus.choices, required=True)
    on = date_field(_("日期"))
    note = forms.CharField(label=_("说明"), required=False, max_length=200)


class MilestoneForm(RuralForm):
    name = forms.CharField(label=_("节点名称"), required=False, max_length=100)
    weight = forms.CharField(label=_("权重"), required=False, max_length=10, initial="1")
    parent = choice(_("上级节点"))
    planned_on = date_field(_("计划完成日期"))


class ProgressForm(RuralForm):
    progress = forms.IntegerField(
        label=_("进度（%）"), min_value=0, max_value=100, error_messages=INT_ERRORS
    )
    done_on = date_field(_("完成日期"))


class NoteForm(RuralForm):
    text = forms.CharField(label=_("进展内容"), required=False, max_length=300)
    on = date_field(_("日期"))


class PhotoForm(RuralForm):
    photo = forms.FileField(
        label=_("照片（JPG/PNG/WebP，不超过 5 MB）"),
        error_messages={"required": _("请选择照片。"), "empty": _("文件是空的。")},
    )
    caption = forms.CharField(label=_("说明"), required=False, max_length=100)


class PairingForm(RuralForm):
    kind = choice(_("结对方式"), PairingKind.choices)
    leading = choice(_("带动村（强村/大村）"))
    paired = choice(_("结对村（弱村/小村）"))
    started_on = date_field(_("结对日期"), required=True)
    note = forms.CharField(label=_("共建内容"), required=False, max_length=200)


class PairingEndForm(RuralForm):
    ended_on = date_field(_("解除日期"), required=True)


class AttendanceForm(RuralForm):
    """One select per eligible dispatch, named ``fs_<id>``."""

    def __init__(self, *args, dispatches=(), current=None, **kwargs):
        super().__init__(*args, **kwargs)
        current = current or {}
        for d in dispatches:
            self.fields[f"fs_{d.pk}"] = forms.ChoiceField(
                label=f"{d.person.name}（{d.area.name}）",
                required=False,
                choices=[("", "未登记"), *AttendanceStatus.choices],
                initial=current.get(d.pk, ""),
                widget=forms.Select(attrs={"class": "form-select form-select-sm"}),
            )

    def statuses(self) -> dict[int, str]:
        return {
            int(name[3:]): value
            for name, value in self.cleaned_data.items()
            if name.startswith("fs_") and value
        }
