"""项目路演大赛: contests, their rubric, rounds, entries, judges and score sheets.

A contest belongs to an area (the organizing district): the district administrators whose
scope covers it are its contest admins. Each entry presents one project from one village
(``Entry.village``, an area of kind village); the village's street decides who may see the
entry and which judges must stand aside (回避, see ``conflicts``). A judge fills one
``ScoreSheet`` per entry of a round they are assigned to: one ``Score`` per criterion.
"""

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.urls import reverse

from jiceng.core.models import Area, PartyOrg, Person


class Contest(models.Model):
    name = models.CharField("名称", max_length=100)
    year = models.PositiveSmallIntegerField("年度")
    area = models.ForeignKey(
        Area, verbose_name="主办区域", on_delete=models.PROTECT, related_name="+"
    )
    description = models.TextField("简介", blank=True)
    # Equal scores are ordered by the (trimmed) mean of this criterion, higher first.
    tie_break_criterion = models.ForeignKey(
        "Criterion",
        verbose_name="同分比较项",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "路演大赛"
        verbose_name_plural = "路演大赛"
        ordering = ["-year", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["area", "year", "name"], name="contests_contest_unique_name"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.year}年{self.name}"

    def get_absolute_url(self) -> str:
        return reverse("contests:contest_detail", kwargs={"pk": self.pk})


class Criterion(models.Model):
    """One line of the rubric. A judge gives a score in [min_score, max_score] (at most
    one decimal); a sheet's total is the sum of weight × score over the criteria."""

    contest = models.ForeignKey(
        Contest, verbose_name="大赛", on_delete=models.CASCADE, related_name="criteria"
    )
    name = models.CharField("评分项", max_length=50)
    description = models.CharField("评分要点", max_length=300, blank=True)
    weight = models.DecimalField("权重系数", max_digits=5, decimal_places=2)
    min_score = models.DecimalField("最低分", max_digits=6, decimal_places=1, default=0)
    max_score = models.DecimalField("最高分", max_digits=6, decimal_places=1)
    sequence = models.PositiveSmallIntegerField("顺序")

    class Meta:
        verbose_name = "评分项"
        verbose_name_plural = "评分项"
        ordering = ["sequence", "id"]
        constraints = [
            models.UniqueConstraint(fields=["contest", "name"], name="contests_criterion_name"),
            models.CheckConstraint(
                name="contests_criterion_range",
                condition=models.Q(max_score__gt=models.F("min_score")),
            ),
            models.CheckConstraint(
                name="contests_criterion_weight", condition=models.Q(weight__gt=0)
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def full_marks(self) -> Decimal:
        return self.weight * self.max_score


class RoundKind(models.TextChoices):
    PRELIMINARY = "preliminary", "初赛"
    FINAL = "final", "决赛"


class RoundStatus(models.TextChoices):
    SETUP = "setup", "筹备中"
    SCORING = "scoring", "评分中"
    CLOSED = "closed", "已结束"


class Round(models.Model):
    contest = models.ForeignKey(
        Contest, verbose_name="大赛", on_delete=models.CASCADE, related_name="rounds"
    )
    name = models.CharField("名称", max_length=50)
    kind = models.CharField("类型", max_length=16, choices=RoundKind.choices)
    sequence = models.PositiveSmallIntegerField("轮次")
    held_on = models.DateField("日期", null=True, blank=True)
    status = models.CharField(
        "状态", max_length=16, choices=RoundStatus.choices, default=RoundStatus.SETUP
    )
    # How many of this round's best entries go on to the next round (初赛 → 决赛).
    advance_count = models.PositiveSmallIntegerField("晋级名额", null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "轮次"
        verbose_name_plural = "轮次"
        ordering = ["contest", "sequence"]
        constraints = [
            models.UniqueConstraint(fields=["contest", "sequence"], name="contests_round_seq"),
        ]

    def __str__(self) -> str:
        return f"{self.contest.name} · {self.name}"

    def get_absolute_url(self) -> str:
        return reverse("contests:round_detail", kwargs={"pk": self.pk})

    @property
    def is_final(self) -> bool:
        return self.kind == RoundKind.FINAL

    @property
    def accepts_scores(self) -> bool:
        return self.status == RoundStatus.SCORING


class AwardBand(models.Model):
    """An award of the final round by rank: entries ranked at most ``up_to_rank`` (and
    not in an earlier band) win it; a band without ``up_to_rank`` takes all the rest.
    Tied entries share a rank and so share the award of that rank."""

    contest = models.ForeignKey(
        Contest, verbose_name="大赛", on_delete=models.CASCADE, related_name="award_bands"
    )
    name = models.CharField("奖项", max_length=30)
    up_to_rank = models.PositiveSmallIntegerField("名次至", null=True, blank=True)

    class Meta:
        verbose_name = "奖项"
        verbose_name_plural = "奖项"
        ordering = ["contest", models.F("up_to_rank").asc(nulls_last=True)]
        constraints = [
            models.UniqueConstraint(fields=["contest", "name"], name="contests_band_name"),
            models.UniqueConstraint(fields=["contest", "up_to_rank"], name="contests_band_rank"),
        ]

    def __str__(self) -> str:
        return self.name


class PresenterKind(models.TextChoices):
    FIRST_SECRETARY = "first_secretary", "第一书记"
    VILLAGE_ORG = "village_org", "村党组织"
    ENTERPRISE = "enterprise", "企业团体"


class Entry(models.Model):
    """A project presented at the contest (参赛项目)."""

    contest = models.ForeignKey(
        Contest, verbose_name="大赛", on_delete=models.CASCADE, related_name="entries"
    )
    number = models.PositiveSmallIntegerField("编号")
    title = models.CharField("项目名称", max_length=200)
    summary = models.TextField("项目简介", blank=True)
    presenter_kind = models.CharField("参赛主体", max_length=16, choices=PresenterKind.choices)
    # 第一书记 (required for that kind) or the secretary presenting for a village's branch.
    presenter_person = models.ForeignKey(
        Person,
        verbose_name="汇报人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    presenter_org = models.ForeignKey(
        PartyOrg,
        verbose_name="村党组织",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    presenter_name = models.CharField("企业团体名称", max_length=100, blank=True)
    village = models.ForeignKey(
        Area, verbose_name="所在村", on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "参赛项目"
        verbose_name_plural = "参赛项目"
        ordering = ["contest", "number"]
        constraints = [
            models.UniqueConstraint(fields=["contest", "number"], name="contests_entry_number"),
            models.UniqueConstraint(fields=["contest", "title"], name="contests_entry_title"),
            models.CheckConstraint(
                name="contests_entry_presenter",
                condition=(
                    models.Q(
                        presenter_kind=PresenterKind.FIRST_SECRETARY,
                        presenter_person__isnull=False,
                    )
                    | models.Q(
                        presenter_kind=PresenterKind.VILLAGE_ORG, presenter_org__isnull=False
                    )
                    | (
                        models.Q(presenter_kind=PresenterKind.ENTERPRISE)
                        & ~models.Q(presenter_name="")
                    )
                ),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.number:02d} {self.title}"

    def get_absolute_url(self) -> str:
        return reverse("contests:entry_detail", kwargs={"pk": self.pk})

    @property
    def presenter(self) -> str:
        """The name shown for the presenting party (the secretary, branch or enterprise)."""
        match self.presenter_kind:
            case PresenterKind.FIRST_SECRETARY:
                return self.presenter_person.name
            case PresenterKind.VILLAGE_ORG:
                return self.presenter_org.name
        return self.presenter_name

    @property
    def street_code(self) -> str:
        return self.village.code[:9]


class RoundEntry(models.Model):
    """An entry taking part in a round, in its order of presentation (出场顺序)."""

    round = models.ForeignKey(
        Round, verbose_name="轮次", on_delete=models.CASCADE, related_name="round_entries"
    )
    entry = models.ForeignKey(
        Entry, verbose_name="参赛项目", on_delete=models.CASCADE, related_name="round_entries"
    )
    sequence = models.PositiveSmallIntegerField("出场顺序")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "轮次参赛项目"
        verbose_name_plural = "轮次参赛项目"
        ordering = ["round", "sequence"]
        constraints = [
            models.UniqueConstraint(fields=["round", "entry"], name="contests_roundentry_once"),
            models.UniqueConstraint(fields=["round", "sequence"], name="contests_roundentry_seq"),
        ]

    def __str__(self) -> str:
        return f"{self.round.name} · {self.entry.title}"


class RoundJudge(models.Model):
    """A judge on a round's panel (评委组)."""

    round = models.ForeignKey(
        Round, verbose_name="轮次", on_delete=models.CASCADE, related_name="panel"
    )
    judge = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="评委",
        on_delete=models.PROTECT,
        related_name="contest_panels",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "轮次评委"
        verbose_name_plural = "轮次评委"
        ordering = ["round", "id"]
        constraints = [
            models.UniqueConstraint(fields=["round", "judge"], name="contests_roundjudge_once"),
        ]

    def __str__(self) -> str:
        return f"{self.round} · {self.judge}"


class SheetStatus(models.TextChoices):
    PENDING = "pending", "未评分"
    DRAFT = "draft", "草稿"
    SUBMITTED = "submitted", "已提交"


class ScoreSheet(models.Model):
    """One judge's scores for one entry of a round: the judge's assignment to that entry.

    Invariant: a submitted sheet has one score per criterion, each within its range, and
    only the contest admin changes it again (``sheet_correct``, with a reason)."""

    round_entry = models.ForeignKey(
        RoundEntry, verbose_name="参赛项目", on_delete=models.CASCADE, related_name="sheets"
    )
    judge = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="评委",
        on_delete=models.PROTECT,
        related_name="score_sheets",
    )
    status = models.CharField(
        "状态", max_length=16, choices=SheetStatus.choices, default=SheetStatus.PENDING
    )
    submitted_at = models.DateTimeField("提交时间", null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "评分表"
        verbose_name_plural = "评分表"
        ordering = ["round_entry__sequence", "id"]
        constraints = [
            models.UniqueConstraint(fields=["round_entry", "judge"], name="contests_sheet_once"),
        ]
        indexes = [models.Index(fields=["judge", "status"], name="contests_sheet_judge")]

    def __str__(self) -> str:
        return f"{self.round_entry} · {self.judge}"

    def get_absolute_url(self) -> str:
        return reverse("contests:sheet_detail", kwargs={"pk": self.pk})

    @property
    def is_locked(self) -> bool:
        return self.status == SheetStatus.SUBMITTED


class Score(models.Model):
    sheet = models.ForeignKey(
        ScoreSheet, verbose_name="评分表", on_delete=models.CASCADE, related_name="scores"
    )
    criterion = models.ForeignKey(
        Criterion, verbose_name="评分项", on_delete=models.PROTECT, related_name="scores"
    )
    value = models.DecimalField("分数", max_digits=6, decimal_places=1)

    class Meta:
        verbose_name = "分项得分"
        verbose_name_plural = "分项得分"
        constraints = [
            models.UniqueConstraint(fields=["sheet", "criterion"], name="contests_score_once"),
        ]

    def __str__(self) -> str:
        return f"{self.criterion}: {self.value}"


class SheetCorrection(models.Model):
    """A change the contest admin made to a submitted sheet, with the reason given."""

    sheet = models.ForeignKey(
        ScoreSheet, verbose_name="评分表", on_delete=models.CASCADE, related_name="corrections"
    )
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="更正人",
        on_delete=models.PROTECT,
        related_name="+",
    )
    reason = models.TextField("更正原因")
    # criterion name -> [before, after] of each changed score
    changes = models.JSONField("变更", default=dict)
    created_at = models.DateTimeField("更正时间", auto_now_add=True)

    class Meta:
        verbose_name = "评分更正"
        verbose_name_plural = "评分更正"
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.sheet} · {self.created_at:%Y-%m-%d %H:%M}"
