from datetime import timedelta

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.db import models
from django.urls import reverse
from django.utils import timezone

from . import tree
from .masking import mask_id_number, mask_phone
from .roles import Role


class AreaKind(models.TextChoices):
    DISTRICT = "district", "区"
    STREET = "street", "街道"
    COMMUNITY = "community", "社区"
    VILLAGE = "village", "村"
    GRID = "grid", "网格"
    COMPOUND = "compound", "小区"
    BUILDING = "building", "楼栋"


# Digits of each kind's code. Down to community/village these are the official 统计用区划代码;
# a grid adds a 3-digit sequence (Beijing pattern: 6 district + 3 street + 3 community + 3);
# compounds and buildings add 3 digits each under their grid and compound.
CODE_LENGTH = {
    AreaKind.DISTRICT: 6,
    AreaKind.STREET: 9,
    AreaKind.COMMUNITY: 12,
    AreaKind.VILLAGE: 12,
    AreaKind.GRID: 15,
    AreaKind.COMPOUND: 18,
    AreaKind.BUILDING: 21,
}

PARENT_KINDS = {
    AreaKind.DISTRICT: frozenset(),
    AreaKind.STREET: frozenset({AreaKind.DISTRICT}),
    AreaKind.COMMUNITY: frozenset({AreaKind.STREET}),
    AreaKind.VILLAGE: frozenset({AreaKind.STREET}),
    AreaKind.GRID: frozenset({AreaKind.COMMUNITY, AreaKind.VILLAGE}),
    AreaKind.COMPOUND: frozenset({AreaKind.GRID}),
    AreaKind.BUILDING: frozenset({AreaKind.COMPOUND}),
}


class AreaQuerySet(models.QuerySet):
    def subtree(self, code: str) -> "AreaQuerySet":
        """The area with this code and everything under it (one index range)."""
        return self.filter(tree.subtree_q("code", code))

    def of_kind(self, *kinds: str) -> "AreaQuerySet":
        return self.filter(kind__in=kinds)


class Area(models.Model):
    """One node of the district's area tree.

    The code is the materialized path: every ancestor's code is a prefix of it (services
    refuse a code that does not start with its parent's), so a subtree is a range on the
    unique index of ``code``. ``depth`` is the number of ancestors.
    """

    code = models.CharField("编码", max_length=24, unique=True)
    name = models.CharField("名称", max_length=100)
    kind = models.CharField("类型", max_length=16, choices=AreaKind.choices, db_index=True)
    parent = models.ForeignKey(
        "self",
        verbose_name="上级",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    depth = models.PositiveSmallIntegerField("层级", default=0)
    households = models.PositiveIntegerField("户数", null=True, blank=True)
    address = models.CharField("地址", max_length=200, blank=True)
    # WGS-84 longitude/latitude: a point for compounds and buildings, a GeoJSON Polygon or
    # MultiPolygon (coordinates as [lng, lat]) for grids and the units above them.
    lng = models.FloatField("经度", null=True, blank=True)
    lat = models.FloatField("纬度", null=True, blank=True)
    boundary = models.JSONField("边界(GeoJSON)", null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = AreaQuerySet.as_manager()

    class Meta:
        verbose_name = "区域"
        verbose_name_plural = "区域"
        ordering = ["code"]
        indexes = [models.Index(fields=["kind", "code"], name="core_area_kind_code")]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("core:area_detail", kwargs={"code": self.code})

    @property
    def path(self) -> str:
        return self.code

    def ancestor_codes(self) -> list[str]:
        """Codes of the ancestors, root first, read off the code itself (no query)."""
        codes = []
        for length in sorted(set(CODE_LENGTH.values())):
            if length < len(self.code):
                codes.append(self.code[:length])
        return codes

    def is_within(self, code: str) -> bool:
        return self.code.startswith(code)


class AreaAlias(models.Model):
    """Another name residents use for an area (春元里 for 春元里小区, 电业局宿舍 for 纬二路12号院).

    ``normalized`` is the alias as the address normalizer writes it, for exact lookup.
    """

    area = models.ForeignKey(
        Area, verbose_name="区域", on_delete=models.CASCADE, related_name="aliases"
    )
    alias = models.CharField("别名", max_length=100)
    normalized = models.CharField("规范化别名", max_length=100, db_index=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "区域别名"
        verbose_name_plural = "区域别名"
        constraints = [
            models.UniqueConstraint(fields=["area", "alias"], name="core_areaalias_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.alias} → {self.area}"


# ---- party organizations: the second tree that scopes and posts hang from ----------------

# Each level of the party tree adds this many digits to the path (room for 9,999 siblings).
PATH_STEP = 4


class PartyOrgKind(models.TextChoices):
    WORKING_COMMITTEE = "working_committee", "党工委"
    COMMITTEE = "committee", "党委"
    GENERAL_BRANCH = "general_branch", "党总支"
    BRANCH = "branch", "党支部"
    GROUP = "group", "党小组"
    JOINT_COMMITTEE = "joint_committee", "联合党委"
    CONSORTIUM = "consortium", "党建联合体"
    ENTERPRISE_BRANCH = "enterprise_branch", "企业党支部"
    JOINT_BRANCH = "joint_branch", "联合党支部"


class PartyOrgQuerySet(models.QuerySet):
    def subtree(self, path: str) -> "PartyOrgQuerySet":
        return self.filter(tree.subtree_q("path", path))


class PartyOrg(models.Model):
    """A party organization. Its own tree with a digit materialized path (``PATH_STEP``
    digits per level, the parent's path as prefix), linked to the areas it covers."""

    name = models.CharField("名称", max_length=100)
    kind = models.CharField("类型", max_length=32, choices=PartyOrgKind.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name="上级党组织",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    path = models.CharField("路径", max_length=64, unique=True)
    area = models.ForeignKey(
        Area, verbose_name="所在区域", on_delete=models.PROTECT, related_name="party_orgs_based"
    )
    covered_areas = models.ManyToManyField(
        Area,
        verbose_name="覆盖区域",
        blank=True,
        related_name="covering_party_orgs",
        db_table="party_partyorg_covered_areas",
    )
    founded_on = models.DateField("成立日期", null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = PartyOrgQuerySet.as_manager()

    class Meta:
        # The table keeps the name it had when the party app owned the model.
        db_table = "party_partyorg"
        verbose_name = "党组织"
        verbose_name_plural = "党组织"
        ordering = ["path"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("party:org_detail", kwargs={"pk": self.pk})

    @property
    def depth(self) -> int:
        return len(self.path) // PATH_STEP - 1


class User(AbstractUser):
    person = models.OneToOneField(
        "core.Person",
        verbose_name="人员",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="user",
    )
    password_changed_at = models.DateTimeField("密码修改时间", null=True, blank=True)

    class Meta:
        verbose_name = "账号"
        verbose_name_plural = "账号"

    def __str__(self) -> str:
        return self.get_full_name() or self.username

    def set_password(self, raw_password):
        super().set_password(raw_password)
        self.password_changed_at = timezone.now()

    @property
    def display_name(self) -> str:
        return self.person.name if self.person_id else (self.get_full_name() or self.username)


class RoleAssignmentQuerySet(models.QuerySet):
    def active(self, on=None) -> "RoleAssignmentQuerySet":
        on = on or timezone.localdate()
        return self.filter(
            models.Q(starts_on__isnull=True) | models.Q(starts_on__lte=on),
            models.Q(ends_on__isnull=True) | models.Q(ends_on__gte=on),
        )


class RoleAssignment(models.Model):
    """A role held by an account, scoped to an area subtree or a party organization."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="账号",
        on_delete=models.CASCADE,
        related_name="role_assignments",
    )
    role = models.CharField("角色", max_length=32, choices=Role.choices)
    area = models.ForeignKey(
        Area,
        verbose_name="区域范围",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="role_assignments",
    )
    party_org = models.ForeignKey(
        PartyOrg,
        verbose_name="党组织范围",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="role_assignments",
    )
    starts_on = models.DateField("起始日期", null=True, blank=True)
    ends_on = models.DateField("截止日期", null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = RoleAssignmentQuerySet.as_manager()

    class Meta:
        verbose_name = "角色授权"
        verbose_name_plural = "角色授权"
        constraints = [
            models.CheckConstraint(
                name="core_roleassignment_one_scope",
                condition=~(models.Q(area__isnull=False) & models.Q(party_org__isnull=False)),
            ),
        ]

    def __str__(self) -> str:
        scope = self.area or self.party_org or "—"
        return f"{self.user} · {self.get_role_display()} · {scope}"


class Sex(models.TextChoices):
    MALE = "M", "男"
    FEMALE = "F", "女"


class Education(models.TextChoices):
    PRIMARY = "primary", "小学"
    JUNIOR = "junior", "初中"
    SENIOR = "senior", "高中/中专"
    COLLEGE = "college", "大专"
    BACHELOR = "bachelor", "本科"
    MASTER = "master", "硕士研究生"
    DOCTOR = "doctor", "博士研究生"


class PoliticalStatus(models.TextChoices):
    MEMBER = "member", "中共党员"
    PROBATIONARY = "probationary", "中共预备党员"
    LEAGUE = "league", "共青团员"
    MASSES = "masses", "群众"


class Person(models.Model):
    """A real person. The ID number is stored only encrypted, with a keyed blind index
    (HMAC) for exact lookup; the phone is kept in clear but shown masked."""

    name = models.CharField("姓名", max_length=50, db_index=True)
    sex = models.CharField("性别", max_length=1, choices=Sex.choices, blank=True)
    birth_date = models.DateField("出生日期", null=True, blank=True)
    phone = models.CharField("手机号", max_length=11, blank=True)
    id_number_encrypted = models.TextField("身份证号(密文)", blank=True)
    id_number_index = models.CharField("身份证号索引", max_length=64, blank=True, db_index=True)
    education = models.CharField("学历", max_length=16, choices=Education.choices, blank=True)
    political_status = models.CharField(
        "政治面貌", max_length=16, choices=PoliticalStatus.choices, default=PoliticalStatus.MASSES
    )
    party_joined_on = models.DateField("入党日期", null=True, blank=True)
    area = models.ForeignKey(
        Area, verbose_name="所属区域", on_delete=models.PROTECT, related_name="people"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "人员"
        verbose_name_plural = "人员"
        ordering = ["area__code", "name", "id"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("core:person_detail", kwargs={"pk": self.pk})

    @property
    def id_number(self) -> str:
        from .crypto import decrypt

        return decrypt(self.id_number_encrypted) if self.id_number_encrypted else ""

    @property
    def phone_masked(self) -> str:
        return mask_phone(self.phone)

    @property
    def id_number_masked(self) -> str:
        return mask_id_number(self.id_number)

    @property
    def is_party_member(self) -> bool:
        return self.political_status in (PoliticalStatus.MEMBER, PoliticalStatus.PROBATIONARY)


class PostTitle(models.TextChoices):
    STREET_SECRETARY = "street_secretary", "街道党工委书记"
    STREET_STAFF = "street_staff", "街道工作人员"
    COMMUNITY_SECRETARY = "community_secretary", "社区党组织书记"
    COMMUNITY_DEPUTY = "community_deputy", "社区党组织副书记"
    COMMUNITY_DIRECTOR = "community_director", "社区居委会主任"
    COMMUNITY_WORKER = "community_worker", "社区工作者"
    VILLAGE_SECRETARY = "village_secretary", "村党组织书记"
    VILLAGE_DIRECTOR = "village_director", "村委会主任"
    VILLAGE_COMMITTEE_MEMBER = "village_member", "村两委成员"
    FIRST_SECRETARY = "first_secretary", "第一书记"
    CHIEF_STEWARD = "chief_steward", "总管家"
    GRID_STEWARD = "grid_steward", "网格管家"
    SHARED_STEWARD = "shared_steward", "共享管家"
    ORG_SECRETARY = "org_secretary", "党组织书记"
    ORG_MEMBER = "org_member", "党组织委员"


class PostQuerySet(models.QuerySet):
    def current(self, on=None) -> "PostQuerySet":
        on = on or timezone.localdate()
        return self.filter(
            models.Q(starts_on__isnull=True) | models.Q(starts_on__lte=on),
            models.Q(ends_on__isnull=True) | models.Q(ends_on__gte=on),
        )


class Post(models.Model):
    """A person's role at an area or at a party organization, with dates."""

    person = models.ForeignKey(
        Person, verbose_name="人员", on_delete=models.CASCADE, related_name="posts"
    )
    title = models.CharField("职务", max_length=32, choices=PostTitle.choices)
    area = models.ForeignKey(
        Area,
        verbose_name="区域",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="posts",
    )
    party_org = models.ForeignKey(
        PartyOrg,
        verbose_name="党组织",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="posts",
    )
    starts_on = models.DateField("任职日期", null=True, blank=True)
    ends_on = models.DateField("离任日期", null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = PostQuerySet.as_manager()

    class Meta:
        verbose_name = "职务"
        verbose_name_plural = "职务"
        ordering = ["-starts_on", "id"]
        constraints = [
            models.CheckConstraint(
                name="core_post_has_place",
                condition=models.Q(area__isnull=False) | models.Q(party_org__isnull=False),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person} · {self.get_title_display()}"

    @property
    def is_current(self) -> bool:
        today = timezone.localdate()
        return (self.starts_on is None or self.starts_on <= today) and (
            self.ends_on is None or self.ends_on >= today
        )


class AuditEventQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise TypeError("审计日志只能追加，不能修改")

    def delete(self):
        raise TypeError("审计日志只能追加，不能删除")


class AuditEvent(models.Model):
    """One append-only, hash-chained audit row. ``hash`` covers ``prev_hash`` and every
    field below, so editing or removing a row breaks the chain from that row on."""

    at = models.DateTimeField("时间", db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="操作人",
        null=True,
        blank=True,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        related_name="+",
    )
    actor_name = models.CharField("操作人名称", max_length=150, blank=True)
    ip = models.CharField("IP", max_length=45, blank=True)
    action = models.CharField("动作", max_length=64, db_index=True)
    object_type = models.CharField("对象类型", max_length=64, blank=True)
    object_id = models.CharField("对象ID", max_length=64, blank=True)
    object_repr = models.CharField("对象", max_length=200, blank=True)
    changes = models.JSONField("变更", default=dict, blank=True)
    prev_hash = models.CharField("前一哈希", max_length=64)
    hash = models.CharField("哈希", max_length=64, unique=True)
    hash_alg = models.CharField("哈希算法", max_length=8, default="sha256")

    objects = AuditEventQuerySet.as_manager()

    class Meta:
        verbose_name = "审计日志"
        verbose_name_plural = "审计日志"
        ordering = ["-id"]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M:%S} {self.actor_name} {self.action}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise TypeError("审计日志只能追加，不能修改")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise TypeError("审计日志只能追加，不能删除")


# How long a background export's file is kept (jiceng.core.exports.export_jobs_expire).
EXPORT_FILE_TTL = timedelta(days=1)


class ExportStatus(models.TextChoices):
    QUEUED = "queued", "排队中"
    RUNNING = "running", "生成中"
    DONE = "done", "已完成"
    FAILED = "failed", "失败"
    EXPIRED = "expired", "已过期"


class ExportJob(models.Model):
    """A large list export written in the background (``jiceng.core.exports``). The file lies
    outside the public media URL and is served only to its requester; it expires after a day.
    """

    requester = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="申请人",
        on_delete=models.CASCADE,
        related_name="export_jobs",
    )
    key = models.CharField("列表", max_length=64)
    title = models.CharField("名称", max_length=100)
    params = models.JSONField("筛选条件", default=dict, blank=True)
    status = models.CharField(
        "状态", max_length=16, choices=ExportStatus.choices, default=ExportStatus.QUEUED
    )
    total_rows = models.PositiveIntegerField("总行数", default=0)
    progress_rows = models.PositiveIntegerField("已写行数", default=0)
    file = models.CharField("文件", max_length=200, blank=True)
    filename = models.CharField("下载文件名", max_length=150, blank=True)
    error = models.CharField("失败原因", max_length=200, blank=True)
    created_at = models.DateTimeField("申请时间", auto_now_add=True)
    finished_at = models.DateTimeField("完成时间", null=True, blank=True)

    class Meta:
        verbose_name = "导出任务"
        verbose_name_plural = "导出任务"
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["status", "finished_at"])]

    def __str__(self) -> str:
        return f"{self.title} · {self.get_status_display()}"

    @property
    def percent(self) -> int:
        if self.status == ExportStatus.DONE:
            return 100
        if not self.total_rows:
            return 0
        return min(99, self.progress_rows * 100 // self.total_rows)

    @property
    def pending(self) -> bool:
        return self.status in (ExportStatus.QUEUED, ExportStatus.RUNNING)

    @property
    def expires_at(self):
        return self.finished_at + EXPORT_FILE_TTL if self.finished_at else None


class AuditCheckpoint(models.Model):
    """The head of the audit chain at a moment (``jiceng.core.audit_integrity``): which row
    was last, how many rows the chain held up to it (archived ones included), and its hash,
    sealed with a key the database does not hold. Also appended to a file outside the
    database. On PostgreSQL a trigger refuses UPDATE and DELETE."""

    at = models.DateTimeField("时间")
    last_id = models.BigIntegerField("最后一条记录")
    row_count = models.BigIntegerField("记录总数")
    head_hash = models.CharField("链头哈希", max_length=64)
    seal = models.CharField("校验码", max_length=64)

    class Meta:
        verbose_name = "审计检查点"
        verbose_name_plural = "审计检查点"
        ordering = ["-id"]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} #{self.last_id}"


class AuditArchiveSegment(models.Model):
    """Audit rows past retention, exported to a file (JSON lines, gzip) whose hash is kept
    here, then removed from the live table. ``audit_verify --archive`` re-reads the files."""

    created_at = models.DateTimeField("归档时间")
    first_id = models.BigIntegerField("首条记录")
    last_id = models.BigIntegerField("末条记录")
    row_count = models.PositiveIntegerField("记录数")
    first_prev_hash = models.CharField("首条的前一哈希", max_length=64)
    last_hash = models.CharField("末条哈希", max_length=64)
    file_name = models.CharField("文件", max_length=200)
    file_sha256 = models.CharField("文件 SHA-256", max_length=64)
    seal = models.CharField("校验码", max_length=64)

    class Meta:
        verbose_name = "审计归档段"
        verbose_name_plural = "审计归档段"
        ordering = ["first_id"]

    def __str__(self) -> str:
        return f"#{self.first_id}–#{self.last_id}"


class TaskHeartbeat(models.Model):
    """The last sign of life of a background task while a worker runs it
    (``jiceng.core.jobs``): a task whose beat is old has lost its worker."""

    task_id = models.UUIDField("任务", unique=True)
    worker_id = models.CharField("工作进程", max_length=64, blank=True)
    pid = models.PositiveIntegerField("进程号", default=0)
    host = models.CharField("主机", max_length=100, blank=True)
    started_at = models.DateTimeField("开始时间")
    beat_at = models.DateTimeField("最近心跳", db_index=True)

    class Meta:
        verbose_name = "任务心跳"
        verbose_name_plural = "任务心跳"

    def __str__(self) -> str:
        return f"{self.task_id} @ {self.beat_at:%H:%M:%S}"


# ---- 三员分立: account changes that need a second person ---------------------------------

PROPOSAL_TTL = timedelta(days=7)


class ProposalKind(models.TextChoices):
    ROLE_GRANT = "role_grant", "授予业务角色"
    ACTIVATE = "activate", "恢复账号"
    PASSWORD_RESET = "password_reset", "重置特权账号密码"


class ProposalStatus(models.TextChoices):
    PENDING = "pending", "待审批"
    APPROVED = "approved", "已批准"
    REJECTED = "rejected", "已驳回"
    WITHDRAWN = "withdrawn", "已撤回"


class AccountChangeProposal(models.Model):
    """A change to an account that one administrator proposes and a second one decides:
    the security administrator proposes and a district administrator approves, or the
    reverse; nobody decides their own proposal or a change to their own account. Only
    the decision performs the change (``jiceng.core.account_proposals``)."""

    kind = models.CharField("变更类型", max_length=20, choices=ProposalKind.choices)
    account = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="账号",
        on_delete=models.CASCADE,
        related_name="change_proposals",
    )
    # A role grant: the assignment to create once approved.
    role = models.CharField("角色", max_length=32, choices=Role.choices, blank=True)
    area = models.ForeignKey(
        Area, verbose_name="区域范围", null=True, blank=True, on_delete=models.PROTECT
    )
    party_org = models.ForeignKey(
        PartyOrg,
        verbose_name="党组织范围",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
    )
    starts_on = models.DateField("起始日期", null=True, blank=True)
    ends_on = models.DateField("截止日期", null=True, blank=True)
    # A password reset: the hash of the password the proposer chose (cleared once decided).
    password_hash = models.CharField("新密码哈希", max_length=128, blank=True)
    reason = models.CharField("申请理由", max_length=200, blank=True)
    status = models.CharField(
        "状态", max_length=16, choices=ProposalStatus.choices, default=ProposalStatus.PENDING
    )
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="申请人",
        on_delete=models.PROTECT,
        related_name="account_proposals_made",
    )
    proposer_role = models.CharField("申请人角色", max_length=32, choices=Role.choices)
    proposed_at = models.DateTimeField("申请时间", auto_now_add=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="审批人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="account_proposals_decided",
    )
    decided_at = models.DateTimeField("审批时间", null=True, blank=True)
    decision_note = models.CharField("审批意见", max_length=200, blank=True)

    class Meta:
        verbose_name = "账号变更申请"
        verbose_name_plural = "账号变更申请"
        ordering = ["-proposed_at", "-id"]
        indexes = [models.Index(fields=["status", "proposed_at"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} · {self.account.username}"

    @property
    def expires_at(self):
        return self.proposed_at + PROPOSAL_TTL if self.proposed_at else None

    def is_expired(self, now=None) -> bool:
        return self.expires_at is not None and (now or timezone.now()) >= self.expires_at


class RateLimitCounter(models.Model):
    """One window's count of one rate-limit key (jiceng/core/ratelimit.py). Rows live in the
    database so every web process shares them and a restart does not reset them."""

    key = models.CharField("键", max_length=200, primary_key=True)
    hits = models.PositiveIntegerField("次数", default=0)
    expires_at = models.DateTimeField("过期时间", db_index=True)

    class Meta:
        verbose_name = "访问频率计数"
        verbose_name_plural = "访问频率计数"

    def __str__(self) -> str:
        return f"{self.key}: {self.hits}"


class RecoveryCode(models.Model):
    """A one-time code that stands in for the authenticator app (second factor). Only a
    password hash of the code is kept; it is shown once, when made."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="账号",
        on_delete=models.CASCADE,
        related_name="recovery_codes",
    )
    code_hash = models.CharField("恢复码摘要", max_length=200)
    created_at = models.DateTimeField("生成时间", auto_now_add=True)
    used_at = models.DateTimeField("使用时间", null=True, blank=True)

    class Meta:
        verbose_name = "恢复码"
        verbose_name_plural = "恢复码"

    def __str__(self) -> str:
        return f"{self.user} · {'已使用' if self.used_at else '未使用'}"
