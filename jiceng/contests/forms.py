"""Forms parse the contest pages' input; the services validate it."""

from datetime import date

from django import forms

from .models import PresenterKind, RoundKind, RoundStatus


class BootstrapForm(forms.Form):
    """Widgets carry Bootstrap's classes, and a field with an error is marked invalid."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            widget = field.widget
            if isinstance(widget, forms.RadioSelect):
                continue
            widget.attrs["class"] = (
                "form-select" if isinstance(widget, forms.Select) else "form-control"
            )

    def add_error(self, field, error):
        super().add_error(field, error)
        if field in self.fields:
            attrs = self.fields[field].widget.attrs
            if "is-invalid" not in attrs.get("class", ""):
                attrs["class"] = (attrs.get("class", "") + " is-invalid").strip()


class ContestForm(BootstrapForm):
    name = forms.CharField(label="大赛名称", max_length=100, initial="项目路演大赛")
    year = forms.IntegerField(
        label="年度", min_value=2000, max_value=2100, initial=lambda: date.today().year
    )
    description = forms.CharField(
        label="简介", required=False, widget=forms.Textarea(attrs={"rows": 3})
    )


class CriterionForm(BootstrapForm):
    name = forms.CharField(label="评分项", max_length=50)
    description = forms.CharField(label="评分要点", max_length=300, required=False)
    weight = forms.DecimalField(label="权重系数", max_digits=5, decimal_places=2, initial=1)
    min_score = forms.DecimalField(label="最低分", max_digits=6, decimal_places=1, initial=0)
    max_score = forms.DecimalField(label="最高分", max_digits=6, decimal_places=1, initial=100)


class RoundForm(BootstrapForm):
    name = forms.CharField(label="轮次名称", max_length=50)
    kind = forms.ChoiceField(label="类型", choices=RoundKind.choices)
    held_on = forms.DateField(
        label="日期", required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    advance_count = forms.IntegerField(label="晋级名额", min_value=1, required=False)


class AwardBandForm(BootstrapForm):
    name = forms.CharField(label="奖项名称", max_length=30)
    up_to_rank = forms.IntegerField(
        label="名次至", min_value=1, required=False, help_text="留空表示其余全部名次"
    )


class TieBreakForm(forms.Form):
    criterion = forms.IntegerField(label="同分比较项", required=False)


class RoundStatusForm(forms.Form):
    status = forms.ChoiceField(label="状态", choices=RoundStatus.choices)


class EntryForm(BootstrapForm):
    presenter_kind = forms.ChoiceField(
        label="参赛主体", choices=PresenterKind.choices, widget=forms.RadioSelect
    )
    title = forms.CharField(label="项目名称", max_length=200)
    summary = forms.CharField(
        label="项目简介", required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    presenter_person = forms.IntegerField(label="第一书记", required=False)
    presenter_org = forms.IntegerField(label="村党组织", required=False)
    presenter_name = forms.CharField(label="企业团体名称", max_length=100, required=False)
    village = forms.CharField(label="所在村", max_length=24, required=False)


class PickForm(forms.Form):
    """One id picked from a select (a judge, an entry)."""

    pick = forms.IntegerField(min_value=1)


class CorrectionForm(BootstrapForm):
    reason = forms.CharField(label="更正原因", max_length=500, required=False)
