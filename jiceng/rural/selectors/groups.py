"""跨村联建 and consortia: joint committees and consortia are ``party.PartyOrg`` rows of kind
joint_committee / consortium whose covered areas are their member villages. Their facts are
read over the member villages the user sees."""

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Exists, OuterRef, Q, QuerySet

from jiceng.core.errors import NotFound
from jiceng.core.models import Area, AreaKind
from jiceng.party.models import PartyOrg, PartyOrgKind

from ..models import Pairing, Village
from .common import rural_q, year_end
from .villages import Team, village_income_matrix, village_teams

GROUP_KINDS = (PartyOrgKind.JOINT_COMMITTEE, PartyOrgKind.CONSORTIUM)


def group_list_visible_to(*, user) -> QuerySet:
    """Joint committees and consortia based in the user's scope or covering a village in it."""
    through = PartyOrg.covered_areas.through
    covers_here = through.objects.filter(partyorg_id=OuterRef("pk")).filter(
        rural_q(user, "area__code")
    )
    return (
        PartyOrg.objects.filter(kind__in=GROUP_KINDS)
        .filter(Q(rural_q(user)) | Q(Exists(covers_here)))
        .select_related("area")
        .order_by("path")
    )


def group_get_for(*, user, pk: int) -> PartyOrg:
    row = group_list_visible_to(user=user).filter(pk=pk).first()
    if row is None:
        raise NotFound("联合党委或党建联合体不存在或不在您的管辖范围内。")
    return row


def group_villages(*, user, group: PartyOrg) -> tuple[list[Area], int]:
    """(the member villages the user sees, all member villages)."""
    members = group.covered_areas.filter(kind=AreaKind.VILLAGE)
    visible = list(members.filter(rural_q(user, "code")).select_related("parent").order_by("code"))
    return visible, members.count()


@dataclass
class MemberFacts:
    area: Area
    team: Team
    demonstration: Village | None
    income: Decimal | None
    previous_income: Decimal | None


@dataclass
class GroupFacts:
    """A group's facts for a year over its member villages: 一肩挑, team age, demonstration
    villages (designated by the year's end) and collective income (villages without a
    ledger for the year are missing, not zero)."""

    year: int
    members: list[MemberFacts]
    total_members: int

    @property
    def villages(self) -> int:
        return len(self.members)

    @property
    def one_shoulder(self) -> int:
        return sum(1 for m in self.members if m.team.one_shoulder)

    @property
    def team_ages(self) -> list[int]:
        return [age for m in self.members for age in m.team.ages]

    @property
    def average_age(self) -> Decimal | None:
        ages = self.team_ages
        return Decimal(sum(ages)) / len(ages) if ages else None

    @property
    def demonstration(self) -> int:
        return sum(1 for m in self.members if m.demonstration is not None)

    @property
    def with_ledger(self) -> int:
        return sum(1 for m in self.members if m.income is not None)

    @property
    def missing(self) -> int:
        return self.villages - self.with_ledger

    @property
    def income(self) -> Decimal:
        return sum((m.income for m in self.members if m.income is not None), Decimal(0))

    @property
    def income_per_village(self) -> Decimal | None:
        return self.income / self.with_ledger if self.with_ledger else None


def village_group_facts(*, user, villages: list[Area], total: int, year: int) -> GroupFacts:
    """Facts of a set of villages the user sees (three queries)."""
    on = year_end(year)
    ids = [v.pk for v in villages]
    teams = village_teams(user=user, on=on, area_ids=ids)
    profiles = {
        p.area_id: p
        for p in Village.objects.filter(area_id__in=ids)
        if p.demonstration_level and p.demonstration_year <= year
    }
    matrix = village_income_matrix(user=user, under=None, years=[year - 1, year], area_ids=ids)
    members = [
        MemberFacts(
            area=v,
            team=teams.get(v.pk, Team(on=on)),
            demonstration=profiles.get(v.pk),
            income=matrix.get(v.pk, {}).get(year),
            previous_income=matrix.get(v.pk, {}).get(year - 1),
        )
        for v in villages
    ]
    return GroupFacts(year=year, members=members, total_members=total)


def groups_facts(*, user, groups: list[PartyOrg], year: int) -> dict[int, GroupFacts]:
    """Group id -> its facts, for many groups at once (five queries in all)."""
    through = PartyOrg.covered_areas.through
    links = list(
        through.objects.filter(partyorg_id__in=[g.pk for g in groups], area__kind=AreaKind.VILLAGE)
        .select_related("area__parent")
        .order_by("area__code")
    )
    visible_q = rural_q(user, "code")
    visible = set(
        Area.objects.filter(visible_q, pk__in={link.area_id for link in links}).values_list(
            "pk", flat=True
        )
    )
    villages = {link.area_id: link.area for link in links if link.area_id in visible}
    facts = village_group_facts(user=user, villages=list(villages.values()), total=0, year=year)
    by_area = {m.area.pk: m for m in facts.members}
    out = {}
    for group in groups:
        mine = [link for link in links if link.partyorg_id == group.pk]
        members = [by_area[link.area_id] for link in mine if link.area_id in by_area]
        out[group.pk] = GroupFacts(year=year, members=members, total_members=len(mine))
    return out


def pairing_list_for(*, user, group: PartyOrg) -> QuerySet:
    """The group's pairings whose two villages the user both sees."""
    return (
        Pairing.objects.filter(group=group)
        .filter(rural_q(user, "leading__code"), rural_q(user, "paired__code"))
        .select_related("leading", "paired")
        .order_by("ended_on", "kind", "started_on", "id")
    )


def pairing_get_for(*, user, pk: int) -> Pairing:
    row = (
        Pairing.objects.filter(group__in=group_list_visible_to(user=user))
        .filter(rural_q(user, "leading__code"), rural_q(user, "paired__code"))
        .filter(pk=pk)
        .select_related("group__area", "leading", "paired")
        .first()
    )
    if row is None:
        raise NotFound("结对记录不存在或不在您的管辖范围内。")
    return row
