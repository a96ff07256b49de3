"""Secondment (挂职交流): batches, each secondee's host community and mentor, the mentor's
task list (导师帮带工作清单), the secondee's study plan (挂职学习计划) and reviews."""

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.urls import reverse

from jiceng.core.models import Area, Person, PostTitle

from .assessment import grade_for


class SecondmentBatch(models.Model):
    year = models.PositiveSmallIntegerField("年度")
    number = models.PositiveSmallIntegerField("批次")
    name = models.CharField("名称", max_length=100)
    area = models.ForeignKey(
        Area, verbose_name="组织区域", on_delete=models.PROTECT, related_name="+"
    )
    plan_document = models.CharField("工作方案", max_length=200, blank=True)
    starts_on = models.DateField("开始日期")
    ends_on = models.DateField("结束日期")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "挂职批次"
        verbose_name_plural = "挂职批次"
        ordering = ["-year", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["area", "year", "number"], name="cadres_batch_unique"),
            models.CheckConstraint(
                name="cadres_batch_dates", condition=models.Q(ends_on__gte=models.F("starts_on"))
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("cadres:batch_detail", kwargs={"pk": self.pk})


class SecondeeStatus(models.TextChoices):
    ACTIVE = "active", "挂职中"
    COMPLETED = "completed", "已期满"
    WITHDRAWN = "withdrawn", "已中止"


# The posts a secondee comes from (the 2024 plan: community secretaries and deputies).
SECONDEE_TITLES = (PostTitle.COMMUNITY_SECRETARY, PostTitle.COMMUNITY_DEPUTY)


class Secondee(models.Model):
    """One person's secondment in a batch: from their home community to a host community,
    where an excellent community secretary mentors them."""

    batch = models.ForeignKey(
        SecondmentBatch, verbose_name="批次", on_delete=models.CASCADE, related_name="secondees"
    )
    person = models.ForeignKey(
        Person, verbose_name="挂职人员", on_delete=models.PROTECT, related_name="secondments"
    )
    home_area = models.ForeignKey(
        Area, verbose_name="原单位", on_delete=models.PROTECT, related_name="+"
    )
    home_title = models.CharField(
        "原职务", max_length=32, choices=[(t.value, t.label) for t in SECONDEE_TITLES]
    )
    host_area = models.ForeignKey(
        Area, verbose_name="挂职社区", on_delete=models.PROTECT, related_name="+"
    )
    mentor = models.ForeignKey(
        Person, verbose_name="导师", on_delete=models.PROTECT, related_name="mentored_secondments"
    )
    starts_on = models.DateField("挂职开始")
    ends_on = models.DateField("挂职结束")
    focus = models.TextField("挂职任务", blank=True)
    status = models.CharField(
        "状态", max_length=12, choices=SecondeeStatus.choices, default=SecondeeStatus.ACTIVE
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "挂职人员"
        verbose_name_plural = "挂职人员"
        ordering = ["batch", "host_area__code", "id"]
        constraints = [
            models.UniqueConstraint(fields=["batch", "person"], name="cadres_secondee_unique"),
            models.CheckConstraint(
                name="cadres_secondee_not_own_mentor",
                condition=~models.Q(mentor=models.F("person")),
            ),
            models.CheckConstraint(
                name="cadres_secondee_elsewhere",
                condition=~models.Q(host_area=models.F("home_area")),
            ),
            models.CheckConstraint(
                name="cadres_secondee_dates",
                condition=models.Q(ends_on__gte=models.F("starts_on")),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person} → {self.host_area}"

    def get_absolute_url(self) -> str:
        return reverse("cadres:secondee_detail", kwargs={"pk": self.pk})


class WorkStatus(models.TextChoices):
    PLANNED = "planned", "未开始"
    IN_PROGRESS = "in_progress", "进行中"
    DONE = "done", "已完成"


class MentorTaskKind(models.TextChoices):
    TASK = "task", "帮带任务"
    PROJECT = "project", "帮带项目"


class PlanItem(models.Model):
    """A line of one of a secondee's two plans, moved along from planned to done; one done
    carries its note (``note_field``: the mentor's evidence or the secondee's reflection)."""

    note_field: str
    note_label: str

    due_on = models.DateField("完成时限")
    status = models.CharField(
        "进度", max_length=12, choices=WorkStatus.choices, default=WorkStatus.PLANNED
    )
    completed_on = models.DateField("完成日期", null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        abstract = True
        ordering = ["due_on", "id"]

    def __str__(self) -> str:
        return self.title

    def is_overdue(self, on) -> bool:
        return self.status != WorkStatus.DONE and self.due_on < on


class MentorTask(PlanItem):
    """One line of the mentor's task list: drawn from the host community's own strengths,
    typical cases and current priorities, with a due date and evidence when done."""

    note_field = "evidence"
    note_label = "佐证材料"

    secondee = models.ForeignKey(
        Secondee, verbose_name="挂职人员", on_delete=models.CASCADE, related_name="mentor_tasks"
    )
    kind = models.CharField(
        "类别", max_length=8, choices=MentorTaskKind.choices, default=MentorTaskKind.TASK
    )
    title = models.CharField("帮带内容", max_length=200)
    description = models.TextField("具体要求", blank=True)
    evidence = models.TextField("佐证材料", blank=True)

    class Meta(PlanItem.Meta):
        verbose_name = "导师帮带任务"
        verbose_name_plural = "导师帮带任务"
        constraints = [
            models.UniqueConstraint(fields=["secondee", "title"], name="cadres_task_unique"),
        ]


class StudyItem(PlanItem):
    """One line of the secondee's study plan: a task aimed at a weakness of the secondee's
    own (home) community, with their reflection once done."""

    note_field = "reflection"
    note_label = "心得体会"

    secondee = models.ForeignKey(
        Secondee, verbose_name="挂职人员", on_delete=models.CASCADE, related_name="study_items"
    )
    title = models.CharField("学习任务", max_length=200)
    gap = models.CharField("针对的短板弱项", max_length=200, blank=True)
    reflection = models.TextField("心得体会", blank=True)

    class Meta(PlanItem.Meta):
        verbose_name = "挂职学习计划"
        verbose_name_plural = "挂职学习计划"
        constraints = [
            models.UniqueConstraint(fields=["secondee", "title"], name="cadres_study_unique"),
        ]


class ReviewStage(models.TextChoices):
    MIDTERM = "midterm", "中期考核"
    FINAL = "final", "期满考核"


class SecondmentReview(models.Model):
    secondee = models.ForeignKey(
        Secondee, verbose_name="挂职人员", on_delete=models.CASCADE, related_name="reviews"
    )
    stage = models.CharField("考核阶段", max_length=8, choices=ReviewStage.choices)
    reviewed_on = models.DateField("考核日期")
    score = models.DecimalField("得分", max_digits=4, decimal_places=1)
    comment = models.TextField("考核意见", blank=True)
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="考核人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "挂职考核"
        verbose_name_plural = "挂职考核"
        ordering = ["reviewed_on", "id"]
        constraints = [
            models.UniqueConstraint(fields=["secondee", "stage"], name="cadres_review_unique"),
            models.CheckConstraint(
                name="cadres_review_score",
                condition=models.Q(score__gte=0, score__lte=Decimal("100")),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.secondee.person} · {self.get_stage_display()}"

    @property
    def grade(self) -> str:
        return grade_for(self.score, Decimal("100")).label
