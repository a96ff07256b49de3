"""Merit-based selection (择优选配) of community secretaries and deputies: a round with its
eligibility rules and weights, the open posts, applications, screening, scores, ranking,
the publicity period (公示) and the appointment."""

from decimal import Decimal

from django.db import models
from django.urls import reverse

from jiceng.core.models import Area, Education, Person, Post, PostTitle


class RoundStatus(models.TextChoices):
    OPEN = "open", "报名中"
    SCREENED = "screened", "资格审查完成"
    RANKED = "ranked", "已排名"
    PUBLICITY = "publicity", "公示中"
    APPOINTED = "appointed", "已任命"


SELECTION_TITLES = (PostTitle.COMMUNITY_SECRETARY, PostTitle.COMMUNITY_DEPUTY)


class SelectionRound(models.Model):
    """One round. Ages and years are counted on ``reference_date``; the total score is
    ``written × written_weight + interview × interview_weight`` (the weights add up to 1)."""

    name = models.CharField("名称", max_length=100)
    year = models.PositiveSmallIntegerField("年度")
    area = models.ForeignKey(
        Area, verbose_name="组织区域", on_delete=models.PROTECT, related_name="+"
    )
    reference_date = models.DateField("资格计算基准日")
    applications_close_on = models.DateField("报名截止")
    max_age = models.PositiveSmallIntegerField("年龄上限（周岁）", null=True, blank=True)
    min_education = models.CharField(
        "最低学历", max_length=16, choices=Education.choices, blank=True
    )
    min_party_years = models.PositiveSmallIntegerField("最低党龄（年）", null=True, blank=True)
    min_community_years = models.PositiveSmallIntegerField(
        "最低社区工作年限（年）", null=True, blank=True
    )
    require_clean_record = models.BooleanField("无处分记录", default=True)
    written_weight = models.DecimalField(
        "笔试权重", max_digits=3, decimal_places=2, default=Decimal("0.40")
    )
    interview_weight = models.DecimalField(
        "面试权重", max_digits=3, decimal_places=2, default=Decimal("0.60")
    )
    publicity_days = models.PositiveSmallIntegerField("公示工作日数", default=5)
    publicity_starts_on = models.DateField("公示开始", null=True, blank=True)
    publicity_ends_on = models.DateField("公示结束", null=True, blank=True)
    status = models.CharField(
        "状态", max_length=12, choices=RoundStatus.choices, default=RoundStatus.OPEN
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "择优选配"
        verbose_name_plural = "择优选配"
        ordering = ["-year", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["area", "name"], name="cadres_round_unique"),
            models.CheckConstraint(
                name="cadres_round_weights",
                condition=models.Q(
                    written_weight__gte=0,
                    interview_weight__gte=0,
                    written_weight__lte=1,
                    interview_weight__lte=1,
                ),
            ),
            models.CheckConstraint(
                name="cadres_round_publicity_days", condition=models.Q(publicity_days__gte=1)
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("cadres:round_detail", kwargs={"pk": self.pk})

    # ---- guards of the transitions (the services perform them) ----

    def accepts_applications(self, on) -> bool:
        return self.status == RoundStatus.OPEN and on <= self.applications_close_on

    def can_screen(self) -> bool:
        return self.status in (RoundStatus.OPEN, RoundStatus.SCREENED, RoundStatus.RANKED)

    def can_score(self) -> bool:
        return self.status in (RoundStatus.SCREENED, RoundStatus.RANKED)

    def can_rank(self) -> bool:
        return self.status in (RoundStatus.SCREENED, RoundStatus.RANKED)

    def can_publicize(self) -> bool:
        return self.status == RoundStatus.RANKED

    def can_appoint(self, on) -> bool:
        """Only after the last day of the publicity period."""
        return (
            self.status == RoundStatus.PUBLICITY
            and self.publicity_ends_on is not None
            and on > self.publicity_ends_on
        )


class SelectionPost(models.Model):
    """A post open in the round: a secretary or deputy seat of one community."""

    round = models.ForeignKey(
        SelectionRound, verbose_name="选配", on_delete=models.CASCADE, related_name="posts"
    )
    title = models.CharField(
        "岗位", max_length=32, choices=[(t.value, t.label) for t in SELECTION_TITLES]
    )
    area = models.ForeignKey(Area, verbose_name="社区", on_delete=models.PROTECT, related_name="+")
    positions = models.PositiveSmallIntegerField("职数", default=1)
    term_ends_on = models.DateField("任期届满", null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "选配岗位"
        verbose_name_plural = "选配岗位"
        ordering = ["area__code", "title", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["round", "area", "title"], name="cadres_selection_post_unique"
            ),
            models.CheckConstraint(
                name="cadres_selection_post_positions", condition=models.Q(positions__gte=1)
            ),
        ]

    def __str__(self) -> str:
        return f"{self.area.name}{self.get_title_display()}"


class ApplicationStatus(models.TextChoices):
    SUBMITTED = "submitted", "待审查"
    ELIGIBLE = "eligible", "资格审查通过"
    INELIGIBLE = "ineligible", "资格审查未通过"
    PROPOSED = "proposed", "拟任人选"
    NOT_PROPOSED = "not_proposed", "未入选"
    APPOINTED = "appointed", "已任命"


class Application(models.Model):
    """One person's application for one post of a round. Screening writes every failed rule
    into ``screening_reasons`` (Chinese, one string each)."""

    round = models.ForeignKey(
        SelectionRound, verbose_name="选配", on_delete=models.CASCADE, related_name="applications"
    )
    post = models.ForeignKey(
        SelectionPost,
        verbose_name="报考岗位",
        on_delete=models.CASCADE,
        related_name="applications",
    )
    person = models.ForeignKey(
        Person, verbose_name="报名人", on_delete=models.PROTECT, related_name="applications"
    )
    submitted_on = models.DateField("报名日期")
    community_work_started_on = models.DateField("参加社区工作时间", null=True, blank=True)
    has_disciplinary_record = models.BooleanField("有处分记录", default=False)
    record_note = models.CharField("处分情况", max_length=200, blank=True)
    status = models.CharField(
        "状态",
        max_length=16,
        choices=ApplicationStatus.choices,
        default=ApplicationStatus.SUBMITTED,
    )
    screening_reasons = models.JSONField("未通过原因", default=list, blank=True)
    screened_at = models.DateTimeField("审查时间", null=True, blank=True)
    written_score = models.DecimalField(
        "笔试成绩", max_digits=5, decimal_places=2, null=True, blank=True
    )
    interview_score = models.DecimalField(
        "面试成绩", max_digits=5, decimal_places=2, null=True, blank=True
    )
    total_score = models.DecimalField(
        "综合成绩", max_digits=5, decimal_places=2, null=True, blank=True
    )
    rank = models.PositiveSmallIntegerField("名次", null=True, blank=True)
    appointed_post = models.ForeignKey(
        Post,
        verbose_name="任命职务",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "报名"
        verbose_name_plural = "报名"
        ordering = ["post", "rank", "id"]
        constraints = [
            models.UniqueConstraint(fields=["round", "person"], name="cadres_application_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.person} · {self.post}"

    @property
    def is_scored(self) -> bool:
        return self.written_score is not None and self.interview_score is not None
