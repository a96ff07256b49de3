"""一街一品: yearly campaigns, community party-building brands, and their evaluation.

A brand's score is the mean of the totals of the panel members' score sheets; its echelon
(引领/先行/跟进) is derived from that score by the campaign's thresholds and is never stored,
so it moves as soon as a sheet or a threshold changes.
"""

from decimal import ROUND_HALF_UP, Decimal

from django.conf import settings
from django.db import models
from django.db.models import Count, DecimalField, OuterRef, Subquery, Sum
from django.db.models.functions import Coalesce
from django.urls import reverse

from jiceng.core.models import Area

SCORE_QUANTUM = Decimal("0.01")


class CampaignStatus(models.TextChoices):
    OPEN = "open", "申报中"
    EVALUATING = "evaluating", "评审中"
    CLOSED = "closed", "已结束"


class Focus(models.TextChoices):
    GRID = "grid", "网格治理"
    PROPERTY = "property", "物业建设"
    CONSULTATION = "consultation", "协商议事"


class Echelon(models.TextChoices):
    LEADING = "leading", "引领"
    PIONEERING = "pioneering", "先行"
    FOLLOWING = "following", "跟进"


class Campaign(models.Model):
    """One year's 一街一品 campaign, with the thresholds that place brands in echelons."""

    year = models.PositiveSmallIntegerField("年度", unique=True)
    name = models.CharField("名称", max_length=100)
    description = models.TextField("说明", blank=True)
    status = models.CharField(
        "状态", max_length=16, choices=CampaignStatus.choices, default=CampaignStatus.OPEN
    )
    leading_threshold = models.DecimalField("引领梯队分数线", max_digits=6, decimal_places=2)
    pioneering_threshold = models.DecimalField("先行梯队分数线", max_digits=6, decimal_places=2)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "一街一品行动"
        verbose_name_plural = "一街一品行动"
        ordering = ["-year"]
        constraints = [
            models.CheckConstraint(
                name="brands_campaign_thresholds_ordered",
                condition=models.Q(pioneering_threshold__gte=0)
                & models.Q(leading_threshold__gt=models.F("pioneering_threshold")),
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("brands:campaign_detail", kwargs={"pk": self.pk})

    @property
    def accepts_entries(self) -> bool:
        return self.status != CampaignStatus.CLOSED

    @property
    def accepts_scores(self) -> bool:
        return self.status == CampaignStatus.EVALUATING

    def echelon_for(self, score: Decimal | None) -> str | None:
        """引领 at or above the leading threshold, 先行 at or above the pioneering one, else
        跟进; no echelon before the first score sheet."""
        if score is None:
            return None
        if score >= self.leading_threshold:
            return Echelon.LEADING
        if score >= self.pioneering_threshold:
            return Echelon.PIONEERING
        return Echelon.FOLLOWING


class Criterion(models.Model):
    """One line of the campaign's scoring rubric. Fixed once the first sheet is in."""

    campaign = models.ForeignKey(
        Campaign, verbose_name="行动", on_delete=models.CASCADE, related_name="criteria"
    )
    name = models.CharField("评分项", max_length=50)
    max_score = models.DecimalField("满分", max_digits=5, decimal_places=1)
    order = models.PositiveSmallIntegerField("顺序", default=0)

    class Meta:
        verbose_name = "评分项"
        verbose_name_plural = "评分项"
        ordering = ["campaign", "order", "id"]
        constraints = [
            models.UniqueConstraint(fields=["campaign", "name"], name="brands_criterion_unique"),
            models.CheckConstraint(
                name="brands_criterion_max_positive", condition=models.Q(max_score__gt=0)
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name}（{self.max_score}分）"


class PanelMember(models.Model):
    """A member of the district's evaluation panel of one campaign."""

    campaign = models.ForeignKey(
        Campaign, verbose_name="行动", on_delete=models.CASCADE, related_name="panel"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="评审人",
        on_delete=models.PROTECT,
        related_name="brand_panels",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "评审组成员"
        verbose_name_plural = "评审组成员"
        ordering = ["campaign", "id"]
        constraints = [
            models.UniqueConstraint(fields=["campaign", "user"], name="brands_panel_unique"),
        ]

    def __str__(self) -> str:
        return str(self.user)


class BrandQuerySet(models.QuerySet):
    def with_score(self) -> "BrandQuerySet":
        """Annotate the exact sum of all sheet scores and the number of sheets, from which
        ``Brand.score`` is the mean of the sheet totals (every sheet scores every criterion)."""
        sums = (
            EvaluationScore.objects.filter(evaluation__brand=OuterRef("pk"))
            .order_by()
            .values("evaluation__brand")
            .annotate(total=Sum("value"))
            .values("total")
        )
        sheets = (
            Evaluation.objects.filter(brand=OuterRef("pk"))
            .order_by()
            .values("brand")
            .annotate(n=Count("pk"))
            .values("n")
        )
        return self.annotate(
            score_sum=Subquery(sums, output_field=DecimalField(max_digits=10, decimal_places=1)),
            sheet_count=Coalesce(Subquery(sheets), 0),
        )


class Brand(models.Model):
    """A community's party-building brand in one campaign. The street it represents is the
    community's parent area."""

    campaign = models.ForeignKey(
        Campaign, verbose_name="行动", on_delete=models.PROTECT, related_name="brands"
    )
    area = models.ForeignKey(
        Area, verbose_name="社区", on_delete=models.PROTECT, related_name="brands"
    )
    name = models.CharField("品牌名称", max_length=60)
    focus = models.CharField("品牌方向", max_length=16, choices=Focus.choices)
    description = models.TextField("品牌简介", blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = BrandQuerySet.as_manager()

    class Meta:
        verbose_name = "社区党建品牌"
        verbose_name_plural = "社区党建品牌"
        ordering = ["campaign", "area__code"]
        constraints = [
            models.UniqueConstraint(fields=["campaign", "area"], name="brands_brand_one_per_area"),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("brands:brand_detail", kwargs={"pk": self.pk})

    @property
    def street(self) -> Area | None:
        return self.area.parent

    @property
    def score(self) -> Decimal | None:
        """Mean of the sheet totals, rounded half up to 0.01 (the figure the echelon is
        decided on is the one shown). None before the first sheet."""
        if not hasattr(self, "sheet_count"):
            agg = EvaluationScore.objects.filter(evaluation__brand=self).aggregate(
                total=Sum("value"), n=Count("evaluation", distinct=True)
            )
            self.score_sum, self.sheet_count = agg["total"], agg["n"]
        if not self.sheet_count:
            return None
        return (Decimal(self.score_sum) / self.sheet_count).quantize(
            SCORE_QUANTUM, rounding=ROUND_HALF_UP
        )

    @property
    def echelon(self) -> str | None:
        return self.campaign.echelon_for(self.score)

    @property
    def echelon_label(self) -> str:
        echelon = self.echelon
        return Echelon(echelon).label if echelon else "待评审"


def photo_path(instance: "BrandPhoto", filename: str) -> str:
    # The service names the file after its checked content; keep only that name.
    return f"brands/photos/{instance.brand.campaign.year}/{filename}"


class BrandPhoto(models.Model):
    """A photo of the brand's work, checked by content (JPEG/PNG/WebP, at most 5 MB)."""

    brand = models.ForeignKey(
        Brand, verbose_name="品牌", on_delete=models.CASCADE, related_name="photos"
    )
    # The service checks the content with Pillow and names the file after it; a plain
    # FileField, so reading a row never touches the file.
    image = models.FileField("图片", upload_to=photo_path, max_length=200)
    size = models.PositiveIntegerField("字节数", default=0)
    content_type = models.CharField("类型", max_length=32)
    caption = models.CharField("说明", max_length=100, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "品牌图片"
        verbose_name_plural = "品牌图片"
        ordering = ["brand", "id"]

    def __str__(self) -> str:
        return self.caption or f"{self.brand} 图片"

    def get_absolute_url(self) -> str:
        return reverse("brands:photo", kwargs={"pk": self.pk})


class Evaluation(models.Model):
    """One panel member's score sheet for one brand: a score for every criterion."""

    brand = models.ForeignKey(
        Brand, verbose_name="品牌", on_delete=models.CASCADE, related_name="evaluations"
    )
    member = models.ForeignKey(
        PanelMember, verbose_name="评审人", on_delete=models.PROTECT, related_name="evaluations"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "评分表"
        verbose_name_plural = "评分表"
        ordering = ["brand", "member"]
        constraints = [
            models.UniqueConstraint(fields=["brand", "member"], name="brands_evaluation_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.member} → {self.brand}"


class EvaluationScore(models.Model):
    evaluation = models.ForeignKey(
        Evaluation, verbose_name="评分表", on_delete=models.CASCADE, related_name="scores"
    )
    criterion = models.ForeignKey(
        Criterion, verbose_name="评分项", on_delete=models.PROTECT, related_name="scores"
    )
    value = models.DecimalField("得分", max_digits=5, decimal_places=1)

    class Meta:
        verbose_name = "评分"
        verbose_name_plural = "评分"
        constraints = [
            models.UniqueConstraint(fields=["evaluation", "criterion"], name="brands_score_unique"),
            models.CheckConstraint(
                name="brands_score_non_negative", condition=models.Q(value__gte=0)
            ),
        ]

    def __str__(self) -> str:
        return f"{self.criterion.name}: {self.value}"
