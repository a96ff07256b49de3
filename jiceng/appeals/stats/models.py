"""Pre-aggregated counts of appeals behind the three rates."""

from django.db import models

# The counts an appeal contributes to its rollup row, in one place so the receiver, the
# rebuild and the selectors agree on the list.
MEASURES = (
    "received",
    "responded_in_time",
    "rejected",
    "solved",
    "partly",
    "unsolved",
    "satisfied",
    "basic",
    "unsatisfied",
    "unrated",
    "reopened",
    "overdue",
    "overdue_gross",
)


class Measures(models.Model):
    """The counts of a rollup row (``MEASURES``)."""

    received = models.IntegerField("受理", default=0)
    responded_in_time = models.IntegerField("按时响应", default=0)
    rejected = models.IntegerField("退回", default=0)
    solved = models.IntegerField("解决", default=0)
    partly = models.IntegerField("部分解决", default=0)
    unsolved = models.IntegerField("未解决", default=0)
    satisfied = models.IntegerField("满意", default=0)
    basic = models.IntegerField("基本满意", default=0)
    unsatisfied = models.IntegerField("不满意", default=0)
    unrated = models.IntegerField("未评价", default=0)
    reopened = models.IntegerField("重启", default=0)
    # Past a limit: resolved after it, or escalated by the sweep. ``overdue`` measures
    # against limits that paused time extends; ``overdue_gross`` counts paused time too.
    overdue = models.IntegerField("超期", default=0)
    overdue_gross = models.IntegerField("超期（含挂起）", default=0)

    class Meta:
        abstract = True


class AppealRollup(Measures):
    """Counts of the appeals received on ``day`` in ``area`` with one category and channel,
    each appeal counted by its current state (a cohort: the day received never changes).

    ``area_code`` copies the area's code (the materialized path) so a subtree and a scope
    are range scans of this table alone. ``category_key`` is the category's id, 0 for none:
    a plain integer so that the unique key holds no NULL (NULLs are distinct in a unique
    constraint on both databases).
    """

    day = models.DateField("受理日期")
    area = models.ForeignKey(
        "core.Area", verbose_name="属地", on_delete=models.PROTECT, related_name="+"
    )
    area_code = models.CharField("属地代码", max_length=21)
    category_key = models.PositiveIntegerField("分类", default=0)
    channel = models.CharField("渠道", max_length=16)

    class Meta:
        verbose_name = "诉求日汇总"
        verbose_name_plural = "诉求日汇总"
        constraints = [
            models.UniqueConstraint(
                fields=["day", "area", "category_key", "channel"], name="appeals_rollup_key"
            ),
        ]
        indexes = [
            models.Index(fields=["day", "area_code"], name="appeals_rollup_day_area"),
            models.Index(fields=["area_code", "day"], name="appeals_rollup_area_day"),
        ]

    def __str__(self) -> str:
        return f"{self.area_code} {self.day} {self.channel} {self.received}"


class AppealMonthRollup(Measures):
    """The day rollups of one area summed by month received: what the monthly three rates
    and rankings read (an area has one row a month, whatever the volume)."""

    month = models.DateField("受理月份")  # the first day of the month
    area = models.ForeignKey(
        "core.Area", verbose_name="属地", on_delete=models.PROTECT, related_name="+"
    )
    area_code = models.CharField("属地代码", max_length=21)

    class Meta:
        verbose_name = "诉求月汇总"
        verbose_name_plural = "诉求月汇总"
        constraints = [
            models.UniqueConstraint(fields=["month", "area"], name="appeals_month_rollup_key"),
        ]
        indexes = [
            models.Index(fields=["month", "area_code"], name="appeals_mrollup_month_area"),
        ]

    def __str__(self) -> str:
        return f"{self.area_code} {self.month:%Y-%m} {self.received}"
