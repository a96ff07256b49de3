"""Appeals (诉求) and what runs them: categories, SLA policies, events, escalations, duty.

The state machine lives here as pure guards (``Appeal.can_*``); the services in
``services.py`` perform the transitions, each under the appeal's row lock.
"""

import secrets
from datetime import timedelta

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone

from jiceng.core.masking import mask_phone

# The tracking code alphabet leaves out 0/O, 1/I/L so a resident can read it aloud.
CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
CODE_LENGTH = 10  # 31**10 ≈ 8e14: unguessable by enumeration behind the rate limit


def new_tracking_code() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


class Kind(models.TextChoices):
    CONSULT = "consult", "咨询"
    HELP = "help", "求助"
    COMPLAINT = "complaint", "投诉"
    REPORT = "report", "举报"
    SUGGESTION = "suggestion", "建议"


class Channel(models.TextChoices):
    WINDOW = "window", "党群服务中心窗口"
    PHONE = "phone", "电话"
    WECHAT = "wechat", "微信/H5"
    WEB = "web", "网站"
    RIDER = "rider", "骑士上报"
    VISIT = "visit", "走访发现"
    HOTLINE = "hotline", "12345转办"
    API = "api", "接口"


class Urgency(models.TextChoices):
    NORMAL = "normal", "一般"
    URGENT = "urgent", "紧急"
    CRITICAL = "critical", "特急"


class Status(models.TextChoices):
    SUBMITTED = "submitted", "待派单"
    DISPATCHED = "dispatched", "已派单"
    ACCEPTED = "accepted", "已接单"
    IN_PROGRESS = "in_progress", "办理中"
    PAUSED = "paused", "已挂起"
    RESOLVED = "resolved", "已办结"
    RATED = "rated", "已评价"
    CLOSED = "closed", "已关闭"
    REJECTED = "rejected", "已退回"
    REOPENED = "reopened", "已重启"


# Statuses in which the appeal is someone's work: the owner is set and the clocks run.
OPEN_STATUSES = frozenset(
    {
        Status.DISPATCHED,
        Status.ACCEPTED,
        Status.IN_PROGRESS,
        Status.PAUSED,
        Status.REOPENED,
    }
)
# Statuses waiting for the owner to accept (a fresh dispatch or a reopen).
WAITING_STATUSES = frozenset({Status.DISPATCHED, Status.REOPENED})
DONE_STATUSES = frozenset({Status.RESOLVED, Status.RATED, Status.CLOSED})


ROUTING_METHODS = {
    "building": "楼栋匹配",
    "compound": "小区匹配",
    "alias": "小区别名",
    "point": "定位",
    "community": "属地兜底（社区）",
    "street": "属地兜底（街道）",
    "none": "未定位",
}


def status_label(value: str) -> str:
    return Status(value).label if value in Status.values else (value or "新建")


class Result(models.TextChoices):
    SOLVED = "solved", "解决"
    PARTLY = "partly", "部分解决"
    UNSOLVED = "unsolved", "未解决"


class Rating(models.TextChoices):
    SATISFIED = "satisfied", "满意"
    BASIC = "basic", "基本满意"
    UNSATISFIED = "unsatisfied", "不满意"
    UNRATED = "unrated", "未评价"


class Rung(models.IntegerChoices):
    """Steps of the escalation ladder above the grid steward who owns the appeal."""

    CHIEF = 1, "总管家"
    STREET = 2, "街道督办"


class SlaUnit(models.TextChoices):
    HOURS = "hours", "小时"
    WORKDAYS = "workdays", "工作日"


class Category(models.Model):
    """A node of the configurable category tree; ``path`` is the materialized path (digits,
    three per level) so a subtree is one index range, as for areas."""

    name = models.CharField("名称", max_length=60)
    parent = models.ForeignKey(
        "self",
        verbose_name="上级",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    path = models.CharField("路径", max_length=30, unique=True)
    active = models.BooleanField("启用", default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "诉求分类"
        verbose_name_plural = "诉求分类"
        ordering = ["path"]
        constraints = [
            models.UniqueConstraint(fields=["parent", "name"], name="appeals_category_unique"),
        ]

    def __str__(self) -> str:
        return self.name

    def ancestor_paths(self) -> list[str]:
        """Paths of this node and its ancestors, nearest first (read off the path)."""
        return [self.path[:n] for n in range(len(self.path), 0, -3)]


class SlaPolicy(models.Model):
    """Limits for appeals of a category subtree and urgency. The most specific policy wins
    (the category itself, then its ancestors, then the one with no category)."""

    category = models.ForeignKey(
        Category,
        verbose_name="分类",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="sla_policies",
    )
    urgency = models.CharField("紧急程度", max_length=16, choices=Urgency.choices)
    unit = models.CharField("计时单位", max_length=16, choices=SlaUnit.choices)
    response_limit = models.DecimalField("响应时限", max_digits=6, decimal_places=2)
    resolve_limit = models.DecimalField("办结时限", max_digits=6, decimal_places=2)
    warn_share = models.DecimalField("预警比例", max_digits=4, decimal_places=2, default=0.8)
    # Past this share of the resolution limit the street supervises (督办).
    supervise_share = models.DecimalField("督办比例", max_digits=4, decimal_places=2, default=1.5)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "时限规则"
        verbose_name_plural = "时限规则"
        constraints = [
            models.UniqueConstraint(
                fields=["category", "urgency"], name="appeals_slapolicy_unique"
            ),
            models.UniqueConstraint(
                fields=["urgency"],
                condition=models.Q(category__isnull=True),
                name="appeals_slapolicy_default_unique",
            ),
            models.CheckConstraint(
                name="appeals_slapolicy_limits",
                condition=models.Q(response_limit__gt=0)
                & models.Q(resolve_limit__gte=models.F("response_limit")),
            ),
        ]

    def __str__(self) -> str:
        where = self.category or "默认"
        return (
            f"{where} · {self.get_urgency_display()} · {self.response_limit}/"
            f"{self.resolve_limit}{self.get_unit_display()}"
        )


class Appeal(models.Model):
    code = models.CharField("受理编号", max_length=16, unique=True, default=new_tracking_code)
    kind = models.CharField("类型", max_length=16, choices=Kind.choices)
    channel = models.CharField("渠道", max_length=16, choices=Channel.choices)
    category = models.ForeignKey(
        Category,
        verbose_name="分类",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="appeals",
    )
    urgency = models.CharField(
        "紧急程度", max_length=16, choices=Urgency.choices, default=Urgency.NORMAL
    )
    title = models.CharField("标题", max_length=100, blank=True)
    description = models.TextField("诉求内容")
    address = models.CharField("地址", max_length=200, blank=True)
    address_normalized = models.CharField("规范化地址", max_length=200, blank=True)
    lng = models.FloatField("经度", null=True, blank=True)
    lat = models.FloatField("纬度", null=True, blank=True)
    # The scope key: the grid routing found, else the community (属地兜底), else the street.
    area = models.ForeignKey(
        "core.Area", verbose_name="属地", on_delete=models.PROTECT, related_name="appeals"
    )
    grid = models.ForeignKey(
        "core.Area",
        verbose_name="网格",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="grid_appeals",
    )
    routing_method = models.CharField("定位方式", max_length=32, blank=True)
    routing_confidence = models.FloatField("定位置信度", default=0)
    resident_name = models.CharField("诉求人", max_length=50, blank=True)
    phone = models.CharField("联系电话", max_length=11, blank=True, db_index=True)
    anonymous = models.BooleanField("匿名", default=False)
    status = models.CharField(
        "状态", max_length=16, choices=Status.choices, default=Status.SUBMITTED
    )
    # The one person who holds the appeal. Empty only while it waits in the pool of its
    # area (submitted, nobody found by routing) or after it was rejected.
    owner = models.ForeignKey(
        "core.Person",
        verbose_name="承办人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="owned_appeals",
    )
    # The grid steward who handed the appeal to a shared steward (and gets it back).
    handed_by = models.ForeignKey(
        "core.Person",
        verbose_name="转交人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    priority = models.BooleanField("优先", default=False)
    submitted_at = models.DateTimeField("提交时间", default=timezone.now, db_index=True)
    sla_policy = models.ForeignKey(
        SlaPolicy,
        verbose_name="时限规则",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    response_due_at = models.DateTimeField("响应期限", null=True, blank=True)
    resolve_due_at = models.DateTimeField("办结期限", null=True, blank=True)
    warn_at = models.DateTimeField("预警时间", null=True, blank=True)
    supervise_at = models.DateTimeField("督办时间", null=True, blank=True)
    warned_at = models.DateTimeField("已预警", null=True, blank=True)
    contacted_at = models.DateTimeField("联系时间", null=True, blank=True)
    paused_at = models.DateTimeField("挂起时间", null=True, blank=True)
    paused_seconds = models.PositiveIntegerField("累计挂起秒数", default=0)
    pause_reason = models.CharField("挂起原因", max_length=200, blank=True)
    resolved_at = models.DateTimeField("办结时间", null=True, blank=True, db_index=True)
    result = models.CharField("办理结果", max_length=16, choices=Result.choices, blank=True)
    explanation = models.TextField("办理说明", blank=True)
    reject_reason = models.CharField("退回原因", max_length=200, blank=True)
    rating = models.CharField("评价", max_length=16, choices=Rating.choices, blank=True)
    rated_at = models.DateTimeField("评价时间", null=True, blank=True)
    closed_at = models.DateTimeField("关闭时间", null=True, blank=True)
    reopen_count = models.PositiveSmallIntegerField("重启次数", default=0)
    supervised = models.BooleanField("督办中", default=False)
    escalation_level = models.PositiveSmallIntegerField("升级层级", default=0)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="录入人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "诉求"
        verbose_name_plural = "诉求"
        ordering = ["-submitted_at", "-id"]
        indexes = [
            models.Index(fields=["status", "resolve_due_at"], name="appeals_status_due"),
            models.Index(fields=["owner", "status"], name="appeals_owner_status"),
            models.Index(fields=["area", "submitted_at"], name="appeals_area_submitted"),
        ]
        constraints = [
            models.CheckConstraint(
                name="appeals_appeal_owned_when_open",
                condition=~models.Q(status__in=sorted(OPEN_STATUSES))
                | models.Q(owner__isnull=False),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.title or self.description[:20]}"

    def get_absolute_url(self) -> str:
        return reverse("appeals:detail", kwargs={"pk": self.pk})

    @property
    def phone_masked(self) -> str:
        return mask_phone(self.phone)

    @property
    def routing_method_label(self) -> str:
        return ROUTING_METHODS.get(self.routing_method, self.routing_method or "—")

    @property
    def display_name(self) -> str:
        return "匿名" if self.anonymous else (self.resident_name or "—")

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    # ---- guards (pure: they read this row and the acting person, never the database) ----

    def is_owned_by(self, person_id: int | None) -> bool:
        return person_id is not None and self.owner_id == person_id

    def can_claim(self) -> bool:
        return self.status == Status.SUBMITTED and self.owner_id is None

    def can_dispatch(self) -> bool:
        return self.status in {Status.SUBMITTED, *OPEN_STATUSES} and self.status != Status.PAUSED

    def can_accept(self, person_id: int | None) -> bool:
        return self.status in WAITING_STATUSES and self.is_owned_by(person_id)

    def can_contact(self, person_id: int | None) -> bool:
        return self.status == Status.ACCEPTED and self.is_owned_by(person_id)

    def can_note(self) -> bool:
        return self.status not in {Status.CLOSED, Status.REJECTED}

    def can_pause(self, person_id: int | None) -> bool:
        return self.status == Status.IN_PROGRESS and self.is_owned_by(person_id)

    def can_resume(self, person_id: int | None) -> bool:
        return self.status == Status.PAUSED and self.is_owned_by(person_id)

    def can_resolve(self, person_id: int | None) -> bool:
        return self.status == Status.IN_PROGRESS and self.is_owned_by(person_id)

    def can_reject(self) -> bool:
        return self.status in {Status.SUBMITTED, Status.DISPATCHED, Status.ACCEPTED}

    def can_hand_to_shared(self, person_id: int | None) -> bool:
        return (
            self.status in {Status.DISPATCHED, Status.ACCEPTED, Status.IN_PROGRESS}
            and self.is_owned_by(person_id)
            and self.handed_by_id is None
        )

    def can_rate(self) -> bool:
        return self.status == Status.RESOLVED and not self.rating

    def can_reopen(self, now, window_days: int) -> bool:
        return (
            self.status in DONE_STATUSES
            and self.resolved_at is not None
            and now <= self.resolved_at + timedelta(days=window_days)
        )

    def can_close_unrated(self, now, after_days: int) -> bool:
        return (
            self.status == Status.RESOLVED
            and not self.rating
            and self.resolved_at is not None
            and now >= self.resolved_at + timedelta(days=after_days)
        )


class AppealEvent(models.Model):
    """One step of an appeal's history. Append-only: rows are never updated or deleted."""

    appeal = models.ForeignKey(
        Appeal, verbose_name="诉求", on_delete=models.CASCADE, related_name="events"
    )
    at = models.DateTimeField("时间", default=timezone.now)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="操作账号",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    actor_name = models.CharField("操作人", max_length=60, blank=True)
    action = models.CharField("动作", max_length=32)
    from_status = models.CharField("原状态", max_length=16, blank=True)
    to_status = models.CharField("新状态", max_length=16, blank=True)
    note = models.TextField("说明", blank=True)
    # Shown to the resident on the tracking page.
    public = models.BooleanField("对诉求人可见", default=True)
    data = models.JSONField("数据", default=dict, blank=True)

    class Meta:
        verbose_name = "诉求事件"
        verbose_name_plural = "诉求事件"
        ordering = ["at", "id"]
        indexes = [models.Index(fields=["appeal", "at"], name="appeals_event_appeal_at")]

    def __str__(self) -> str:
        return f"{self.appeal_id} {self.action} {self.at:%Y-%m-%d %H:%M}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise TypeError("诉求办理记录只能追加，不能修改")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise TypeError("诉求办理记录只能追加，不能删除")

    @property
    def from_label(self) -> str:
        return status_label(self.from_status)

    @property
    def to_label(self) -> str:
        return status_label(self.to_status)


def attachment_path(instance, filename: str) -> str:
    return f"appeals/{instance.appeal.submitted_at:%Y/%m}/{secrets.token_hex(12)}.{instance.ext}"


class Attachment(models.Model):
    appeal = models.ForeignKey(
        Appeal, verbose_name="诉求", on_delete=models.CASCADE, related_name="attachments"
    )
    event = models.ForeignKey(
        AppealEvent,
        verbose_name="事件",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="attachments",
    )
    file = models.FileField("文件", upload_to=attachment_path)
    ext = models.CharField("格式", max_length=8)
    size = models.PositiveIntegerField("大小")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "附件"
        verbose_name_plural = "附件"

    def __str__(self) -> str:
        return self.file.name


class Escalation(models.Model):
    """One rung climbed by one appeal. The unique constraint is what makes the sweep
    escalate each (appeal, rung) once, whatever runs at the same time or crashed."""

    appeal = models.ForeignKey(
        Appeal, verbose_name="诉求", on_delete=models.CASCADE, related_name="escalations"
    )
    rung = models.PositiveSmallIntegerField("层级", choices=Rung.choices)
    reason = models.CharField("原因", max_length=100)
    to_person = models.ForeignKey(
        "core.Person",
        verbose_name="升级至",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    to_area = models.ForeignKey(
        "core.Area", verbose_name="督办单位", on_delete=models.PROTECT, related_name="+"
    )
    at = models.DateTimeField("时间", default=timezone.now)

    class Meta:
        verbose_name = "升级督办"
        verbose_name_plural = "升级督办"
        constraints = [
            models.UniqueConstraint(fields=["appeal", "rung"], name="appeals_escalation_once"),
        ]

    def __str__(self) -> str:
        return f"{self.appeal_id} → {self.get_rung_display()}"


class DutyRoster(models.Model):
    """Who is on duty for a grid over a period, and who stands in when they are away."""

    grid = models.ForeignKey(
        "core.Area", verbose_name="网格", on_delete=models.CASCADE, related_name="duty_rosters"
    )
    steward = models.ForeignKey(
        "core.Person", verbose_name="值班网格管家", on_delete=models.CASCADE, related_name="+"
    )
    backup = models.ForeignKey(
        "core.Person",
        verbose_name="备岗",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    starts_on = models.DateField("起始日期")
    ends_on = models.DateField("截止日期", null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "值班安排"
        verbose_name_plural = "值班安排"
        ordering = ["grid", "-starts_on"]

    def __str__(self) -> str:
        return f"{self.grid} · {self.steward}"


class StewardAbsence(models.Model):
    """A steward away (leave, training): dispatch goes to the roster's backup."""

    person = models.ForeignKey(
        "core.Person", verbose_name="人员", on_delete=models.CASCADE, related_name="+"
    )
    starts_on = models.DateField("起始日期")
    ends_on = models.DateField("截止日期")
    reason = models.CharField("事由", max_length=100, blank=True)

    class Meta:
        verbose_name = "请假/外出"
        verbose_name_plural = "请假/外出"

    def __str__(self) -> str:
        return f"{self.person} {self.starts_on}–{self.ends_on}"


class NotificationKind(models.TextChoices):
    DISPATCHED = "dispatched", "新派单"
    WARNING = "warning", "临期预警"
    ESCALATED = "escalated", "升级督办"
    REOPENED = "reopened", "重启"
    HANDED = "handed", "转交"


class Notification(models.Model):
    """A message in a staff member's in-app inbox."""

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="接收人",
        on_delete=models.CASCADE,
        related_name="appeal_notifications",
    )
    kind = models.CharField("类型", max_length=16, choices=NotificationKind.choices)
    appeal = models.ForeignKey(
        Appeal, verbose_name="诉求", on_delete=models.CASCADE, related_name="notifications"
    )
    text = models.CharField("内容", max_length=200)
    created_at = models.DateTimeField(auto_now_add=True)
    read_at = models.DateTimeField("已读时间", null=True, blank=True)

    class Meta:
        verbose_name = "通知"
        verbose_name_plural = "通知"
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["recipient", "read_at"], name="appeals_notif_unread"),
        ]

    def __str__(self) -> str:
        return self.text


class WebhookEndpoint(models.Model):
    """An outbound gateway (SMS, WeChat) that receives appeal notifications as JSON."""

    name = models.CharField("名称", max_length=60)
    url = models.URLField("地址")
    secret = models.CharField("签名密钥", max_length=64)
    active = models.BooleanField("启用", default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "外发接口"
        verbose_name_plural = "外发接口"

    def __str__(self) -> str:
        return self.name


class DeliveryStatus(models.TextChoices):
    PENDING = "pending", "待发送"
    SENT = "sent", "已发送"
    FAILED = "failed", "失败"


class WebhookDelivery(models.Model):
    endpoint = models.ForeignKey(
        WebhookEndpoint, verbose_name="接口", on_delete=models.CASCADE, related_name="deliveries"
    )
    notification = models.ForeignKey(
        Notification,
        verbose_name="通知",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    payload = models.JSONField("内容")
    status = models.CharField(
        "状态", max_length=16, choices=DeliveryStatus.choices, default=DeliveryStatus.PENDING
    )
    attempts = models.PositiveSmallIntegerField("尝试次数", default=0)
    last_error = models.CharField("最后错误", max_length=300, blank=True)
    next_attempt_at = models.DateTimeField("下次尝试", null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "外发记录"
        verbose_name_plural = "外发记录"
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.endpoint} {self.get_status_display()}"


class ApiToken(models.Model):
    """A bearer token of an API client; only its SHA-256 is stored. Requests made with it
    act as ``user`` (scope and audit)."""

    name = models.CharField("名称", max_length=60)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="代表账号",
        on_delete=models.CASCADE,
        related_name="api_tokens",
    )
    key_hash = models.CharField("密钥哈希", max_length=64, unique=True)
    prefix = models.CharField("前缀", max_length=8)
    active = models.BooleanField("启用", default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField("最近使用", null=True, blank=True)

    class Meta:
        verbose_name = "接口令牌"
        verbose_name_plural = "接口令牌"

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"


class IdempotencyRecord(models.Model):
    """The first answer to an ``Idempotency-Key`` of one token, replayed for a retry."""

    token = models.ForeignKey(ApiToken, on_delete=models.CASCADE, related_name="+")
    key = models.CharField(max_length=100)
    body_hash = models.CharField(max_length=64)
    status_code = models.PositiveSmallIntegerField(null=True)
    response = models.JSONField(null=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "幂等记录"
        verbose_name_plural = "幂等记录"
        constraints = [
            models.UniqueConstraint(fields=["token", "key"], name="appeals_idempotency_once"),
        ]

    def __str__(self) -> str:
        return self.key


# The three rates' rollups live in their own package; imported so Django registers them.
from .stats.models import AppealRollup  # noqa: E402, F401
