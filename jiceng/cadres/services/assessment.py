"""Writes of assessments: schemes and their criteria, and the scoring of one person."""

from datetime import date
from decimal import Decimal

from django.db import transaction

from jiceng.core.audit import audit_record, changes_between
from jiceng.core.clean import clean_text
from jiceng.core.errors import ValidationFailed
from jiceng.core.models import Area, AreaKind, Person, Post

from ..models import (
    Assessment,
    AssessmentAudience,
    AssessmentCriterion,
    AssessmentScheme,
    AssessmentScore,
    AssessmentTerm,
)
from ..models.assessment import AUDIENCE_TITLES
from .common import check_score, check_year, require, today


def scheme_create(
    *,
    by,
    name: str,
    area: Area,
    audience: str,
    leader_threshold=None,
    description: str = "",
) -> AssessmentScheme:
    require(by, "organize_in", area, "您无权在该区域制定考评方案。")
    if area.kind not in (AreaKind.DISTRICT, AreaKind.STREET):
        raise ValidationFailed("考评方案由区或街道制定，请选择区或街道。", field="area")
    name = clean_text(name, field="name", label="方案名称", max_length=100)
    if audience not in AssessmentAudience.values:
        raise ValidationFailed("考评对象无效。", field="audience")
    if leader_threshold not in (None, ""):
        leader_threshold = check_score(
            leader_threshold, field="leader_threshold", label="头雁分数线", maximum=Decimal("1000")
        )
    else:
        leader_threshold = None
    if AssessmentScheme.objects.filter(area=area, name=name).exists():
        raise ValidationFailed(f"已有名为“{name}”的考评方案。", field="name")
    values = {
        "name": name,
        "area": area,
        "audience": audience,
        "leader_threshold": leader_threshold,
        "description": (description or "").strip(),
    }
    with transaction.atomic():
        scheme = AssessmentScheme.objects.create(**values)
        audit_record(
            actor=by,
            action="cadres.scheme_create",
            obj=scheme,
            changes=changes_between({}, values),
        )
    return scheme


def criterion_add(*, by, scheme: AssessmentScheme, name: str, max_score) -> AssessmentCriterion:
    """Add a criterion. Only before anyone is scored: earlier totals would stop adding up."""
    require(by, "manage_scheme", scheme, "您无权调整该考评方案。")
    name = clean_text(name, field="name", label="考评项目", max_length=100)
    maximum = check_score(max_score, field="max_score", label="满分", maximum=Decimal("1000"))
    if maximum <= 0:
        raise ValidationFailed("满分应大于 0。", field="max_score")
    with transaction.atomic():
        AssessmentScheme.objects.select_for_update().get(pk=scheme.pk)
        if scheme.assessments.exists():
            raise ValidationFailed("该方案已有考评记录，不能再调整考评项目。", field="name")
        if scheme.criteria.filter(name=name).exists():
            raise ValidationFailed("方案中已有该考评项目。", field="name")
        position = scheme.criteria.count() + 1
        criterion = AssessmentCriterion.objects.create(
            scheme=scheme, name=name, max_score=maximum, position=position
        )
        audit_record(
            actor=by,
            action="cadres.criterion_add",
            obj=criterion,
            changes=changes_between({}, {"scheme": scheme, "name": name, "max_score": maximum}),
        )
    return criterion


def _serving_area(scheme: AssessmentScheme, person: Person, on: date) -> Area:
    post = (
        Post.objects.current(on)
        .filter(person=person, title__in=AUDIENCE_TITLES[scheme.audience])
        .select_related("area")
        .order_by("title", "id")
        .first()
    )
    if post is None or post.area is None:
        raise ValidationFailed(
            f"{person.name}在考评日不担任{scheme.get_audience_display()}，不在该方案考评范围内。",
            field="person",
        )
    return post.area


def assessment_record(
    *,
    by,
    scheme: AssessmentScheme,
    person: Person,
    year: int,
    term: str,
    scores: dict[int, object],
    assessed_on: date | None = None,
    comment: str = "",
) -> Assessment:
    """Score ``person`` on every criterion of the scheme for one period; scoring the same
    period again corrects it. ``scores``: criterion id -> score."""
    assessed_on = assessed_on or today()
    area = _serving_area(scheme, person, assessed_on)
    require(by, "assess_in", area, "您无权考评该社区的人员。")
    year = check_year(year)
    if term not in AssessmentTerm.values:
        raise ValidationFailed("考评周期无效。", field="term")
    criteria = list(scheme.criteria.all())
    if not criteria:
        raise ValidationFailed("该方案尚未设置考评项目。", field="scores")
    if set(scores) != {c.pk for c in criteria}:
        raise ValidationFailed("请为每个考评项目打分。", field="scores")
    checked = {
        c.pk: check_score(scores[c.pk], field=f"score_{c.pk}", label=c.name, maximum=c.max_score)
        for c in criteria
    }
    total = sum(checked.values(), Decimal("0"))
    with transaction.atomic():
        AssessmentScheme.objects.select_for_update().get(pk=scheme.pk)
        assessment = Assessment.objects.filter(
            scheme=scheme, person=person, year=year, term=term
        ).first()
        before = {}
        if assessment is None:
            assessment = Assessment(scheme=scheme, person=person, year=year, term=term)
        else:
            before = {"total": assessment.total, "area": assessment.area}
            before.update({f"c{s.criterion_id}": s.score for s in assessment.scores.all()})
        assessment.area = area
        assessment.total = total
        assessment.assessed_on = assessed_on
        assessment.comment = (comment or "").strip()
        assessment.assessor = by if getattr(by, "is_authenticated", False) else None
        assessment.save()
        assessment.scores.all().delete()
        AssessmentScore.objects.bulk_create(
            AssessmentScore(assessment=assessment, criterion_id=pk, score=value)
            for pk, value in checked.items()
        )
        after = {"total": total, "area": area, **{f"c{pk}": v for pk, v in checked.items()}}
        audit_record(
            actor=by,
            action="cadres.assessment_record",
            obj=assessment,
            changes=changes_between(before, after),
        )
    return assessment
