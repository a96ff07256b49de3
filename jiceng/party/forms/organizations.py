"""Forms of the organizations register and the demonstration points: they parse input;
the services own the rules and their messages."""

import re

from django import forms
from django.utils.translation import gettext_lazy as _

from jiceng.core.forms import AREA_CODE_HELP, EditForm, choice_field, date_field

from ..models import DemoLevel, OrganizationKind

CODE_SEPARATORS = re.compile(r"[\s,，、;；]+")


def count_field(label) -> forms.IntegerField:
    return forms.IntegerField(
        label=label,
        required=False,
        min_value=0,
        max_value=999_999,
        error_messages={
            "invalid": _("%(label)s应为整数。") % {"label": label},
            "min_value": _("%(label)s不能为负数。") % {"label": label},
            "max_value": _("%(label)s过大。") % {"label": label},
        },
    )


class OrganizationForm(EditForm):
    required_marks = ("name", "kind", "credit_code", "area")
    field_order = [
        "name",
        "kind",
        "credit_code",
        "area",
        "address",
        "employees",
        "full_members",
        "party_org",
        "compounds",
    ]

    name = forms.CharField(label=_("名称"), required=False, max_length=100)
    kind = choice_field(_("类型"))
    credit_code = forms.CharField(
        label=_("统一社会信用代码"),
        required=False,
        max_length=30,
        help_text=_("18 位，按 GB 32100 校验。"),
    )
    area = forms.CharField(
        label=_("注册区域编码"),
        max_length=24,
        help_text=AREA_CODE_HELP,
        error_messages={"required": _("请填写注册区域编码。")},
    )
    address = forms.CharField(label=_("注册地址"), required=False, max_length=200)
    employees = count_field(_("从业人员数"))
    full_members = count_field(_("正式党员数"))
    party_org = choice_field(_("所属党组织"), required=False)
    compounds = forms.CharField(
        label=_("服务小区编码（物业企业）"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("物业企业填写其服务的小区/楼院编码，每行一个或以逗号、空格分隔。"),
    )

    def __init__(self, *args, branches=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [("", _("请选择")), *OrganizationKind.choices]
        self.fields["party_org"].choices = [("", _("未建立党组织"))] + [
            (str(o.pk), f"{o.name}（{o.get_kind_display()}）") for o in branches
        ]
        self.fields["party_org"].help_text = _(
            "单独建立的党支部，或所纳入的联合党支部。正式党员 3 名以上的应单独建立。"
        )
        self.fields["area"].widget.attrs.update({"list": "area-codes", "autocomplete": "off"})
        self.fields["credit_code"].widget.attrs.update({"autocomplete": "off"})

    def clean_compounds(self) -> list[str]:
        codes = [c for c in CODE_SEPARATORS.split(self.cleaned_data["compounds"]) if c]
        bad = [c for c in codes if not re.fullmatch(r"\d{6,24}", c)]
        if bad:
            raise forms.ValidationError(
                _("小区编码应为 6–24 位数字：%(codes)s") % {"codes": "、".join(bad)}
            )
        return list(dict.fromkeys(codes))


def year_field(label) -> forms.IntegerField:
    return forms.IntegerField(
        label=label,
        required=False,
        error_messages={"invalid": _("年度应为 4 位数字。")},
    )


class PointForm(EditForm):
    """A designation (``creating``: with its level) or its editable facts."""

    required_marks = ("level", "year")

    level = choice_field(_("级别"))
    year = year_field(_("命名年度"))
    citation = forms.CharField(
        label=_("命名文件/表彰"),
        required=False,
        max_length=200,
        help_text=_("如：中共济南市委组织部 2023 年两新组织党建工作示范点名单。"),
    )
    plan_goal = forms.CharField(
        label=_("一企一策/一社一策目标"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args, creating: bool, **kwargs):
        super().__init__(*args, **kwargs)
        if creating:
            self.fields["level"].choices = [("", _("请选择")), *DemoLevel.choices]
        else:
            del self.fields["level"]


class MeasureForm(EditForm):
    required_marks = ("title",)

    title = forms.CharField(label=_("措施"), required=False, max_length=200)
    due_on = date_field(_("完成时限"))


class MeasureProgressForm(forms.Form):
    percent = forms.IntegerField(
        required=False,
        error_messages={"invalid": _("完成进度应为 0 到 100 之间的整数。")},
    )
