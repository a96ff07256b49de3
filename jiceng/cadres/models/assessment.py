"""Assessments (考评): a configurable scheme of criteria, periodic scoring of community
secretaries and workers, and the 头雁 roster derived from the scores."""

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.urls import reverse

from jiceng.core.models import Area, Person, PostTitle


class Grade(models.TextChoices):
    EXCELLENT = "excellent", "优秀"
    GOOD = "good", "良好"
    PASS = "pass", "合格"
    FAIL = "fail", "不合格"


# Share of the full mark from which each grade starts.
GRADE_FLOORS = (
    (Decimal("0.90"), Grade.EXCELLENT),
    (Decimal("0.80"), Grade.GOOD),
    (Decimal("0.60"), Grade.PASS),
)


def grade_for(score: Decimal, full: Decimal) -> Grade:
    if full:
        share = Decimal(score) / Decimal(full)
        for floor, grade in GRADE_FLOORS:
            if share >= floor:
                return grade
    return Grade.FAIL


class AssessmentAudience(models.TextChoices):
    COMMUNITY_SECRETARIES = "community_secretaries", "社区党组织书记"
    COMMUNITY_WORKERS = "community_workers", "社区工作者"


AUDIENCE_TITLES = {
    AssessmentAudience.COMMUNITY_SECRETARIES: (PostTitle.COMMUNITY_SECRETARY,),
    AssessmentAudience.COMMUNITY_WORKERS: (
        PostTitle.COMMUNITY_DEPUTY,
        PostTitle.COMMUNITY_DIRECTOR,
        PostTitle.COMMUNITY_WORKER,
    ),
}


class AssessmentScheme(models.Model):
    """The criteria one audience is scored against. A scheme with a ``leader_threshold``
    yields the 头雁 roster: everyone whose total for a year reaches it."""

    name = models.CharField("考评方案", max_length=100)
    area = models.ForeignKey(
        Area, verbose_name="制定区域", on_delete=models.PROTECT, related_name="+"
    )
    audience = models.CharField("考评对象", max_length=32, choices=AssessmentAudience.choices)
    description = models.TextField("说明", blank=True)
    leader_threshold = models.DecimalField(
        "头雁分数线", max_digits=5, decimal_places=1, null=True, blank=True
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "考评方案"
        verbose_name_plural = "考评方案"
        ordering = ["name", "id"]
        constraints = [
            models.UniqueConstraint(fields=["area", "name"], name="cadres_scheme_unique"),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("cadres:scheme_detail", kwargs={"pk": self.pk})


class AssessmentCriterion(models.Model):
    scheme = models.ForeignKey(
        AssessmentScheme, verbose_name="考评方案", on_delete=models.CASCADE, related_name="criteria"
    )
    name = models.CharField("考评项目", max_length=100)
    max_score = models.DecimalField("满分", max_digits=5, decimal_places=1)
    position = models.PositiveSmallIntegerField("顺序", default=0)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "考评项目"
        verbose_name_plural = "考评项目"
        ordering = ["position", "id"]
        constraints = [
            models.UniqueConstraint(fields=["scheme", "name"], name="cadres_criterion_unique"),
            models.CheckConstraint(
                name="cadres_criterion_max", condition=models.Q(max_score__gt=0)
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name}（{self.max_score}分）"


class AssessmentTerm(models.TextChoices):
    ANNUAL = "annual", "年度"
    FIRST_HALF = "h1", "上半年"
    SECOND_HALF = "h2", "下半年"


class Assessment(models.Model):
    """One person's scores for one period. ``area`` is the community they serve (scope);
    ``total`` is the sum of the criterion scores, kept with them by the service."""

    scheme = models.ForeignKey(
        AssessmentScheme,
        verbose_name="考评方案",
        on_delete=models.PROTECT,
        related_name="assessments",
    )
    person = models.ForeignKey(
        Person, verbose_name="被考评人", on_delete=models.PROTECT, related_name="assessments"
    )
    area = models.ForeignKey(
        Area, verbose_name="所在社区", on_delete=models.PROTECT, related_name="+"
    )
    year = models.PositiveSmallIntegerField("年度")
    term = models.CharField("考评周期", max_length=8, choices=AssessmentTerm.choices)
    total = models.DecimalField("总分", max_digits=6, decimal_places=1)
    assessed_on = models.DateField("考评日期")
    assessor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="考评人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    comment = models.TextField("评语", blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "考评"
        verbose_name_plural = "考评"
        ordering = ["-year", "term", "-total", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["scheme", "person", "year", "term"], name="cadres_assessment_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person} · {self.year}{self.get_term_display()}"


class AssessmentScore(models.Model):
    assessment = models.ForeignKey(
        Assessment, verbose_name="考评", on_delete=models.CASCADE, related_name="scores"
    )
    criterion = models.ForeignKey(
        AssessmentCriterion, verbose_name="考评项目", on_delete=models.PROTECT, related_name="+"
    )
    score = models.DecimalField("得分", max_digits=5, decimal_places=1)

    class Meta:
        verbose_name = "考评得分"
        verbose_name_plural = "考评得分"
        constraints = [
            models.UniqueConstraint(
                fields=["assessment", "criterion"], name="cadres_assessment_score_unique"
            ),
            models.CheckConstraint(
                name="cadres_assessment_score_min", condition=models.Q(score__gte=0)
            ),
        ]

    def __str__(self) -> str:
        return f"{self.criterion.name} {self.score}"
