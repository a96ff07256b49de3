"""Demo assessments: the district's scheme for community secretaries (头雁 line 90) scored
for 2023, and 杆石桥街道's scheme for its community workers."""

from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from jiceng.core.models import Area, PostTitle

from ..models import (
    Assessment,
    AssessmentAudience,
    AssessmentCriterion,
    AssessmentScheme,
    AssessmentScore,
    AssessmentTerm,
)
from .common import DEMO_STREET, current_posts, district, host_codes, rng

SECRETARY_SCHEME = "社区党组织书记年度考评（经纬雁阵）"
SECRETARY_CRITERIA = (
    ("抓党建促治理", 30),
    ("服务群众", 25),
    ("红色物业与网格治理", 25),
    ("群众满意度", 20),
)
WORKER_SCHEME = "杆石桥街道社区工作者年度考评"
WORKER_CRITERIA = (("工作实绩", 40), ("工作作风", 30), ("群众评价", 30))
LEADER_THRESHOLD = Decimal("90")
YEAR = 2023
ASSESSED_ON = date(2024, 1, 19)
# Served most of the year: only people in post by then are assessed for it.
SERVING_SINCE = date(2023, 7, 1)
HALF = Decimal("0.5")


def _scheme(
    name: str, area: Area, audience: str, criteria, threshold
) -> tuple[AssessmentScheme, int]:
    scheme, new = AssessmentScheme.objects.get_or_create(
        area=area,
        name=name,
        defaults={
            "audience": audience,
            "leader_threshold": threshold,
            "description": "按年度考评，结果作为评先评优、挂职导师和择优选配的重要依据。",
        },
    )
    created = int(new)
    for position, (label, maximum) in enumerate(criteria, start=1):
        created += AssessmentCriterion.objects.get_or_create(
            scheme=scheme,
            name=label,
            defaults={"max_score": Decimal(maximum), "position": position},
        )[1]
    return scheme, created


def _split(total: float, criteria: list[AssessmentCriterion], r) -> list[Decimal]:
    """Scores per criterion near ``total`` percent of each maximum, in half points."""
    out = []
    for c in criteria:
        share = min(1.0, max(0.5, total / 100 + r.uniform(-0.04, 0.04)))
        value = (Decimal(str(share)) * c.max_score / HALF).quantize(
            Decimal("1"), rounding=ROUND_HALF_UP
        ) * HALF
        out.append(min(value, c.max_score))
    return out


def _score(scheme: AssessmentScheme, posts, target) -> int:
    criteria = list(scheme.criteria.order_by("position"))
    done = set(
        Assessment.objects.filter(scheme=scheme, year=YEAR, term=AssessmentTerm.ANNUAL).values_list(
            "person_id", flat=True
        )
    )
    rows, scores = [], []
    for post in posts:
        if post.person_id in done or post.starts_on > SERVING_SINCE:
            continue
        done.add(post.person_id)
        r = rng("assessment", scheme.name, post.area.code, post.title, post.person.name)
        values = _split(target(post, r), criteria, r)
        assessment = Assessment(
            scheme=scheme,
            person=post.person,
            area=post.area,
            year=YEAR,
            term=AssessmentTerm.ANNUAL,
            total=sum(values, Decimal("0")),
            assessed_on=ASSESSED_ON,
        )
        rows.append(assessment)
        scores.append(values)
    Assessment.objects.bulk_create(rows)
    AssessmentScore.objects.bulk_create(
        AssessmentScore(assessment=a, criterion=c, score=v)
        for a, values in zip(rows, scores, strict=True)
        for c, v in zip(criteria, values, strict=True)
    )
    return len(rows) * (1 + len(criteria))


def load_assessments() -> int:
    secretaries, created = _scheme(
        SECRETARY_SCHEME,
        district(),
        AssessmentAudience.COMMUNITY_SECRETARIES,
        SECRETARY_CRITERIA,
        LEADER_THRESHOLD,
    )
    hosts = set(host_codes())

    def secretary_target(post, r) -> float:
        # The mentors are the district's excellent secretaries: well over the 头雁 line.
        if post.area.code in hosts:
            return r.uniform(94, 98)
        return max(66.0, min(93.0, r.gauss(83, 5)))

    created += _score(
        secretaries,
        current_posts(PostTitle.COMMUNITY_SECRETARY, ASSESSED_ON),
        secretary_target,
    )

    workers, n = _scheme(
        WORKER_SCHEME,
        Area.objects.get(code=DEMO_STREET),
        AssessmentAudience.COMMUNITY_WORKERS,
        WORKER_CRITERIA,
        None,
    )
    created += n
    street_posts = [
        p
        for title in (PostTitle.COMMUNITY_DEPUTY, PostTitle.COMMUNITY_WORKER)
        for p in current_posts(title, ASSESSED_ON)
        if p.area.code.startswith(DEMO_STREET)
    ]
    created += _score(workers, street_posts, lambda post, r: max(62.0, min(96.0, r.gauss(82, 6))))
    return created
