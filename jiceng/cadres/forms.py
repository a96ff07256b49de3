"""Forms of the cadres pages: they parse and check the shape of input; the services decide.

Choices that depend on the user (areas, people, posts) are filled in by the views from the
selectors, so a form never offers a row outside the user's scope.
"""

from django import forms

from jiceng.core.models import Education

from .models import (
    AssessmentAudience,
    AssessmentTerm,
    AttendanceStatus,
    Audience,
    MentorTaskKind,
    ReviewStage,
    WorkStatus,
)
from .models.selection import SELECTION_TITLES

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class StyledForm(forms.Form):
    """Bootstrap classes on every widget; Chinese messages for the common errors."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            widget = field.widget
            field.error_messages["required"] = "请填写此项。"
            if isinstance(widget, forms.CheckboxInput):
                widget.attrs.setdefault("class", "form-check-input")
            elif isinstance(widget, forms.Select | forms.SelectMultiple):
                widget.attrs.setdefault("class", "form-select")
            else:
                widget.attrs.setdefault("class", "form-control")

    def first_error(self) -> str:
        for name, errors in self.errors.items():
            label = self.fields[name].label if name in self.fields else ""
            return f"{label}：{errors[0]}" if label else errors[0]
        return ""


def choices_of(rows, label) -> list[tuple[str, str]]:
    return [(str(r.pk), label(r)) for r in rows]


# ---- training ----------------------------------------------------------------------------


class ProgrammeForm(StyledForm):
    name = forms.CharField(label="培训项目名称", max_length=100)
    year = forms.IntegerField(label="年度", min_value=2000, max_value=2100)
    area = forms.ChoiceField(label="主办区域")
    organizer = forms.CharField(label="主办单位", max_length=100, initial="区委组织部")
    audience = forms.ChoiceField(label="培训对象", choices=Audience.choices)
    signup_closes_on = forms.DateField(label="报名截止", required=False, widget=DATE)
    description = forms.CharField(
        label="培训内容", required=False, widget=forms.Textarea(attrs={"rows": 3})
    )


class SessionForm(StyledForm):
    topic = forms.CharField(label="课程主题", max_length=100)
    held_on = forms.DateField(label="日期", widget=DATE)
    place = forms.CharField(label="地点", max_length=100)
    trainer = forms.CharField(label="授课人", max_length=100)
    hours = forms.DecimalField(label="学时", max_digits=4, decimal_places=1, initial=3)


class EnrolForm(StyledForm):
    people = forms.MultipleChoiceField(
        label="报名人员", widget=forms.SelectMultiple(attrs={"size": 10})
    )


class AttendanceForm(forms.Form):
    """One ``status_<enrolment id>`` field per sign-up shown on the session page."""

    def __init__(self, *args, enrolment_ids=(), **kwargs):
        super().__init__(*args, **kwargs)
        for pk in enrolment_ids:
            self.fields[f"status_{pk}"] = forms.ChoiceField(
                choices=AttendanceStatus.choices, required=False
            )

    def statuses(self) -> dict[int, str]:
        return {
            int(name.removeprefix("status_")): value
            for name, value in self.cleaned_data.items()
            if value
        }


# ---- secondment --------------------------------------------------------------------------


class BatchForm(StyledForm):
    year = forms.IntegerField(label="年度", min_value=2000, max_value=2100)
    number = forms.IntegerField(label="批次", min_value=1, max_value=99, initial=1)
    area = forms.ChoiceField(label="组织区域")
    starts_on = forms.DateField(label="开始日期", widget=DATE)
    ends_on = forms.DateField(label="结束日期", widget=DATE)
    plan_document = forms.CharField(label="工作方案", max_length=200, required=False)
    name = forms.CharField(
        label="名称",
        max_length=100,
        required=False,
        help_text="留空则为“××年度第×批区内挂职交流”。",
    )


class SecondeeForm(StyledForm):
    person_post = forms.ChoiceField(label="挂职人员")
    mentor_post = forms.ChoiceField(label="挂职社区及导师")
    focus = forms.CharField(
        label="挂职任务", required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class MentorTaskForm(StyledForm):
    kind = forms.ChoiceField(label="类别", choices=MentorTaskKind.choices)
    title = forms.CharField(label="帮带内容", max_length=200)
    due_on = forms.DateField(label="完成时限", widget=DATE)
    description = forms.CharField(
        label="具体要求", required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class PlanItemUpdateForm(StyledForm):
    status = forms.ChoiceField(label="进度", choices=WorkStatus.choices)
    completed_on = forms.DateField(label="完成日期", required=False, widget=DATE)


class MentorTaskUpdateForm(PlanItemUpdateForm):
    evidence = forms.CharField(
        label="佐证材料", required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class StudyItemForm(StyledForm):
    title = forms.CharField(label="学习任务", max_length=200)
    gap = forms.CharField(label="针对的短板弱项", max_length=200, required=False)
    due_on = forms.DateField(label="完成时限", widget=DATE)


class StudyItemUpdateForm(PlanItemUpdateForm):
    reflection = forms.CharField(
        label="心得体会", required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class ReviewForm(StyledForm):
    stage = forms.ChoiceField(label="考核阶段", choices=ReviewStage.choices)
    reviewed_on = forms.DateField(label="考核日期", widget=DATE)
    score = forms.DecimalField(label="得分", max_digits=4, decimal_places=1)
    comment = forms.CharField(
        label="考核意见", required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


# ---- selection ---------------------------------------------------------------------------


class RoundForm(StyledForm):
    name = forms.CharField(label="名称", max_length=100)
    year = forms.IntegerField(label="年度", min_value=2000, max_value=2100)
    area = forms.ChoiceField(label="组织区域")
    reference_date = forms.DateField(label="资格计算基准日", widget=DATE)
    applications_close_on = forms.DateField(label="报名截止", widget=DATE)
    max_age = forms.IntegerField(label="年龄上限（周岁）", required=False, min_value=18)
    min_education = forms.ChoiceField(
        label="最低学历", required=False, choices=[("", "不限"), *Education.choices]
    )
    min_party_years = forms.IntegerField(label="最低党龄（年）", required=False, min_value=0)
    min_community_years = forms.IntegerField(
        label="最低社区工作年限（年）", required=False, min_value=0
    )
    require_clean_record = forms.BooleanField(label="无党纪政务处分", required=False, initial=True)
    written_weight = forms.DecimalField(
        label="笔试权重", max_digits=3, decimal_places=2, initial="0.40"
    )
    interview_weight = forms.DecimalField(
        label="面试权重", max_digits=3, decimal_places=2, initial="0.60"
    )
    publicity_days = forms.IntegerField(label="公示工作日数", min_value=1, max_value=30, initial=5)


class SelectionPostForm(StyledForm):
    area = forms.ChoiceField(label="社区")
    title = forms.ChoiceField(label="岗位", choices=[(t.value, t.label) for t in SELECTION_TITLES])
    positions = forms.IntegerField(label="职数", min_value=1, max_value=9, initial=1)
    term_ends_on = forms.DateField(label="任期届满", required=False, widget=DATE)


class ApplicationForm(StyledForm):
    post = forms.ChoiceField(label="报考岗位")
    person = forms.CharField(
        label="报名人", max_length=18, help_text="输入姓名；有同名时输入身份证号。"
    )
    community_work_started_on = forms.DateField(
        label="参加社区工作时间", required=False, widget=DATE
    )
    has_disciplinary_record = forms.BooleanField(label="有党纪政务处分记录", required=False)
    record_note = forms.CharField(label="处分情况", max_length=200, required=False)


class ScoreForm(StyledForm):
    written = forms.DecimalField(label="笔试", max_digits=5, decimal_places=2)
    interview = forms.DecimalField(label="面试", max_digits=5, decimal_places=2)


class PublicizeForm(StyledForm):
    starts_on = forms.DateField(label="公示开始日期", widget=DATE)


class AppointForm(StyledForm):
    on = forms.DateField(label="任职日期", widget=DATE)


# ---- assessments -------------------------------------------------------------------------


class SchemeForm(StyledForm):
    name = forms.CharField(label="方案名称", max_length=100)
    area = forms.ChoiceField(label="制定区域")
    audience = forms.ChoiceField(label="考评对象", choices=AssessmentAudience.choices)
    leader_threshold = forms.DecimalField(
        label="头雁分数线",
        required=False,
        max_digits=5,
        decimal_places=1,
        help_text="年度总分达到此线者进入头雁名单；留空则不产生名单。",
    )
    description = forms.CharField(
        label="说明", required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class CriterionForm(StyledForm):
    name = forms.CharField(label="考评项目", max_length=100)
    max_score = forms.DecimalField(label="满分", max_digits=5, decimal_places=1)


class AssessmentForm(StyledForm):
    """Fixed fields plus one ``score_<criterion id>`` per criterion of the scheme."""

    person_post = forms.ChoiceField(label="被考评人")
    year = forms.IntegerField(label="年度", min_value=2000, max_value=2100)
    term = forms.ChoiceField(label="考评周期", choices=AssessmentTerm.choices)
    comment = forms.CharField(label="评语", required=False, max_length=500)

    def __init__(self, *args, criteria=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.criteria = list(criteria)
        for c in self.criteria:
            self.fields[f"score_{c.pk}"] = forms.DecimalField(
                label=f"{c.name}（满分{c.max_score}）",
                max_digits=5,
                decimal_places=1,
                min_value=0,
                max_value=c.max_score,
                widget=forms.NumberInput(attrs={"class": "form-control", "step": "0.5"}),
            )

    def scores(self) -> dict[int, object]:
        return {c.pk: self.cleaned_data[f"score_{c.pk}"] for c in self.criteria}
