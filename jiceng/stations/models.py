"""Warm stations (暖心驿站) for delivery riders, the riders themselves as part-time grid
workers (兼职网格员), their check-ins, points and recognition.

A station's opening hours are seven strings, Monday first, each "" (closed) or
"HH:MM-HH:MM"; a span whose end is not after its start runs past midnight, and
"00:00-24:00" is all day. Times are local (Asia/Shanghai, the project's TIME_ZONE).
"""

import re
from datetime import date, datetime, time, timedelta

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

HOURS_RE = re.compile(r"^([01]\d|2[0-3]):([0-5]\d)-([01]\d|2[0-4]):([0-5]\d)$")
WEEKDAYS = ("周一", "周二", "周三", "周四", "周五", "周六", "周日")


class Amenity(models.TextChoices):
    AIR_CONDITIONING = "ac", "空调"
    WATER = "water", "饮用水"
    MEDICINE = "medicine", "应急药品"
    CHARGER = "charger", "充电"
    MICROWAVE = "microwave", "微波炉"
    TOILET = "toilet", "卫生间"


class Platform(models.TextChoices):
    MEITUAN = "meituan", "美团"
    ELEME = "eleme", "饿了么"
    OTHER = "other", "其他"


def parse_span(text: str) -> tuple[time, time | None] | None:
    """(opens, closes) of "HH:MM-HH:MM"; closes None means midnight (24:00). None if ""."""
    text = (text or "").strip()
    if not text:
        return None
    m = HOURS_RE.match(text)
    if not m:
        raise ValueError(text)
    h1, m1, h2, m2 = (int(g) for g in m.groups())
    if h2 == 24 and m2:
        raise ValueError(text)
    return time(h1, m1), (None if h2 == 24 else time(h2, m2))


def span_covers(span: tuple[time, time | None], at: time, *, tail: bool) -> bool:
    """Whether ``at`` falls in the span: on its own day (tail False) or, for a span running
    past midnight, on the next day (tail True)."""
    opens, closes = span
    overnight = closes is not None and closes <= opens
    if tail:
        return overnight and at < closes
    if closes is None:
        return at >= opens
    if overnight:
        return at >= opens
    return opens <= at < closes


class WarmStation(models.Model):
    name = models.CharField("驿站名称", max_length=100)
    area = models.ForeignKey(
        "core.Area", on_delete=models.PROTECT, related_name="warm_stations", verbose_name="所在区域"
    )
    address = models.CharField("地址", max_length=200)
    lng = models.FloatField("经度")
    lat = models.FloatField("纬度")
    hours = models.JSONField("开放时间", default=list, blank=True)
    amenities = models.JSONField("服务设施", default=list, blank=True)
    host_name = models.CharField("承办单位", max_length=100, blank=True)
    public_phone = models.CharField("对外服务电话", max_length=20, blank=True)
    contact_name = models.CharField("驿站联系人", max_length=50, blank=True)
    phone = models.CharField("联系人手机号", max_length=11, blank=True)
    note = models.CharField("说明", max_length=200, blank=True)
    active = models.BooleanField("启用", default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "暖心驿站"
        verbose_name_plural = verbose_name
        ordering = ["area__code", "name"]
        constraints = [
            models.UniqueConstraint(fields=["area", "name"], name="stations_station_area_name"),
        ]

    def __str__(self) -> str:
        return self.name

    def spans(self) -> list:
        """Seven parsed spans, Monday first (None for a closed day)."""
        days = list(self.hours or [])[:7] + [""] * (7 - len(self.hours or []))
        return [parse_span(d) for d in days]

    def is_open_at(self, moment: datetime) -> bool:
        local = timezone.localtime(moment)
        spans = self.spans()
        today = spans[local.weekday()]
        yesterday = spans[(local.weekday() - 1) % 7]
        at = local.time()
        return bool(
            (today and span_covers(today, at, tail=False))
            or (yesterday and span_covers(yesterday, at, tail=True))
        )

    def hours_rows(self) -> list[tuple[str, str]]:
        days = list(self.hours or [])[:7] + [""] * (7 - len(self.hours or []))
        return [(WEEKDAYS[i], d or "休息") for i, d in enumerate(days)]

    def hours_today(self, moment: datetime) -> str:
        days = list(self.hours or [])[:7] + [""] * (7 - len(self.hours or []))
        return days[timezone.localtime(moment).weekday()] or "今日休息"

    def amenity_labels(self) -> list[tuple[str, str]]:
        labels = dict(Amenity.choices)
        return [(a, labels[a]) for a in Amenity.values if a in (self.amenities or [])]


class CheckIn(models.Model):
    """One visit: a rider's (rider set) or an anonymous visitor's (no personal data at all)."""

    station = models.ForeignKey(WarmStation, on_delete=models.CASCADE, related_name="checkins")
    rider = models.ForeignKey(
        "Rider", null=True, blank=True, on_delete=models.CASCADE, related_name="checkins"
    )
    day = models.DateField("日期", db_index=True)
    at = models.DateTimeField("时间", default=timezone.now)

    class Meta:
        verbose_name = "驿站签到"
        verbose_name_plural = verbose_name
        indexes = [models.Index(fields=["station", "day"], name="stations_checkin_station_day")]

    def __str__(self) -> str:
        return f"{self.station_id} {self.day}"


class Rider(models.Model):
    person = models.ForeignKey(
        "core.Person",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="rider_records",
        verbose_name="人员",
    )
    name = models.CharField("姓名", max_length=50)
    phone = models.CharField("手机号", max_length=11, unique=True)
    platform = models.CharField("平台", max_length=16, choices=Platform.choices)
    area = models.ForeignKey(
        "core.Area", on_delete=models.PROTECT, related_name="riders", verbose_name="所属区域"
    )
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="rider_record",
        verbose_name="骑士账号",
    )
    active = models.BooleanField("在册", default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "骑士"
        verbose_name_plural = verbose_name
        ordering = ["area__code", "name", "id"]

    def __str__(self) -> str:
        return self.name


class GridAppointmentQuerySet(models.QuerySet):
    def current(self, on: date | None = None):
        on = on or timezone.localdate()
        return self.filter(starts_on__lte=on).filter(Q(ends_on__isnull=True) | Q(ends_on__gte=on))


class GridAppointment(models.Model):
    """A rider serving as 兼职网格员 of one grid from ``starts_on`` (to ``ends_on``)."""

    rider = models.ForeignKey(Rider, on_delete=models.CASCADE, related_name="appointments")
    grid = models.ForeignKey(
        "core.Area",
        on_delete=models.PROTECT,
        related_name="rider_appointments",
        verbose_name="网格",
    )
    starts_on = models.DateField("聘任日期")
    ends_on = models.DateField("解聘日期", null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = GridAppointmentQuerySet.as_manager()

    class Meta:
        verbose_name = "兼职网格员聘任"
        verbose_name_plural = verbose_name
        ordering = ["-starts_on", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["rider"],
                condition=Q(ends_on__isnull=True),
                name="stations_one_open_appointment",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.rider} @ {self.grid}"


class PointsEntry(models.Model):
    """Points for one confirmed rider report: at most one row per appeal, ever."""

    rider = models.ForeignKey(Rider, on_delete=models.CASCADE, related_name="points")
    appeal = models.OneToOneField(
        "appeals.Appeal", on_delete=models.PROTECT, related_name="rider_points"
    )
    points = models.PositiveSmallIntegerField("积分")
    reason = models.CharField("事由", max_length=100)
    earned_on = models.DateField("获得日期", db_index=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "骑士积分"
        verbose_name_plural = verbose_name
        ordering = ["-earned_on", "-id"]

    def __str__(self) -> str:
        return f"{self.points} 分"


class Recognition(models.Model):
    rider = models.ForeignKey(Rider, on_delete=models.CASCADE, related_name="recognitions")
    month = models.DateField("月份")  # first day of the month
    title = models.CharField("称号", max_length=30, default="月度之星")
    citation = models.CharField("事迹", max_length=200, blank=True)
    awarded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "骑士表彰"
        verbose_name_plural = verbose_name
        ordering = ["-month", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["rider", "month", "title"], name="stations_recognition_once"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.month:%Y年%m月}{self.title}"


def month_start(d: date) -> date:
    return d.replace(day=1)


def next_month(d: date) -> date:
    return (d.replace(day=28) + timedelta(days=4)).replace(day=1)
