from django.db import models
from django.urls import reverse

# The party organization tree is the core's (scope and posts are defined on it); the party
# app holds what hangs from it. Its names are offered here too.
from jiceng.core.models import PATH_STEP, Area, PartyOrg, PartyOrgKind, PartyOrgQuerySet

__all__ = ["PATH_STEP", "PartyOrg", "PartyOrgKind", "PartyOrgQuerySet"]

# ---- two-new organizations (两新组织) and property companies ------------------------------

# "应建尽建": an organization with this many full party members must have its own branch.
OWN_BRANCH_THRESHOLD = 3


class OrganizationKind(models.TextChoices):
    ENTERPRISE = "enterprise", "非公企业"
    SOCIAL = "social", "社会组织"
    PROPERTY = "property", "物业企业"


# The kinds counted by the two-new coverage (property companies have their own indicator).
TWO_NEW_KINDS = (OrganizationKind.ENTERPRISE, OrganizationKind.SOCIAL)


class PartyStatus(models.TextChoices):
    OWN_BRANCH = "own_branch", "单独建立党组织"
    JOINT_BRANCH = "joint_branch", "纳入联合党支部"
    NONE = "none", "未建立党组织"


class Organization(models.Model):
    """An enterprise, social organization or property company registered in the district,
    with the party organization that covers it: its own branch, a joint branch (联合党支部)
    shared with other small organizations, or none."""

    name = models.CharField("名称", max_length=100)
    kind = models.CharField("类型", max_length=16, choices=OrganizationKind.choices)
    credit_code = models.CharField("统一社会信用代码", max_length=18, unique=True)
    area = models.ForeignKey(
        Area, verbose_name="注册区域", on_delete=models.PROTECT, related_name="organizations"
    )
    address = models.CharField("注册地址", max_length=200, blank=True)
    employees = models.PositiveIntegerField("从业人员数", default=0)
    full_members = models.PositiveIntegerField("正式党员数", default=0)
    party_org = models.ForeignKey(
        PartyOrg,
        verbose_name="所属党组织",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="member_organizations",
    )
    compounds = models.ManyToManyField(
        Area, verbose_name="服务小区", blank=True, related_name="property_companies"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "两新组织"
        verbose_name_plural = "两新组织"
        ordering = ["area__code", "name"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("party:organization_detail", kwargs={"pk": self.pk})

    @property
    def party_status(self) -> str:
        if self.party_org_id is None:
            return PartyStatus.NONE
        if self.party_org.kind == PartyOrgKind.JOINT_BRANCH:
            return PartyStatus.JOINT_BRANCH
        return PartyStatus.OWN_BRANCH

    def get_party_status_display(self) -> str:
        return PartyStatus(self.party_status).label

    @property
    def must_build_own_branch(self) -> bool:
        """Three or more full members and no branch of its own: a gap to close."""
        return (
            self.full_members >= OWN_BRANCH_THRESHOLD
            and self.party_status != PartyStatus.OWN_BRANCH
        )

    @property
    def is_covered(self) -> bool:
        """Covered as the rule wants: its own branch, or a joint branch while it is small."""
        return self.party_status != PartyStatus.NONE and not self.must_build_own_branch


# ---- demonstration points and the 红色引擎 plans --------------------------------------------


class DemoLevel(models.TextChoices):
    PROVINCE = "province", "省级"
    CITY = "city", "市级"
    DISTRICT = "district", "区级"


class DemonstrationPoint(models.Model):
    """An organization designated a party-building demonstration point (示范点) at a level,
    with its 一企一策/一社一策 plan: a goal and measures whose progress makes the plan's."""

    organization = models.ForeignKey(
        Organization,
        verbose_name="两新组织",
        on_delete=models.PROTECT,
        related_name="demonstration_points",
    )
    level = models.CharField("级别", max_length=16, choices=DemoLevel.choices)
    year = models.PositiveSmallIntegerField("命名年度")
    citation = models.CharField("命名文件/表彰", max_length=200, blank=True)
    plan_goal = models.TextField("一企一策/一社一策目标", blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "党建工作示范点"
        verbose_name_plural = "党建工作示范点"
        ordering = ["-year", "level", "organization__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "level"], name="party_point_one_per_level"
            )
        ]

    def __str__(self) -> str:
        return f"{self.organization.name}（{self.get_level_display()}示范点）"

    def get_absolute_url(self) -> str:
        return reverse("party:point_detail", kwargs={"pk": self.pk})

    @property
    def plan_label(self) -> str:
        return "一企一策" if self.organization.kind != OrganizationKind.SOCIAL else "一社一策"


class MeasureStatus(models.TextChoices):
    PLANNED = "planned", "未开始"
    IN_PROGRESS = "in_progress", "推进中"
    DONE = "done", "已完成"


class PlanMeasure(models.Model):
    point = models.ForeignKey(
        DemonstrationPoint, verbose_name="示范点", on_delete=models.CASCADE, related_name="measures"
    )
    title = models.CharField("措施", max_length=200)
    status = models.CharField(
        "状态", max_length=16, choices=MeasureStatus.choices, default=MeasureStatus.PLANNED
    )
    percent = models.PositiveSmallIntegerField("完成进度(%)", default=0)
    due_on = models.DateField("完成时限", null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "一企一策措施"
        verbose_name_plural = "一企一策措施"
        ordering = ["point", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(percent__lte=100), name="party_measure_percent_le_100"
            )
        ]

    def __str__(self) -> str:
        return self.title


# ---- party-mass service centers (党群服务中心) and their activities ---------------------------


class ServiceCenter(models.Model):
    name = models.CharField("名称", max_length=100)
    area = models.ForeignKey(
        Area, verbose_name="所在区域", on_delete=models.PROTECT, related_name="service_centers"
    )
    address = models.CharField("地址", max_length=200, blank=True)
    floor_space = models.DecimalField("面积(m²)", max_digits=8, decimal_places=1, default=0)
    facilities = models.TextField("功能设施", blank=True, help_text="每行一项")
    opening_hours = models.CharField("开放时间", max_length=100, blank=True)
    party_org = models.ForeignKey(
        PartyOrg,
        verbose_name="依托党组织",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="service_centers",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "党群服务中心"
        verbose_name_plural = "党群服务中心"
        ordering = ["area__code", "name"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("party:center_detail", kwargs={"pk": self.pk})

    @property
    def facility_list(self) -> list[str]:
        return [line.strip() for line in self.facilities.splitlines() if line.strip()]


class ActivityKind(models.TextChoices):
    ORG_LIFE = "org_life", "组织生活"
    TRAINING = "training", "学习培训"
    EVENT = "event", "主题活动"


class Activity(models.Model):
    center = models.ForeignKey(
        ServiceCenter,
        verbose_name="党群服务中心",
        on_delete=models.PROTECT,
        related_name="activities",
    )
    title = models.CharField("活动名称", max_length=100)
    kind = models.CharField("类型", max_length=16, choices=ActivityKind.choices)
    starts_at = models.DateTimeField("开始时间")
    ends_at = models.DateTimeField("结束时间")
    capacity = models.PositiveIntegerField("名额", null=True, blank=True)
    description = models.TextField("活动内容", blank=True)
    # Typed on the check-in page by a member who cannot scan the link's QR code.
    checkin_code = models.CharField("签到码", max_length=6, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "活动"
        verbose_name_plural = "活动"
        ordering = ["-starts_at"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_at__gt=models.F("starts_at")),
                name="party_activity_ends_after_start",
            )
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("party:activity_detail", kwargs={"pk": self.pk})


class CheckinMethod(models.TextChoices):
    LINK = "link", "扫码签到"
    CODE = "code", "签到码签到"
    STAFF = "staff", "工作人员签到"


class Participation(models.Model):
    """A member signed up for an activity, and whether (and how) they attended."""

    activity = models.ForeignKey(
        Activity, verbose_name="活动", on_delete=models.CASCADE, related_name="participations"
    )
    person = models.ForeignKey(
        "core.Person", verbose_name="人员", on_delete=models.PROTECT, related_name="participations"
    )
    organization = models.ForeignKey(
        Organization,
        verbose_name="所在组织",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="participations",
    )
    signed_up_at = models.DateTimeField("报名时间")
    attended_at = models.DateTimeField("签到时间", null=True, blank=True)
    checkin_method = models.CharField(
        "签到方式", max_length=8, choices=CheckinMethod.choices, blank=True
    )

    class Meta:
        verbose_name = "活动报名"
        verbose_name_plural = "活动报名"
        ordering = ["activity", "signed_up_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["activity", "person"], name="party_one_signup_each")
        ]

    def __str__(self) -> str:
        return f"{self.person} · {self.activity}"
