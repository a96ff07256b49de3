"""Forms of the stations pages: they parse the shape of input; the services decide the rest."""

from django import forms

from .models import WEEKDAYS, Amenity, Platform

TEXT = {"class": "form-control"}
SELECT = {"class": "form-select"}


class StationForm(forms.Form):
    name = forms.CharField(label="驿站名称", max_length=100, widget=forms.TextInput(attrs=TEXT))
    area = forms.ChoiceField(label="所在区域", widget=forms.Select(attrs=SELECT))
    address = forms.CharField(label="地址", max_length=200, widget=forms.TextInput(attrs=TEXT))
    lng = forms.FloatField(
        label="经度",
        widget=forms.NumberInput(attrs={**TEXT, "step": "0.000001", "placeholder": "如 116.99"}),
        error_messages={"required": "请填写经度。", "invalid": "经度应为数字。"},
    )
    lat = forms.FloatField(
        label="纬度",
        widget=forms.NumberInput(attrs={**TEXT, "step": "0.000001", "placeholder": "如 36.65"}),
        error_messages={"required": "请填写纬度。", "invalid": "纬度应为数字。"},
    )
    host_name = forms.CharField(
        label="承办单位", max_length=100, required=False, widget=forms.TextInput(attrs=TEXT)
    )
    public_phone = forms.CharField(
        label="对外服务电话（公开）",
        max_length=20,
        required=False,
        widget=forms.TextInput(attrs=TEXT),
        help_text="会显示在骑士查找页面上；留空则不显示。",
    )
    contact_name = forms.CharField(
        label="驿站联系人（不公开）",
        max_length=50,
        required=False,
        widget=forms.TextInput(attrs=TEXT),
    )
    phone = forms.CharField(
        label="联系人手机号（不公开）",
        max_length=20,
        required=False,
        widget=forms.TextInput(attrs=TEXT),
    )
    amenities = forms.MultipleChoiceField(
        label="服务设施",
        choices=Amenity.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple(attrs={"class": "form-check-input"}),
    )
    note = forms.CharField(
        label="说明", max_length=200, required=False, widget=forms.TextInput(attrs=TEXT)
    )
    active = forms.BooleanField(
        label="启用",
        required=False,
        initial=True,
        widget=forms.CheckboxInput(attrs={"class": "form-check-input"}),
    )

    def __init__(self, *args, areas=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["area"].choices = [("", "请选择")] + [
            (a.code, f"{a.name}（{a.get_kind_display()}）") for a in areas
        ]
        for i, day in enumerate(WEEKDAYS):
            self.fields[f"hours_{i}"] = forms.CharField(
                label=day,
                max_length=20,
                required=False,
                widget=forms.TextInput(attrs={**TEXT, "placeholder": "08:00-20:00，休息留空"}),
            )

    def hours(self) -> list[str]:
        return [self.cleaned_data.get(f"hours_{i}", "") for i in range(7)]

    def hour_fields(self):
        return [self[f"hours_{i}"] for i in range(7)]


class RiderForm(forms.Form):
    name = forms.CharField(label="姓名", max_length=50, widget=forms.TextInput(attrs=TEXT))
    phone = forms.CharField(label="手机号", max_length=20, widget=forms.TextInput(attrs=TEXT))
    platform = forms.ChoiceField(
        label="平台", choices=Platform.choices, widget=forms.Select(attrs=SELECT)
    )
    area = forms.ChoiceField(label="所属区域", widget=forms.Select(attrs=SELECT))
    username = forms.CharField(
        label="骑士账号（可选）",
        max_length=150,
        required=False,
        widget=forms.TextInput(attrs=TEXT),
        help_text="已有“骑士网格员”角色账号的，填写其用户名以关联上报与积分。",
    )

    def __init__(self, *args, areas=(), editing=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["area"].choices = [("", "请选择")] + [
            (a.code, f"{a.name}（{a.get_kind_display()}）") for a in areas
        ]
        if editing:
            self.fields["phone"].required = False
            self.fields["phone"].help_text = "留空则保持原手机号不变。"
            self.fields["active"] = forms.BooleanField(
                label="在册",
                required=False,
                widget=forms.CheckboxInput(attrs={"class": "form-check-input"}),
            )


class AppointForm(forms.Form):
    grid = forms.ChoiceField(label="网格", widget=forms.Select(attrs=SELECT))
    starts_on = forms.DateField(
        label="聘任日期",
        widget=forms.DateInput(attrs={**TEXT, "type": "date"}, format="%Y-%m-%d"),
        error_messages={"required": "请填写聘任日期。", "invalid": "日期格式不对。"},
    )

    def __init__(self, *args, grids=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["grid"].choices = [("", "请选择")] + [
            (g.code, f"{g.parent.name if g.parent_id else ''} {g.name}") for g in grids
        ]


class EndAppointmentForm(forms.Form):
    ends_on = forms.DateField(
        label="解聘日期",
        widget=forms.DateInput(attrs={**TEXT, "type": "date"}, format="%Y-%m-%d"),
        error_messages={"required": "请填写解聘日期。", "invalid": "日期格式不对。"},
    )


class RecognitionForm(forms.Form):
    month = forms.CharField(
        label="月份",
        widget=forms.DateInput(attrs={**TEXT, "type": "month"}),
        error_messages={"required": "请选择月份。"},
    )
    title = forms.CharField(
        label="称号", max_length=30, initial="月度之星", widget=forms.TextInput(attrs=TEXT)
    )
    citation = forms.CharField(
        label="事迹", max_length=200, required=False, widget=forms.TextInput(attrs=TEXT)
    )


def station_filters(query) -> dict:
    """The station list's filters from a query string (the page's and its export's)."""
    return {
        "text": (query.get("q") or "").strip()[:50],
        "street": (query.get("street") or "").strip()[:12],
        "active": query.get("active") or "",
    }


def rider_filters(query) -> dict:
    platform = query.get("platform") or ""
    return {
        "text": (query.get("q") or "").strip()[:50],
        "platform": platform if platform in Platform.values else "",
        "appointed": query.get("appointed") or "",
    }
