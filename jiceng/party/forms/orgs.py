"""Forms of the party pages: they parse input; the services own the rules and messages."""

import re

from django import forms
from django.utils.translation import gettext_lazy as _

from jiceng.core.forms import AREA_CODE_HELP, EditForm, choice_field, date_field

from ..models import PartyOrgKind

CODE_SEPARATORS = re.compile(r"[\s,，、;；]+")


class PartyOrgForm(EditForm):
    """A new organization (``creating``: with its base area and founding date) or the
    editable facts of one: name, kind and the codes of the areas it covers."""

    required_marks = ("name", "kind", "area")

    name = forms.CharField(
        label=_("名称"),
        required=False,
        max_length=100,
        error_messages={"max_length": _("名称不能超过 100 个字。")},
    )
    kind = choice_field(_("类型"))
    area = forms.CharField(
        label=_("所在区域编码"),
        max_length=24,
        help_text=AREA_CODE_HELP,
        error_messages={"required": _("请填写所在区域编码。")},
    )
    covered_areas = forms.CharField(
        label=_("覆盖区域编码"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("每个区域编码一行，或以逗号、空格分隔；可留空。"),
    )
    founded_on = date_field(_("成立日期"))

    def __init__(self, *args, creating: bool, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [("", _("请选择")), *PartyOrgKind.choices]
        if creating:
            self.fields["area"].widget.attrs.update({"list": "area-codes", "autocomplete": "off"})
        else:
            del self.fields["area"], self.fields["founded_on"]

    def clean_covered_areas(self) -> list[str]:
        codes = [c for c in CODE_SEPARATORS.split(self.cleaned_data["covered_areas"]) if c]
        bad = [c for c in codes if not re.fullmatch(r"\d{6,24}", c)]
        if bad:
            raise forms.ValidationError(
                _("覆盖区域编码应为 6–24 位数字：%(codes)s") % {"codes": "、".join(bad)}
            )
        return list(dict.fromkeys(codes))
