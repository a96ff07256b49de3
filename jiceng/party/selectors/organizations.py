"""Reads of the organizations register, its coverage and the demonstration points, each
filtered by the acting user's scope (the organization's registered area)."""

from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Avg, Case, Count, IntegerField, Q, QuerySet, Value, When
from django.db.models.functions import Substr

from jiceng.core import access, tree
from jiceng.core.errors import NotFound
from jiceng.core.models import Area, AreaKind
from jiceng.core.scope import scope_of

from ..models import (
    OWN_BRANCH_THRESHOLD,
    TWO_NEW_KINDS,
    DemoLevel,
    DemonstrationPoint,
    Organization,
    OrganizationKind,
    PartyOrg,
    PartyOrgKind,
    PartyStatus,
)

STREET_CODE_LENGTH = 9

# The organization's status and the rule "3 or more full members ⇒ own branch", as Q.
NO_PARTY_ORG_Q = Q(party_org__isnull=True)
JOINT_Q = Q(party_org__kind=PartyOrgKind.JOINT_BRANCH)
OWN_Q = Q(party_org__isnull=False) & ~JOINT_Q
MUST_BUILD_Q = Q(full_members__gte=OWN_BRANCH_THRESHOLD) & ~OWN_Q
COVERED_Q = ~NO_PARTY_ORG_Q & ~MUST_BUILD_Q

STATUS_Q = {PartyStatus.OWN_BRANCH: OWN_Q, PartyStatus.JOINT_BRANCH: JOINT_Q}
STATUS_Q[PartyStatus.NONE] = NO_PARTY_ORG_Q

GAPS = {"build": "应单独建立党组织", "uncovered": "未被党组织覆盖", "any": "全部待整改"}
GAP_Q = {"build": MUST_BUILD_Q, "uncovered": NO_PARTY_ORG_Q, "any": ~COVERED_Q}

# Which kinds a coverage figure counts: property companies, or the two-new organizations.
GROUPS = {
    "property": (OrganizationKind.PROPERTY,),
    "two_new": TWO_NEW_KINDS,
}


def organization_list_visible_to(
    *,
    user,
    under: Area | None = None,
    kinds=None,
    status: str = "",
    gap: str = "",
    covered: bool | None = None,
    text: str = "",
) -> QuerySet:
    qs = Organization.objects.filter(scope_of(user).module_q("party", "area__code"))
    if under is not None:
        qs = qs.filter(tree.subtree_q("area__code", under.code))
    if kinds:
        qs = qs.filter(kind__in=list(kinds))
    if status in STATUS_Q:
        qs = qs.filter(STATUS_Q[status])
    if gap in GAP_Q:
        qs = qs.filter(GAP_Q[gap])
    if covered is not None:
        qs = qs.filter(COVERED_Q if covered else ~COVERED_Q)
    if text := text.strip():
        qs = qs.filter(Q(name__contains=text) | Q(credit_code=text.upper()))
    return qs.select_related("area", "party_org").order_by("area__code", "name", "pk")


def organization_get_for(*, user, pk: int) -> Organization:
    org = (
        organization_list_visible_to(user=user)
        .filter(pk=pk)
        .prefetch_related("compounds", "demonstration_points")
        .first()
    )
    if org is None:
        raise NotFound("组织不存在或不在您的管辖范围内。")
    return org


def branch_choices_for(*, user) -> QuerySet:
    """Party organizations an organization can belong to: branches visible to the user."""
    kinds = [
        PartyOrgKind.ENTERPRISE_BRANCH,
        PartyOrgKind.JOINT_BRANCH,
        PartyOrgKind.BRANCH,
        PartyOrgKind.GENERAL_BRANCH,
    ]
    return (
        PartyOrg.objects.filter(
            scope_of(user).party_q("path", "area__code", roles=access.area_roles("party")),
            kind__in=kinds,
        )
        .select_related("area")
        .order_by("path")
    )


def organization_sharing_branch(*, party_org: PartyOrg, exclude_pk: int | None) -> bool:
    """Whether another organization already has this (non-joint) branch as its own."""
    qs = Organization.objects.filter(party_org=party_org)
    if exclude_pk is not None:
        qs = qs.exclude(pk=exclude_pk)
    return qs.exists()


# ---- coverage -----------------------------------------------------------------------------


@dataclass
class CoverageCell:
    total: int = 0
    covered: int = 0
    must_build: int = 0
    uncovered: int = 0

    @property
    def rate(self) -> float | None:
        return None if not self.total else self.covered / self.total

    @property
    def percent(self) -> str:
        return "—" if self.rate is None else f"{self.rate * 100:.1f}%"


@dataclass
class CoverageRow:
    area: Area | None  # a street; None for the total
    in_scope: bool = True
    link_code: str = ""
    cells: dict[str, CoverageCell] = field(
        default_factory=lambda: {g: CoverageCell() for g in GROUPS}
    )


def coverage_counts(*, user, under: Area | None, group: str) -> CoverageCell:
    counts = organization_list_visible_to(user=user, under=under, kinds=GROUPS[group]).aggregate(
        total=Count("pk"),
        covered=Count("pk", filter=COVERED_Q),
        must_build=Count("pk", filter=MUST_BUILD_Q),
        uncovered=Count("pk", filter=NO_PARTY_ORG_Q),
    )
    return CoverageCell(**counts)


def coverage_by_street(*, user, under: Area | None) -> tuple[list[CoverageRow], CoverageRow]:
    """Per street (of the organizations' registered areas) and in total: how many property
    companies and two-new organizations there are, how many are covered as the rule wants,
    how many must build their own branch and how many have no party organization."""
    rows = (
        organization_list_visible_to(user=user, under=under)
        .annotate(street=Substr("area__code", 1, STREET_CODE_LENGTH))
        .values("street", "kind")
        .annotate(
            total=Count("pk"),
            covered=Count("pk", filter=COVERED_Q),
            must_build=Count("pk", filter=MUST_BUILD_Q),
            uncovered=Count("pk", filter=NO_PARTY_ORG_Q),
        )
        .order_by("street")
    )
    group_of = {kind: g for g, kinds in GROUPS.items() for kind in kinds}
    by_street: dict[str, CoverageRow] = {}
    total = CoverageRow(area=None)
    for r in rows:
        row = by_street.setdefault(r["street"], CoverageRow(area=None))
        for target in (row.cells[group_of[r["kind"]]], total.cells[group_of[r["kind"]]]):
            target.total += r["total"]
            target.covered += r["covered"]
            target.must_build += r["must_build"]
            target.uncovered += r["uncovered"]
    streets = Area.objects.in_bulk(list(by_street), field_name="code")
    scope = scope_of(user)
    out = []
    for code, row in by_street.items():
        row.area = streets.get(code)
        if row.area is not None and row.area.kind == AreaKind.STREET:
            # A street wider than the user's scope is not a filter they may use: their
            # links then keep the page's own filter.
            row.in_scope = scope.covers_for("party", code)
            row.link_code = code if row.in_scope else (under.code if under else "")
            out.append(row)
    return out, total


# ---- demonstration points ---------------------------------------------------------------

# Province first, then city, then district.
LEVEL_RANK = Case(
    *(When(level=lv, then=Value(i)) for i, lv in enumerate(DemoLevel.values)),
    output_field=IntegerField(),
)


def point_list_visible_to(
    *,
    user,
    under: Area | None = None,
    level: str = "",
    year: int | None = None,
    until_year: int | None = None,
) -> QuerySet:
    qs = DemonstrationPoint.objects.filter(
        scope_of(user).module_q("party", "organization__area__code")
    )
    if under is not None:
        qs = qs.filter(tree.subtree_q("organization__area__code", under.code))
    if level in DemoLevel.values:
        qs = qs.filter(level=level)
    if year is not None:
        qs = qs.filter(year=year)
    if until_year is not None:
        qs = qs.filter(year__lte=until_year)
    return qs.select_related("organization", "organization__area")


def point_list_with_progress(**kwargs) -> QuerySet:
    return (
        point_list_visible_to(**kwargs)
        .annotate(
            measure_count=Count("measures"),
            progress=Avg("measures__percent"),
            level_rank=LEVEL_RANK,
        )
        .order_by("level_rank", "-year", "organization__name", "pk")
    )


def point_counts(*, user, under: Area | None = None) -> dict:
    """Counts by level and year: ``{"levels": {level: n}, "years": [(year, {level: n},
    total)], "total": n}``."""
    rows = (
        point_list_visible_to(user=user, under=under)
        .values("level", "year")
        .annotate(n=Count("pk"))
        .order_by()
    )
    levels = {lv: 0 for lv in DemoLevel.values}
    years: dict[int, dict[str, int]] = defaultdict(lambda: {lv: 0 for lv in DemoLevel.values})
    for r in rows:
        levels[r["level"]] += r["n"]
        years[r["year"]][r["level"]] += r["n"]
    return {
        "levels": [(DemoLevel(lv).label, lv, n) for lv, n in levels.items()],
        "years": [
            (y, [c[lv] for lv in DemoLevel.values], sum(c.values()))
            for y, c in sorted(years.items())
        ],
        "total": sum(levels.values()),
    }


def point_get_for(*, user, pk: int) -> DemonstrationPoint:
    point = (
        point_list_visible_to(user=user)
        .filter(pk=pk)
        .select_related("organization__party_org")
        .prefetch_related("measures")
        .first()
    )
    if point is None:
        raise NotFound("示范点不存在或不在您的管辖范围内。")
    return point


def plan_progress(measures) -> int | None:
    """The plan's progress: the mean of its measures' percentages (None without measures)."""
    measures = list(measures)
    if not measures:
        return None
    return round(sum(m.percent for m in measures) / len(measures))


def measure_get_for(*, user, pk: int):
    from ..models import PlanMeasure

    measure = (
        PlanMeasure.objects.filter(
            scope_of(user).module_q("party", "point__organization__area__code"), pk=pk
        )
        .select_related("point", "point__organization", "point__organization__area")
        .first()
    )
    if measure is None:
        raise NotFound("措施不存在或不在您的管辖范围内。")
    return measure
