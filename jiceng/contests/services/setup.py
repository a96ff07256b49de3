"""Writes that set a contest up: the contest, its rubric, its rounds and its awards.

Each service checks ``can``, validates (raising ``ValidationFailed`` with a Chinese
message), locks the row it changes and leaves an audit row, all in one transaction.
``by=None`` is the system (the demo loader): it skips the permission check only.
"""

from datetime import date
from decimal import Decimal

from django.db import transaction
from django.db.models import Max

from jiceng.core.audit import audit_record, changes_between
from jiceng.core.clean import clean_decimal, clean_text
from jiceng.core.errors import PermissionDenied, ValidationFailed
from jiceng.core.models import Area

from ..models import (
    AwardBand,
    Contest,
    Criterion,
    Round,
    RoundKind,
    RoundStatus,
    Score,
    ScoreSheet,
    SheetStatus,
)
from ..permissions import can
from .common import lock_row, require_admin


def _scoring_started(contest: Contest) -> bool:
    return Score.objects.filter(sheet__round_entry__round__contest=contest).exists()


def contest_create(*, by, area: Area, name: str, year: int, description: str = "") -> Contest:
    if by is not None and not can(by, "create_contest", area):
        raise PermissionDenied("只有区级管理员可以在其管辖区域内创建大赛。")
    name = clean_text(name, label="大赛名称", field="name", max_length=100)
    description = clean_text(
        description, label="简介", field="description", max_length=2000, required=False
    )
    if not isinstance(year, int) or not 2000 <= year <= 2100:
        raise ValidationFailed("年度须为 2000 到 2100 之间的年份。", field="year")
    if Contest.objects.filter(area=area, year=year, name=name).exists():
        raise ValidationFailed(f"{area.name}已有{year}年的“{name}”。", field="name")
    with transaction.atomic():
        contest = Contest.objects.create(area=area, name=name, year=year, description=description)
        audit_record(
            actor=by,
            action="contests.contest_create",
            obj=contest,
            changes=changes_between({}, {"area": area.code, "name": name, "year": year}),
        )
    return contest


def criterion_add(
    *,
    by,
    contest: Contest,
    name: str,
    weight,
    max_score,
    min_score=0,
    description: str = "",
) -> Criterion:
    require_admin(by, contest)
    name = clean_text(name, label="评分项名称", field="name", max_length=50)
    description = clean_text(
        description, label="评分要点", field="description", max_length=300, required=False
    )
    weight = clean_decimal(weight, label="权重系数", field="weight")
    low = clean_decimal(min_score, label="最低分", field="min_score")
    high = clean_decimal(max_score, label="最高分", field="max_score")
    if weight <= 0 or weight > 100 or weight != weight.quantize(Decimal("0.01")):
        raise ValidationFailed("权重系数须大于 0、不超过 100，最多两位小数。", field="weight")
    if low < 0 or high <= low:
        raise ValidationFailed(
            "分值范围无效：最低分不能小于 0，最高分须大于最低分。", field="max_score"
        )
    if high > 1000 or low != low.quantize(Decimal("0.1")) or high != high.quantize(Decimal("0.1")):
        raise ValidationFailed("分值最多一位小数，最高分不超过 1000。", field="max_score")
    with transaction.atomic():
        locked = lock_row(Contest, contest.pk)
        if _scoring_started(locked):
            raise ValidationFailed("本大赛已开始评分，评分细则不能再修改。")
        if locked.criteria.filter(name=name).exists():
            raise ValidationFailed(f"评分项“{name}”已存在。", field="name")
        sequence = (locked.criteria.aggregate(m=Max("sequence"))["m"] or 0) + 1
        criterion = Criterion.objects.create(
            contest=locked,
            name=name,
            description=description,
            weight=weight,
            min_score=low,
            max_score=high,
            sequence=sequence,
        )
        audit_record(
            actor=by,
            action="contests.criterion_add",
            obj=criterion,
            changes=changes_between(
                {},
                {"contest": locked.pk, "name": name, "weight": weight, "range": f"{low}-{high}"},
            ),
        )
    return criterion


def criterion_delete(*, by, criterion: Criterion) -> None:
    contest = criterion.contest
    require_admin(by, contest)
    with transaction.atomic():
        locked = lock_row(Contest, contest.pk)
        if _scoring_started(locked):
            raise ValidationFailed("本大赛已开始评分，评分细则不能再修改。")
        audit_record(
            actor=by,
            action="contests.criterion_delete",
            obj=criterion,
            changes=changes_between({"name": criterion.name, "weight": criterion.weight}, {}),
        )
        if locked.tie_break_criterion_id == criterion.pk:
            locked.tie_break_criterion = None
            locked.save(update_fields=["tie_break_criterion", "updated_at"])
        criterion.delete()


def tie_break_set(*, by, contest: Contest, criterion: Criterion | None) -> Contest:
    require_admin(by, contest)
    if criterion is not None and criterion.contest_id != contest.pk:
        raise ValidationFailed("同分比较项须为本大赛的评分项。", field="criterion")
    with transaction.atomic():
        locked = lock_row(Contest, contest.pk)
        if ScoreSheet.objects.filter(
            round_entry__round__contest=locked, status=SheetStatus.SUBMITTED
        ).exists():
            raise ValidationFailed("已有提交的评分，同分比较项不能再修改。", field="criterion")
        before = {"tie_break_criterion": locked.tie_break_criterion_id}
        locked.tie_break_criterion = criterion
        locked.save(update_fields=["tie_break_criterion", "updated_at"])
        audit_record(
            actor=by,
            action="contests.tie_break_set",
            obj=locked,
            changes=changes_between(
                before, {"tie_break_criterion": criterion.pk if criterion else None}
            ),
        )
    return locked


def award_band_add(*, by, contest: Contest, name: str, up_to_rank: int | None) -> AwardBand:
    require_admin(by, contest)
    name = clean_text(name, label="奖项名称", field="name", max_length=30)
    if up_to_rank is not None and (not isinstance(up_to_rank, int) or up_to_rank < 1):
        raise ValidationFailed("名次须为正整数；留空表示其余全部。", field="up_to_rank")
    with transaction.atomic():
        locked = lock_row(Contest, contest.pk)
        bands = locked.award_bands.all()
        if bands.filter(name=name).exists():
            raise ValidationFailed(f"奖项“{name}”已存在。", field="name")
        if bands.filter(up_to_rank=up_to_rank).exists() or (
            up_to_rank is None and bands.filter(up_to_rank__isnull=True).exists()
        ):
            raise ValidationFailed("已有奖项覆盖到这一名次。", field="up_to_rank")
        band = AwardBand.objects.create(contest=locked, name=name, up_to_rank=up_to_rank)
        audit_record(
            actor=by,
            action="contests.award_band_add",
            obj=band,
            changes=changes_between({}, {"name": name, "up_to_rank": up_to_rank}),
        )
    return band


def award_band_delete(*, by, band: AwardBand) -> None:
    require_admin(by, band.contest)
    with transaction.atomic():
        audit_record(
            actor=by,
            action="contests.award_band_delete",
            obj=band,
            changes=changes_between({"name": band.name, "up_to_rank": band.up_to_rank}, {}),
        )
        band.delete()


def round_add(
    *,
    by,
    contest: Contest,
    name: str,
    kind: str,
    held_on: date | None = None,
    advance_count: int | None = None,
) -> Round:
    require_admin(by, contest)
    name = clean_text(name, label="轮次名称", field="name", max_length=50)
    if kind not in RoundKind.values:
        raise ValidationFailed("轮次类型无效。", field="kind")
    if advance_count is not None and (not isinstance(advance_count, int) or advance_count < 1):
        raise ValidationFailed("晋级名额须为正整数。", field="advance_count")
    if kind == RoundKind.FINAL and advance_count:
        raise ValidationFailed("决赛没有晋级名额。", field="advance_count")
    with transaction.atomic():
        locked = lock_row(Contest, contest.pk)
        if locked.rounds.filter(kind=RoundKind.FINAL).exists():
            raise ValidationFailed("决赛是最后一轮，之后不能再添加轮次。", field="kind")
        if locked.rounds.filter(name=name).exists():
            raise ValidationFailed(f"轮次“{name}”已存在。", field="name")
        sequence = (locked.rounds.aggregate(m=Max("sequence"))["m"] or 0) + 1
        rnd = Round.objects.create(
            contest=locked,
            name=name,
            kind=kind,
            sequence=sequence,
            held_on=held_on,
            advance_count=advance_count,
        )
        audit_record(
            actor=by,
            action="contests.round_add",
            obj=rnd,
            changes=changes_between(
                {}, {"name": name, "kind": kind, "held_on": held_on, "advance": advance_count}
            ),
        )
    return rnd


def round_status_set(*, by, rnd: Round, status: str) -> Round:
    require_admin(by, rnd.contest)
    if status not in RoundStatus.values:
        raise ValidationFailed("状态无效。", field="status")
    with transaction.atomic():
        locked = lock_row(Round, rnd.pk)
        if locked.status == status:
            return locked
        if status == RoundStatus.SCORING:
            if not locked.contest.criteria.exists():
                raise ValidationFailed("请先设置评分细则，再开始评分。")
            if not ScoreSheet.objects.filter(round_entry__round=locked).exists():
                raise ValidationFailed("本轮还没有参赛项目或评委，不能开始评分。")
        if (
            status == RoundStatus.SETUP
            and ScoreSheet.objects.filter(round_entry__round=locked)
            .exclude(status=SheetStatus.PENDING)
            .exists()
        ):
            raise ValidationFailed("本轮已有评分，不能退回筹备状态。")
        before = {"status": locked.status}
        locked.status = status
        locked.save(update_fields=["status", "updated_at"])
        audit_record(
            actor=by,
            action="contests.round_status",
            obj=locked,
            changes=changes_between(before, {"status": status}),
        )
    return locked
