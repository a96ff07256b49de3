"""Villages, their teams (read off posts) and their collective income ledger."""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.db.models import Max, Q, QuerySet, Sum

from jiceng.core import tree
from jiceng.core.errors import NotFound
from jiceng.core.models import Area, AreaKind, Person, Post, PostTitle

from ..models import CollectiveIncome, IncomeModel, Village
from .common import age_on, rural_q

CENT = Decimal("0.01")


def cents(value) -> Decimal:
    """A database sum as 元 with two decimals (SQLite returns sums with more digits)."""
    return Decimal(value).quantize(CENT)


TEAM_TITLES = (
    PostTitle.VILLAGE_SECRETARY,
    PostTitle.VILLAGE_DIRECTOR,
    PostTitle.VILLAGE_COMMITTEE_MEMBER,
)


# ---- villages ---------------------------------------------------------------------------


def village_list_visible_to(*, user, under: Area | None = None) -> QuerySet:
    """Areas of kind village in the user's rural scope (under ``under`` when given)."""
    qs = Area.objects.filter(kind=AreaKind.VILLAGE).filter(rural_q(user, "code"))
    if under is not None:
        qs = qs.filter(tree.subtree_q("code", under.code))
    return qs.order_by("code")


def village_get_for(*, user, code: str) -> Area:
    area = (
        village_list_visible_to(user=user)
        .filter(code=code)
        .select_related("parent", "village_profile")
        .first()
    )
    if area is None:
        raise NotFound("村不存在或不在您的管辖范围内。")
    return area


def profile_of(area: Area) -> Village | None:
    """The village's profile row, or None when none was recorded yet."""
    try:
        return area.village_profile
    except Village.DoesNotExist:
        return None


# ---- teams: the two committees, from posts ----------------------------------------------


@dataclass
class Team:
    """A village's 村“两委” on one day, as its current posts say."""

    on: date
    secretary: Person | None = None
    director: Person | None = None
    members: list[Person] = field(default_factory=list)

    @property
    def one_shoulder(self) -> bool:
        """一肩挑: the party secretary is also the committee director."""
        return bool(self.secretary and self.director and self.secretary.pk == self.director.pk)

    @property
    def people(self) -> list[Person]:
        seen, out = set(), []
        for person in (self.secretary, self.director, *self.members):
            if person is not None and person.pk not in seen:
                seen.add(person.pk)
                out.append(person)
        return out

    @property
    def ages(self) -> list[int]:
        return [age_on(p.birth_date, self.on) for p in self.people if p.birth_date]

    @property
    def average_age(self) -> Decimal | None:
        ages = self.ages
        return Decimal(sum(ages)) / len(ages) if ages else None

    def age_of(self, person: Person) -> int | None:
        return age_on(person.birth_date, self.on) if person.birth_date else None


def village_teams(
    *, user, on: date, area_ids: list[int] | None = None, under: Area | None = None
) -> dict[int, Team]:
    """Area id -> ``Team`` on ``on`` for the villages in the user's scope given by id or
    lying under ``under``. Should two people hold the same title at once, the one who took
    it last counts."""
    posts = (
        Post.objects.current(on)
        .filter(title__in=TEAM_TITLES, area__kind=AreaKind.VILLAGE)
        .filter(rural_q(user))
    )
    if area_ids is not None:
        posts = posts.filter(area_id__in=area_ids)
    if under is not None:
        posts = posts.filter(tree.subtree_q("area__code", under.code))
    teams: dict[int, Team] = defaultdict(lambda: Team(on=on))
    for post in posts.select_related("person").order_by("starts_on", "id"):
        team = teams[post.area_id]
        if post.title == PostTitle.VILLAGE_SECRETARY:
            team.secretary = post.person
        elif post.title == PostTitle.VILLAGE_DIRECTOR:
            team.director = post.person
        elif all(m.pk != post.person_id for m in team.members):
            team.members.append(post.person)
    for team in teams.values():
        leaders = {p.pk for p in (team.secretary, team.director) if p}
        team.members = [m for m in team.members if m.pk not in leaders]
    return dict(teams)


# ---- the ledger -------------------------------------------------------------------------


def income_list_visible_to(*, user, under: Area | None = None) -> QuerySet:
    qs = CollectiveIncome.objects.filter(rural_q(user)).filter(area__kind=AreaKind.VILLAGE)
    if under is not None:
        qs = qs.filter(tree.subtree_q("area__code", under.code))
    return qs


def income_get_for(*, user, pk: int) -> CollectiveIncome:
    row = income_list_visible_to(user=user).filter(pk=pk).select_related("area").first()
    if row is None:
        raise NotFound("台账记录不存在或不在您的管辖范围内。")
    return row


def income_rows_of_village(*, user, area: Area) -> QuerySet:
    return income_list_visible_to(user=user).filter(area=area).order_by("-year", "model", "source")


def ledger_years(*, user, under: Area | None) -> list[int]:
    """The years with at least one ledger line under ``under``, newest first."""
    return list(
        income_list_visible_to(user=user, under=under)
        .order_by("-year")
        .values_list("year", flat=True)
        .distinct()
    )


def latest_ledger_year(*, user, under: Area | None) -> int | None:
    return income_list_visible_to(user=user, under=under).aggregate(y=Max("year"))["y"]


def village_income_totals(*, user, under: Area, year: int) -> dict[int, Decimal]:
    """Area id -> the year's total, for the villages that have a ledger for the year."""
    rows = (
        income_list_visible_to(user=user, under=under)
        .filter(year=year)
        .values("area_id")
        .annotate(total=Sum("amount"))
        .order_by()
    )
    return {r["area_id"]: cents(r["total"]) for r in rows}


def village_income_matrix(
    *, user, under: Area | None, years=None, area_ids: list[int] | None = None
) -> dict[int, dict[int, Decimal]]:
    """Area id -> {year: total} over the given years (all years when None), for the
    villages under ``under`` or with the given ids."""
    qs = income_list_visible_to(user=user, under=under)
    if area_ids is not None:
        qs = qs.filter(area_id__in=area_ids)
    if years is not None:
        qs = qs.filter(year__in=list(years))
    matrix: dict[int, dict[int, Decimal]] = defaultdict(dict)
    for r in qs.values("area_id", "year").annotate(total=Sum("amount")).order_by():
        matrix[r["area_id"]][r["year"]] = cents(r["total"])
    return dict(matrix)


def income_by_model(*, user, under: Area, year: int) -> dict[str, Decimal]:
    """Model -> the year's income of that model (0 for a model without lines); empty when
    the year has no ledger line at all (missing, not zero)."""
    sums = dict(
        income_list_visible_to(user=user, under=under)
        .filter(year=year)
        .values("model")
        .annotate(total=Sum("amount"))
        .order_by()
        .values_list("model", "total")
    )
    if not sums:
        return {}
    return {m: cents(sums.get(m, 0)) for m in IncomeModel.values}


@dataclass(frozen=True)
class IncomeFacts:
    """A year's ledger over the villages an area holds (as the user sees them).

    ``totals`` has only the villages with a ledger for the year: those without one are
    ``missing``, and shares are taken over ``with_ledger``, never over all villages."""

    year: int | None
    villages: int
    totals: dict[int, Decimal]

    @property
    def with_ledger(self) -> int:
        return len(self.totals)

    @property
    def missing(self) -> int:
        return self.villages - self.with_ledger

    @property
    def total(self) -> Decimal:
        return sum(self.totals.values(), Decimal(0))

    def at_or_above(self, threshold: Decimal) -> int:
        return sum(1 for t in self.totals.values() if t >= threshold)

    def below(self, floor: Decimal) -> int:
        return sum(1 for t in self.totals.values() if t < floor)


def income_facts(*, user, under: Area, year: int | None) -> IncomeFacts:
    villages = village_list_visible_to(user=user, under=under).count()
    if year is None:
        return IncomeFacts(None, villages, {})
    return IncomeFacts(year, villages, village_income_totals(user=user, under=under, year=year))


def income_growth(*, user, under: Area, year: int) -> tuple[Decimal, Decimal, int]:
    """(this year's total, last year's total, villages compared) over the villages with a
    ledger in both years, so that a village joining the ledger is not counted as growth."""
    matrix = village_income_matrix(user=user, under=under, years=[year - 1, year])
    both = [m for m in matrix.values() if year in m and year - 1 in m]
    now = sum((m[year] for m in both), Decimal(0))
    before = sum((m[year - 1] for m in both), Decimal(0))
    return now, before, len(both)


def demonstration_count(*, user, under: Area, year: int) -> tuple[int, int]:
    """(demonstration villages designated by the end of ``year``, villages)."""
    villages = village_list_visible_to(user=user, under=under)
    designated = villages.filter(
        ~Q(village_profile__demonstration_level=""),
        village_profile__demonstration_year__lte=year,
    ).count()
    return designated, villages.count()
