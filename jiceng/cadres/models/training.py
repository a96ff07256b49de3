"""Training: programmes (e.g. 经纬雁阵 courses), their sessions, sign-up and attendance."""

from decimal import Decimal

from django.db import models
from django.urls import reverse

from jiceng.core.models import Area, Person, PostTitle


class Audience(models.TextChoices):
    COMMUNITY_LEADERS = "community_leaders", "社区党组织书记、副书记"
    COMMUNITY_WORKERS = "community_workers", "社区工作者"
    GRID_STEWARDS = "grid_stewards", "网格管家"
    VILLAGE_CADRES = "village_cadres", "第一书记及村干部"


# Who a programme's sign-up list offers: people holding a current post of these titles.
AUDIENCE_TITLES = {
    Audience.COMMUNITY_LEADERS: (PostTitle.COMMUNITY_SECRETARY, PostTitle.COMMUNITY_DEPUTY),
    Audience.COMMUNITY_WORKERS: (
        PostTitle.COMMUNITY_WORKER,
        PostTitle.COMMUNITY_DIRECTOR,
        PostTitle.GRID_STEWARD,
    ),
    Audience.GRID_STEWARDS: (PostTitle.GRID_STEWARD, PostTitle.SHARED_STEWARD),
    Audience.VILLAGE_CADRES: (
        PostTitle.FIRST_SECRETARY,
        PostTitle.VILLAGE_SECRETARY,
        PostTitle.VILLAGE_DIRECTOR,
    ),
}


class TrainingProgramme(models.Model):
    """A course of sessions run by the district or a street for one audience."""

    name = models.CharField("培训项目", max_length=100)
    year = models.PositiveSmallIntegerField("年度")
    area = models.ForeignKey(
        Area, verbose_name="主办区域", on_delete=models.PROTECT, related_name="+"
    )
    organizer = models.CharField("主办单位", max_length=100)
    audience = models.CharField("培训对象", max_length=32, choices=Audience.choices)
    description = models.TextField("培训内容", blank=True)
    signup_closes_on = models.DateField("报名截止", null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "培训项目"
        verbose_name_plural = "培训项目"
        ordering = ["-year", "name", "id"]
        constraints = [
            models.UniqueConstraint(fields=["area", "name"], name="cadres_programme_unique"),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("cadres:programme_detail", kwargs={"pk": self.pk})

    def signup_open(self, on) -> bool:
        return self.signup_closes_on is None or on <= self.signup_closes_on


class TrainingSession(models.Model):
    programme = models.ForeignKey(
        TrainingProgramme,
        verbose_name="培训项目",
        on_delete=models.CASCADE,
        related_name="sessions",
    )
    topic = models.CharField("主题", max_length=100)
    held_on = models.DateField("日期", db_index=True)
    place = models.CharField("地点", max_length=100)
    trainer = models.CharField("授课人", max_length=100)
    hours = models.DecimalField("学时", max_digits=4, decimal_places=1, default=Decimal("3.0"))
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "培训课程"
        verbose_name_plural = "培训课程"
        ordering = ["held_on", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["programme", "held_on", "topic"], name="cadres_session_unique"
            ),
            models.CheckConstraint(name="cadres_session_hours", condition=models.Q(hours__gt=0)),
        ]

    def __str__(self) -> str:
        return f"{self.held_on:%Y-%m-%d} {self.topic}"

    def get_absolute_url(self) -> str:
        return reverse("cadres:session_detail", kwargs={"pk": self.pk})


class EnrolmentSource(models.TextChoices):
    STAFF = "staff", "单位报名"
    SELF = "self", "本人报名"


class Enrolment(models.Model):
    """One person signed up for a programme. ``area`` is the person's own area when they
    signed up: scope follows it, so a community sees its own people on a district course."""

    programme = models.ForeignKey(
        TrainingProgramme,
        verbose_name="培训项目",
        on_delete=models.CASCADE,
        related_name="enrolments",
    )
    person = models.ForeignKey(
        Person, verbose_name="学员", on_delete=models.PROTECT, related_name="training_enrolments"
    )
    area = models.ForeignKey(
        Area, verbose_name="学员所在区域", on_delete=models.PROTECT, related_name="+"
    )
    enrolled_on = models.DateField("报名日期")
    source = models.CharField(
        "报名方式", max_length=8, choices=EnrolmentSource.choices, default=EnrolmentSource.STAFF
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "培训报名"
        verbose_name_plural = "培训报名"
        ordering = ["area__code", "person__name", "id"]
        constraints = [
            models.UniqueConstraint(fields=["programme", "person"], name="cadres_enrolment_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.person} · {self.programme}"


class AttendanceStatus(models.TextChoices):
    ATTENDED = "attended", "出勤"
    LEAVE = "leave", "请假"
    ABSENT = "absent", "缺勤"


class Attendance(models.Model):
    """Whether one enrolled person attended one session; only ``attended`` earns hours."""

    session = models.ForeignKey(
        TrainingSession, verbose_name="课程", on_delete=models.CASCADE, related_name="attendance"
    )
    enrolment = models.ForeignKey(
        Enrolment, verbose_name="报名", on_delete=models.CASCADE, related_name="attendance"
    )
    status = models.CharField("考勤", max_length=8, choices=AttendanceStatus.choices)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "考勤"
        verbose_name_plural = "考勤"
        constraints = [
            models.UniqueConstraint(
                fields=["session", "enrolment"], name="cadres_attendance_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.enrolment.person} · {self.session} · {self.get_status_display()}"
