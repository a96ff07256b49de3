"""乡村振兴: villages' collective economy, first secretaries, projects and pairings.

Every row hangs on a ``core.Area`` (FK ``area``), so scope is one range on its code. The
two village committees, their ages and 一肩挑 are not stored here: they are read off
``core.Post`` (titles village_secretary / village_director / village_member) and
``core.Person.birth_date`` (see ``selectors.village_teams``). Money is ``Decimal`` in 元.
"""

from django.conf import settings
from django.db import models
from django.urls import reverse

from jiceng.core.models import Area, Person

MONEY = {"max_digits": 14, "decimal_places": 2}


class IncomeModel(models.TextChoices):
    """The article's five models of collective economy (党建引领村集体经济发展“五种模式”)."""

    ASSET = "asset", "资产经营型"
    LAND = "land", "土地运营型"
    INDUSTRY = "industry", "产业带动型"
    PROPERTY = "property", "物业租赁型"
    SERVICE = "service", "服务创收型"


class DemonstrationLevel(models.TextChoices):
    NATIONAL = "national", "国家级"
    PROVINCE = "province", "省级"
    CITY = "city", "市级"
    DISTRICT = "district", "区级"


class Village(models.Model):
    """The facts of a village (an area of kind village) that the area tree does not hold.

    Households stay on ``core.Area.households``; the committees come from posts.
    """

    area = models.OneToOneField(
        Area, verbose_name="村", on_delete=models.PROTECT, related_name="village_profile"
    )
    population = models.PositiveIntegerField("户籍人口", null=True, blank=True)
    land_area_mu = models.DecimalField(
        "土地面积(亩)", max_digits=10, decimal_places=2, null=True, blank=True
    )
    arable_land_mu = models.DecimalField(
        "耕地面积(亩)", max_digits=10, decimal_places=2, null=True, blank=True
    )
    demonstration_level = models.CharField(
        "示范村级别", max_length=16, choices=DemonstrationLevel.choices, blank=True
    )
    demonstration_year = models.PositiveSmallIntegerField("示范村命名年度", null=True, blank=True)
    note = models.CharField("备注", max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "村庄档案"
        verbose_name_plural = "村庄档案"
        constraints = [
            models.CheckConstraint(
                name="rural_village_demonstration_both_or_neither",
                condition=(
                    models.Q(demonstration_level="", demonstration_year__isnull=True)
                    | (
                        ~models.Q(demonstration_level="")
                        & models.Q(demonstration_year__isnull=False)
                    )
                ),
            ),
        ]

    def __str__(self) -> str:
        return str(self.area)

    def is_demonstration_in(self, year: int) -> bool:
        """Designated by the end of ``year`` (a designation is not withdrawn here)."""
        return bool(self.demonstration_level) and self.demonstration_year <= year


class CollectiveIncome(models.Model):
    """One line of a village's collective income ledger: a year, a source and its model.

    A village has "a ledger for the year" when it has at least one line for that year;
    a year without lines is missing data, never zero (a zero income is a line of 0 元).
    """

    area = models.ForeignKey(
        Area, verbose_name="村", on_delete=models.PROTECT, related_name="collective_incomes"
    )
    year = models.PositiveSmallIntegerField("年度")
    source = models.CharField("收入来源", max_length=100)
    model = models.CharField("发展模式", max_length=16, choices=IncomeModel.choices)
    amount = models.DecimalField("金额(元)", **MONEY)
    note = models.CharField("备注", max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "村集体经济收入"
        verbose_name_plural = "村集体经济收入"
        ordering = ["area__code", "-year", "source"]
        constraints = [
            models.UniqueConstraint(
                fields=["area", "year", "source"], name="rural_income_one_line_per_source"
            ),
            models.CheckConstraint(
                name="rural_income_not_negative", condition=models.Q(amount__gte=0)
            ),
        ]
        indexes = [models.Index(fields=["year", "area"], name="rural_income_year_area")]

    def __str__(self) -> str:
        return f"{self.area} {self.year} {self.source}"


class FirstSecretary(models.Model):
    """One dispatch (选派) of a person as 第一书记 to a village, with its term.

    The term ends on ``recalled_on`` when the person was recalled (召回), else on
    ``ends_on`` (the planned end). The dispatch service also records the person's
    ``core.Post`` of title first_secretary at the village.
    """

    person = models.ForeignKey(
        Person, verbose_name="人员", on_delete=models.PROTECT, related_name="first_secretary_terms"
    )
    area = models.ForeignKey(
        Area, verbose_name="派驻村", on_delete=models.PROTECT, related_name="first_secretaries"
    )
    sending_unit = models.CharField("派出单位", max_length=100)
    starts_on = models.DateField("派驻日期")
    ends_on = models.DateField("任期届满日期")
    recalled_on = models.DateField("召回日期", null=True, blank=True)
    recall_reason = models.CharField("召回原因", max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "第一书记选派"
        verbose_name_plural = "第一书记选派"
        ordering = ["-starts_on", "area__code", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["person", "area", "starts_on"], name="rural_first_secretary_once"
            ),
            models.CheckConstraint(
                name="rural_first_secretary_term_order",
                condition=models.Q(ends_on__gte=models.F("starts_on")),
            ),
            models.CheckConstraint(
                name="rural_first_secretary_recall_in_term",
                condition=models.Q(recalled_on__isnull=True)
                | models.Q(recalled_on__gte=models.F("starts_on")),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person} · {self.area}"

    def get_absolute_url(self) -> str:
        return reverse("rural:secretary_detail", kwargs={"pk": self.pk})

    @property
    def term_end(self):
        return self.recalled_on or self.ends_on

    def in_office_on(self, day) -> bool:
        return self.starts_on <= day <= self.term_end

    def status_label(self, today) -> str:
        if self.recalled_on and self.recalled_on <= today:
            return "已召回"
        if today < self.starts_on:
            return "待派驻"
        return "在任" if today <= self.ends_on else "期满"


class AttendanceStatus(models.TextChoices):
    PRESENT = "present", "出席"
    LEAVE = "leave", "请假"
    ABSENT = "absent", "缺席"


class TrainingSession(models.Model):
    """A training of first secretaries (每两周一次业务技能集中培训), organized by an area."""

    area = models.ForeignKey(
        Area, verbose_name="组织单位", on_delete=models.PROTECT, related_name="rural_trainings"
    )
    held_on = models.DateField("培训日期")
    topic = models.CharField("培训主题", max_length=100)
    location = models.CharField("地点", max_length=100, blank=True)
    hours = models.DecimalField("学时", max_digits=4, decimal_places=1, default=2)
    attendees = models.ManyToManyField(
        FirstSecretary, through="TrainingAttendance", related_name="trainings"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "第一书记培训"
        verbose_name_plural = "第一书记培训"
        ordering = ["-held_on", "id"]
        constraints = [
            models.UniqueConstraint(fields=["area", "held_on"], name="rural_training_one_per_day"),
        ]

    def __str__(self) -> str:
        return f"{self.held_on:%Y-%m-%d} {self.topic}"

    def get_absolute_url(self) -> str:
        return reverse("rural:training_detail", kwargs={"pk": self.pk})


class TrainingAttendance(models.Model):
    session = models.ForeignKey(
        TrainingSession, verbose_name="培训", on_delete=models.CASCADE, related_name="attendance"
    )
    first_secretary = models.ForeignKey(
        FirstSecretary, verbose_name="第一书记", on_delete=models.CASCADE, related_name="attendance"
    )
    status = models.CharField("出勤", max_length=16, choices=AttendanceStatus.choices)

    class Meta:
        verbose_name = "培训出勤"
        verbose_name_plural = "培训出勤"
        constraints = [
            models.UniqueConstraint(
                fields=["session", "first_secretary"], name="rural_attendance_once"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.session} · {self.first_secretary.person} · {self.get_status_display()}"


class ServiceAlliance(models.Model):
    """分片服务联盟: first secretaries of one part of the district working together."""

    area = models.ForeignKey(
        Area, verbose_name="片区", on_delete=models.PROTECT, related_name="rural_alliances"
    )
    name = models.CharField("联盟名称", max_length=100, unique=True)
    founded_on = models.DateField("成立日期", null=True, blank=True)
    description = models.CharField("工作内容", max_length=300, blank=True)
    members = models.ManyToManyField(
        FirstSecretary, through="AllianceMember", related_name="alliances"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "第一书记服务联盟"
        verbose_name_plural = "第一书记服务联盟"
        ordering = ["area__code", "name"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("rural:alliance_detail", kwargs={"pk": self.pk})


class AllianceMember(models.Model):
    alliance = models.ForeignKey(ServiceAlliance, on_delete=models.CASCADE)
    first_secretary = models.ForeignKey(FirstSecretary, on_delete=models.CASCADE)
    is_leader = models.BooleanField("牵头人", default=False)
    joined_on = models.DateField("加入日期", null=True, blank=True)

    class Meta:
        verbose_name = "联盟成员"
        verbose_name_plural = "联盟成员"
        constraints = [
            models.UniqueConstraint(
                fields=["alliance", "first_secretary"], name="rural_alliance_member_once"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.alliance} · {self.first_secretary.person}"


class SupporterKind(models.TextChoices):
    ENTERPRISE = "enterprise", "企业"
    GROUP = "group", "社会组织/团体"
    INSTITUTION = "institution", "机关事业单位"


class Supporter(models.Model):
    """An enterprise, group or institution that helps villages (企业团体联村、各方力量助村)."""

    area = models.ForeignKey(
        Area, verbose_name="登记单位", on_delete=models.PROTECT, related_name="rural_supporters"
    )
    name = models.CharField("名称", max_length=100, unique=True)
    kind = models.CharField("类型", max_length=16, choices=SupporterKind.choices)
    contact_name = models.CharField("联系人", max_length=50, blank=True)
    note = models.CharField("简介", max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "帮扶力量"
        verbose_name_plural = "帮扶力量"
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("rural:supporter_detail", kwargs={"pk": self.pk})


class ContributionKind(models.TextChoices):
    FUNDS = "funds", "资金支持"
    PROJECT = "project", "项目引进"
    GOODS = "goods", "物资捐赠"
    SKILLS = "skills", "技术指导"
    SALES = "sales", "消费帮扶"
    JOBS = "jobs", "就业帮扶"


class Contribution(models.Model):
    """What a supporter gives one village; ``amount`` (元) when it has a money value."""

    supporter = models.ForeignKey(
        Supporter, verbose_name="帮扶力量", on_delete=models.CASCADE, related_name="contributions"
    )
    area = models.ForeignKey(
        Area, verbose_name="受助村", on_delete=models.PROTECT, related_name="rural_contributions"
    )
    kind = models.CharField("帮扶方式", max_length=16, choices=ContributionKind.choices)
    amount = models.DecimalField("折合金额(元)", **MONEY, null=True, blank=True)
    description = models.CharField("内容", max_length=200)
    given_on = models.DateField("日期")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "帮扶记录"
        verbose_name_plural = "帮扶记录"
        ordering = ["-given_on", "id"]

    def __str__(self) -> str:
        return f"{self.supporter} → {self.area}: {self.description}"


class ProjectStatus(models.TextChoices):
    PLANNED = "planned", "谋划中"
    BUILDING = "building", "建设中"
    OPERATING = "operating", "已投运"
    SUSPENDED = "suspended", "暂停"


class Project(models.Model):
    """A project introduced into a village (引进项目); ``first_secretary`` is the dispatch
    whose secretary brought it in, when one did."""

    area = models.ForeignKey(
        Area, verbose_name="所在村", on_delete=models.PROTECT, related_name="rural_projects"
    )
    name = models.CharField("项目名称", max_length=100)
    partner = models.CharField("合作方", max_length=100, blank=True)
    supporter = models.ForeignKey(
        Supporter,
        verbose_name="帮扶力量",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="projects",
    )
    first_secretary = models.ForeignKey(
        FirstSecretary,
        verbose_name="引进的第一书记",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="projects",
    )
    introduced_on = models.DateField("引进日期")
    investment = models.DecimalField("投资额(元)", **MONEY, default=0)
    income_contribution = models.DecimalField("年增收(元)", **MONEY, default=0)
    model = models.CharField("发展模式", max_length=16, choices=IncomeModel.choices, blank=True)
    status = models.CharField(
        "状态", max_length=16, choices=ProjectStatus.choices, default=ProjectStatus.PLANNED
    )
    description = models.CharField("简介", max_length=500, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "引进项目"
        verbose_name_plural = "引进项目"
        ordering = ["-introduced_on", "id"]
        constraints = [
            models.UniqueConstraint(fields=["area", "name"], name="rural_project_name_per_village"),
            models.CheckConstraint(
                name="rural_project_money_not_negative",
                condition=models.Q(investment__gte=0, income_contribution__gte=0),
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("rural:project_detail", kwargs={"pk": self.pk})


class Milestone(models.Model):
    """A step of a project. A leaf carries its own ``progress`` (0–100); a milestone with
    children has the weighted mean of theirs (``progress.weighted_progress``), and its own
    stored value is not used."""

    project = models.ForeignKey(
        Project, verbose_name="项目", on_delete=models.CASCADE, related_name="milestones"
    )
    parent = models.ForeignKey(
        "self",
        verbose_name="上级节点",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="children",
    )
    name = models.CharField("节点名称", max_length=100)
    weight = models.DecimalField("权重", max_digits=6, decimal_places=2, default=1)
    progress = models.PositiveSmallIntegerField("进度(%)", default=0)
    planned_on = models.DateField("计划完成日期", null=True, blank=True)
    done_on = models.DateField("实际完成日期", null=True, blank=True)
    position = models.PositiveSmallIntegerField("顺序", default=0)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "项目节点"
        verbose_name_plural = "项目节点"
        ordering = ["position", "id"]
        constraints = [
            models.CheckConstraint(
                name="rural_milestone_weight_positive", condition=models.Q(weight__gt=0)
            ),
            models.CheckConstraint(
                name="rural_milestone_progress_range", condition=models.Q(progress__lte=100)
            ),
        ]

    def __str__(self) -> str:
        return self.name


class ProjectEventKind(models.TextChoices):
    CREATED = "created", "项目登记"
    STATUS = "status", "状态变更"
    MILESTONE = "milestone", "新增节点"
    PROGRESS = "progress", "进度更新"
    PHOTO = "photo", "上传照片"
    NOTE = "note", "进展记录"


class ProjectEvent(models.Model):
    """One entry of a project's timeline, written by the service that made the change."""

    project = models.ForeignKey(
        Project, verbose_name="项目", on_delete=models.CASCADE, related_name="events"
    )
    happened_on = models.DateField("日期")
    kind = models.CharField("类型", max_length=16, choices=ProjectEventKind.choices)
    text = models.CharField("内容", max_length=300)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="记录人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "项目动态"
        verbose_name_plural = "项目动态"
        ordering = ["-happened_on", "-id"]

    def __str__(self) -> str:
        return f"{self.happened_on:%Y-%m-%d} {self.text}"


def _photo_path(instance, filename: str) -> str:
    return f"rural/projects/{instance.project_id}/{filename}"


class ProjectPhoto(models.Model):
    """A photo of a project: checked by content (Pillow), stored under a random name and
    served only through the scoped view, never from a public URL."""

    project = models.ForeignKey(
        Project, verbose_name="项目", on_delete=models.CASCADE, related_name="photos"
    )
    image = models.FileField("图片", upload_to=_photo_path, max_length=200)
    caption = models.CharField("说明", max_length=100, blank=True)
    content_type = models.CharField("类型", max_length=32)
    width = models.PositiveIntegerField("宽")
    height = models.PositiveIntegerField("高")
    size = models.PositiveIntegerField("字节数")
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="上传人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "项目照片"
        verbose_name_plural = "项目照片"
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.caption or f"照片 {self.pk}"


class PairingKind(models.TextChoices):
    STRONG_WEAK = "strong_weak", "强村+弱村"
    BIG_SMALL = "big_small", "大村+小村"


class Pairing(models.Model):
    """结对共建 inside a consortium or joint committee (a ``party.PartyOrg`` whose covered
    areas are its member villages): a leading village helps a paired one."""

    group = models.ForeignKey(
        "core.PartyOrg", verbose_name="联建组织", on_delete=models.PROTECT, related_name="pairings"
    )
    kind = models.CharField("结对方式", max_length=16, choices=PairingKind.choices)
    leading = models.ForeignKey(
        Area, verbose_name="带动村", on_delete=models.PROTECT, related_name="+"
    )
    paired = models.ForeignKey(
        Area, verbose_name="结对村", on_delete=models.PROTECT, related_name="+"
    )
    started_on = models.DateField("结对日期")
    ended_on = models.DateField("解除日期", null=True, blank=True)
    note = models.CharField("共建内容", max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "结对共建"
        verbose_name_plural = "结对共建"
        ordering = ["group_id", "kind", "started_on", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["group", "kind", "leading", "paired"], name="rural_pairing_once"
            ),
            models.CheckConstraint(
                name="rural_pairing_two_villages", condition=~models.Q(leading=models.F("paired"))
            ),
        ]

    def __str__(self) -> str:
        return f"{self.leading} + {self.paired}（{self.get_kind_display()}）"
