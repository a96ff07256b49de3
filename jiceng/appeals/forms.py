"""Input parsing of the appeals' pages; the rules themselves live in the services."""

from django import forms

from jiceng.core.badinput import SafeTextFormMixin

from .models import Channel, Kind, Rating, Result, Status, Urgency

STAFF_CHANNELS = [
    (Channel.WINDOW, Channel.WINDOW.label),
    (Channel.PHONE, Channel.PHONE.label),
    (Channel.HOTLINE, Channel.HOTLINE.label),
    (Channel.VISIT, Channel.VISIT.label),
]


class ResidentAppealForm(SafeTextFormMixin, forms.Form):
    kind = forms.ChoiceField(
        label="诉求类型", choices=Kind.choices, initial=Kind.HELP, widget=forms.RadioSelect
    )
    description = forms.CharField(
        label="问题描述", max_length=2000, widget=forms.Textarea(attrs={"rows": 5})
    )
    address = forms.CharField(label="地址", max_length=200, required=False)
    lng = forms.FloatField(required=False, widget=forms.HiddenInput)
    lat = forms.FloatField(required=False, widget=forms.HiddenInput)
    resident_name = forms.CharField(label="称呼", max_length=50, required=False)
    phone = forms.CharField(label="手机号", max_length=20, required=False)
    anonymous = forms.BooleanField(label="匿名提交", required=False)


class StaffAppealForm(ResidentAppealForm):
    channel = forms.ChoiceField(label="渠道", choices=STAFF_CHANNELS)
    urgency = forms.ChoiceField(label="紧急程度", choices=Urgency.choices, initial=Urgency.NORMAL)
    category = forms.IntegerField(label="分类", required=False)


class RiderReportForm(SafeTextFormMixin, forms.Form):
    description = forms.CharField(
        label="发现的问题", max_length=2000, widget=forms.Textarea(attrs={"rows": 4})
    )
    address = forms.CharField(label="地址", max_length=200, required=False)
    lng = forms.FloatField(required=False, widget=forms.HiddenInput)
    lat = forms.FloatField(required=False, widget=forms.HiddenInput)


class QueueFilterForm(forms.Form):
    q = forms.CharField(required=False, max_length=100)
    status = forms.ChoiceField(required=False, choices=[("", "全部状态"), *Status.choices])
    kind = forms.ChoiceField(required=False, choices=[("", "全部类型"), *Kind.choices])


class ActionForm(forms.Form):
    """Fields of every action on the appeal page; each action reads the ones it needs."""

    note = forms.CharField(required=False, max_length=2000)
    reason = forms.CharField(required=False, max_length=200)
    result = forms.ChoiceField(required=False, choices=[("", ""), *Result.choices])
    explanation = forms.CharField(required=False, max_length=2000)
    rating = forms.ChoiceField(required=False, choices=[("", ""), *Rating.choices])
    steward = forms.IntegerField(required=False)
    public = forms.BooleanField(required=False)


class TrackInfoForm(SafeTextFormMixin, forms.Form):
    note = forms.CharField(max_length=2000, required=False)


class TrackRateForm(forms.Form):
    rating = forms.ChoiceField(
        choices=[
            (Rating.SATISFIED, "满意"),
            (Rating.BASIC, "基本满意"),
            (Rating.UNSATISFIED, "不满意"),
        ],
        required=False,
    )
