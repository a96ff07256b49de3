"""Forms of the brand pages: they parse the shape of input; the services decide the rest."""

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import CampaignStatus, Focus

TEXT = {"class": "form-control"}


class CampaignForm(forms.Form):
    year = forms.IntegerField(
        label=_("年度"),
        min_value=2000,
        max_value=2100,
        widget=forms.NumberInput(attrs=TEXT),
        error_messages={"required": _("请填写年度。"), "invalid": _("年度应为数字。")},
    )
    name = forms.CharField(
        label=_("名称"),
        max_length=100,
        required=False,
        widget=forms.TextInput(
            attrs={**TEXT, "placeholder": _("留空则为“某年“一街一品”集中攻坚行动”")}
        ),
    )
    leading_threshold = forms.DecimalField(
        label=_("引领梯队分数线（≥）"),
        max_digits=6,
        decimal_places=2,
        initial=90,
        widget=forms.NumberInput(attrs={**TEXT, "step": "0.01"}),
        error_messages={"required": _("请填写引领梯队分数线。")},
    )
    pioneering_threshold = forms.DecimalField(
        label=_("先行梯队分数线（≥）"),
        max_digits=6,
        decimal_places=2,
        initial=80,
        widget=forms.NumberInput(attrs={**TEXT, "step": "0.01"}),
        error_messages={"required": _("请填写先行梯队分数线。")},
    )
    description = forms.CharField(
        label=_("说明"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={**TEXT, "rows": 3}),
    )


class CampaignUpdateForm(CampaignForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        del self.fields["year"]
        self.fields["name"].required = True
        self.fields["name"].error_messages["required"] = _("请填写名称。")


class CampaignStatusForm(forms.Form):
    status = forms.ChoiceField(choices=CampaignStatus.choices)


class CriterionForm(forms.Form):
    name = forms.CharField(label=_("评分项"), max_length=50, widget=forms.TextInput(attrs=TEXT))
    max_score = forms.DecimalField(
        label=_("满分"),
        max_digits=5,
        decimal_places=1,
        widget=forms.NumberInput(attrs={**TEXT, "step": "0.5"}),
    )


class PanelMemberForm(forms.Form):
    username = forms.CharField(
        label=_("评审人用户名"),
        max_length=150,
        widget=forms.TextInput(attrs={**TEXT, "list": "panel-candidates"}),
        error_messages={"required": _("请填写评审人的用户名。")},
    )


class BrandForm(forms.Form):
    name = forms.CharField(
        label=_("品牌名称"),
        max_length=60,
        widget=forms.TextInput(attrs={**TEXT, "placeholder": _("如：乐在山中·红心物业")}),
        error_messages={"required": _("请填写品牌名称。")},
    )
    focus = forms.ChoiceField(
        label=_("品牌方向"),
        choices=Focus.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("请选择品牌方向。")},
    )
    description = forms.CharField(
        label=_("品牌简介"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={**TEXT, "rows": 6}),
    )


class BrandCreateForm(BrandForm):
    area = forms.RegexField(
        label=_("社区"),
        regex=r"^\d{12}$",
        error_messages={"required": _("请选择社区。"), "invalid": _("社区编码无效。")},
    )


class PhotoForm(forms.Form):
    image = forms.FileField(
        label=_("图片"),
        widget=forms.ClearableFileInput(
            attrs={"class": "form-control", "accept": "image/jpeg,image/png,image/webp"}
        ),
        error_messages={"required": _("请选择要上传的图片。")},
    )
    caption = forms.CharField(
        label=_("说明"),
        required=False,
        max_length=100,
        widget=forms.TextInput(attrs={**TEXT, "placeholder": _("如：红心管家入户走访")}),
    )


class ScoreSheetForm(forms.Form):
    """One field per criterion, named ``c<criterion id>``."""

    def __init__(self, *args, criteria, initial_scores=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.criteria = list(criteria)
        for c in self.criteria:
            self.fields[f"c{c.pk}"] = forms.DecimalField(
                label=c.name,
                min_value=0,
                max_value=c.max_score,
                max_digits=5,
                decimal_places=1,
                initial=(initial_scores or {}).get(c.pk),
                widget=forms.NumberInput(
                    attrs={**TEXT, "step": "0.5", "min": "0", "max": str(c.max_score)}
                ),
                error_messages={
                    "required": _("请填写此项得分。"),
                    "max_value": _("不能超过满分 %(limit_value)s 分。"),
                    "min_value": _("不能为负数。"),
                },
            )

    def rows(self):
        return [(c, self[f"c{c.pk}"]) for c in self.criteria]

    def scores(self) -> dict:
        return {c.pk: self.cleaned_data[f"c{c.pk}"] for c in self.criteria}
