"""Every read of campaigns and brands, filtered by the acting user's scope.

A brand is visible when its community lies in the user's scope, or when the user's scope
lies inside that community (a grid steward sees the brand of the community their grid
belongs to). The brand wall is the district's showcase, shown under the user's scope.
"""

from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, Prefetch, Q, QuerySet, Sum

from jiceng.core import access, tree
from jiceng.core.errors import NotFound
from jiceng.core.indicator_registry import Period
from jiceng.core.models import CODE_LENGTH, Area, AreaKind, User
from jiceng.core.roles import EDITOR_ROLES, Role
from jiceng.core.scope import scope_of

from .models import (
    Brand,
    BrandPhoto,
    Campaign,
    Criterion,
    Echelon,
    Evaluation,
    EvaluationScore,
    PanelMember,
)
from .permissions import can

COMMUNITY_CODE_LENGTH = CODE_LENGTH[AreaKind.COMMUNITY]


def _panel_campaigns(user) -> QuerySet:
    return PanelMember.objects.filter(user=user).values("campaign")


def _brand_scope_q(user) -> Q:
    scope = scope_of(user)
    area_roles = access.area_roles("brands")
    q = scope.areas_q("area__code", roles=area_roles)
    if scope.is_superuser:
        return q
    # Communities that hold a scope root below them (grid, compound, building scopes).
    containing = {
        code[:COMMUNITY_CODE_LENGTH]
        for code in scope.area_codes(area_roles)
        if len(code) > COMMUNITY_CODE_LENGTH
    }
    if containing:
        q |= Q(area__code__in=sorted(containing))
    own_roles = scope.reach_roles("brands", access.OWN)
    if own_roles:
        # A panel member reads the brands of its campaigns inside its assignment's area.
        q |= Q(campaign__in=_panel_campaigns(user)) & scope.areas_q("area__code", roles=own_roles)
    return q


def _brands_in_scope(user) -> QuerySet:
    if not can(user, "view"):
        return Brand.objects.none()
    return Brand.objects.filter(_brand_scope_q(user))


# ---- campaigns ---------------------------------------------------------------------------


def campaign_list_visible_to(*, user) -> QuerySet:
    """Campaigns are district-wide settings: every role that reads brands area-wide sees
    them all; a panel member without such a role only the campaigns it sits on."""
    if not can(user, "view"):
        return Campaign.objects.none()
    qs = Campaign.objects.order_by("-year")
    scope = scope_of(user)
    if scope.is_superuser or scope.reach_roles("brands", access.AREA):
        return qs
    return qs.filter(pk__in=_panel_campaigns(user))


def brand_counts_by_campaign(*, user) -> dict[int, int]:
    """Campaign id -> number of its brands within the user's scope."""
    return dict(
        _brands_in_scope(user)
        .order_by()
        .values("campaign")
        .annotate(n=Count("pk"))
        .values_list("campaign", "n")
    )


def campaign_get_for(*, user, pk: int) -> Campaign:
    campaign = (
        campaign_list_visible_to(user=user)
        .filter(pk=pk)
        .prefetch_related(
            Prefetch("criteria", queryset=Criterion.objects.order_by("order", "id")),
            Prefetch("panel", queryset=PanelMember.objects.select_related("user__person")),
        )
        .first()
    )
    if campaign is None:
        raise NotFound("该一街一品行动不存在。")
    return campaign


def campaign_for_wall(*, user, year: int | None) -> Campaign | None:
    """The campaign of ``year``, else the latest one (None when there is none)."""
    qs = campaign_list_visible_to(user=user)
    if year is not None:
        found = qs.filter(year=year).first()
        if found is not None:
            return found
    return qs.first()


def campaign_has_sheets(*, campaign: Campaign) -> bool:
    return Evaluation.objects.filter(brand__campaign=campaign).exists()


def campaign_full_marks(*, campaign: Campaign) -> Decimal:
    return sum((c.max_score for c in campaign.criteria.all()), Decimal(0))


# ---- brands ------------------------------------------------------------------------------


def brand_list_visible_to(
    *, user, campaign: Campaign | None = None, under: Area | None = None
) -> QuerySet:
    qs = _brands_in_scope(user)
    if campaign is not None:
        qs = qs.filter(campaign=campaign)
    if under is not None:
        qs = qs.filter(tree.subtree_q("area__code", under.code))
    return qs.select_related("campaign", "area__parent").with_score()


def brand_get_for(*, user, pk: int) -> Brand:
    brand = (
        brand_list_visible_to(user=user)
        .filter(pk=pk)
        .prefetch_related(Prefetch("photos", queryset=BrandPhoto.objects.order_by("id")))
        .first()
    )
    if brand is None:
        raise NotFound("品牌不存在或不在您的管辖范围内。")
    return brand


def _by_score(brands: list[Brand]) -> list[Brand]:
    return sorted(brands, key=lambda b: (b.score is None, -(b.score or 0), b.area.code))


@dataclass
class WallGroup:
    echelon: str
    label: str
    brands: list[Brand] = field(default_factory=list)


def brand_wall(*, user, campaign: Campaign) -> list[WallGroup]:
    """The campaign's visible brands grouped 引领, 先行, 跟进 (then 待评审), best first,
    each with its photos."""
    brands = _by_score(
        list(
            brand_list_visible_to(user=user, campaign=campaign).prefetch_related(
                Prefetch("photos", queryset=BrandPhoto.objects.order_by("id"))
            )
        )
    )
    groups = [WallGroup(e.value, e.label) for e in Echelon] + [WallGroup("", "待评审")]
    by_key = {g.echelon: g for g in groups}
    for brand in brands:
        by_key[brand.echelon or ""].brands.append(brand)
    return [g for g in groups if g.brands or g.echelon]


def brand_results(*, user, campaign: Campaign) -> list[Brand]:
    """The visible brands ranked by score (ties share a rank), unscored ones last."""
    brands = _by_score(list(brand_list_visible_to(user=user, campaign=campaign)))
    rank, previous = 0, None
    for position, brand in enumerate(brands, start=1):
        if brand.score != previous:
            rank, previous = position, brand.score
        brand.rank = rank if brand.score is not None else None
    return brands


@dataclass(frozen=True)
class EchelonCount:
    echelon: str
    label: str
    count: int


def echelon_counts(*, brands) -> list[EchelonCount]:
    """How many of the brands stand in each echelon, 引领 first."""
    echelons = [b.echelon for b in brands]
    return [EchelonCount(e.value, e.label, echelons.count(e.value)) for e in Echelon]


def brands_in_period(*, user, area: Area, period: Period) -> QuerySet:
    """Visible brands under ``area`` of the campaigns whose year lies in the period (all
    campaigns for all time)."""
    qs = brand_list_visible_to(user=user, under=area)
    if not period.is_all_time:
        qs = qs.filter(campaign__year__gte=period.start.year, campaign__year__lte=period.end.year)
    return qs


def community_choices_for_brand(*, user, campaign: Campaign) -> QuerySet:
    """Communities in the user's editing scope that have no brand in the campaign yet."""
    scope = scope_of(user)
    return (
        Area.objects.filter(kind=AreaKind.COMMUNITY)
        .filter(scope.areas_q("code", roles=EDITOR_ROLES))
        .exclude(brands__campaign=campaign)
        .select_related("parent")
        .order_by("code")
    )


def photo_get_for(*, user, pk: int) -> BrandPhoto:
    photo = (
        BrandPhoto.objects.filter(pk=pk, brand__in=_brands_in_scope(user))
        .select_related("brand__area", "brand__campaign")
        .first()
    )
    if photo is None:
        raise NotFound("图片不存在或不在您的管辖范围内。")
    return photo


# ---- evaluation --------------------------------------------------------------------------


def panel_member_of(*, user, campaign: Campaign) -> PanelMember | None:
    return PanelMember.objects.filter(campaign=campaign, user=user).first()


def panel_candidates(*, campaign: Campaign) -> QuerySet:
    """Active accounts with a district-wide business role, not yet on the panel: whom the
    district administrator is offered (any account with a business role may be added)."""
    return (
        User.objects.filter(
            is_active=True,
            role_assignments__role__in=[Role.DISTRICT_ADMIN, Role.JUDGE],
            role_assignments__area__kind=AreaKind.DISTRICT,
        )
        .exclude(brand_panels__campaign=campaign)
        .distinct()
        .order_by("username")
    )


def sheet_of(*, member: PanelMember | None, brand: Brand) -> dict[int, Decimal]:
    """The member's scores of the brand by criterion id (empty when not scored yet)."""
    if member is None:
        return {}
    return dict(
        EvaluationScore.objects.filter(
            evaluation__brand=brand, evaluation__member=member
        ).values_list("criterion_id", "value")
    )


def scoring_list(*, user, campaign: Campaign) -> list[Brand]:
    """The campaign's brands within the member's scope, each marked with ``my_total`` (the
    member's own sheet total, or None when not yet scored)."""
    member = panel_member_of(user=user, campaign=campaign)
    brands = list(brand_list_visible_to(user=user, campaign=campaign).order_by("area__code"))
    totals = {}
    if member is not None:
        totals = dict(
            EvaluationScore.objects.filter(evaluation__member=member)
            .values("evaluation__brand")
            .annotate(total=Sum("value"))
            .values_list("evaluation__brand", "total")
        )
    for brand in brands:
        brand.my_total = totals.get(brand.pk)
    return brands


def brand_sheets(*, user, brand: Brand) -> list[dict]:
    """Each panel member's total for the brand (for the district administrator)."""
    if not can(user, "view_sheets"):
        return []
    rows = (
        EvaluationScore.objects.filter(evaluation__brand=brand)
        .values("evaluation__member__user__username", "evaluation__member__user__first_name")
        .annotate(total=Sum("value"))
        .order_by("evaluation__member_id")
    )
    return [
        {
            "member": r["evaluation__member__user__first_name"]
            or r["evaluation__member__user__username"],
            "total": r["total"],
        }
        for r in rows
    ]


def criterion_get_for(*, user, pk: int) -> Criterion:
    criterion = (
        Criterion.objects.filter(pk=pk, campaign__in=campaign_list_visible_to(user=user))
        .select_related("campaign")
        .first()
    )
    if criterion is None:
        raise NotFound("评分项不存在。")
    return criterion


def panel_member_get_for(*, user, pk: int) -> PanelMember:
    member = (
        PanelMember.objects.filter(pk=pk, campaign__in=campaign_list_visible_to(user=user))
        .select_related("campaign", "user")
        .first()
    )
    if member is None:
        raise NotFound("评审组成员不存在。")
    return member


def panel_user_by_username(*, user, username: str) -> User | None:
    """The account to add to a panel (for the district administrator only)."""
    if not can(user, "manage_campaigns") or not username:
        return None
    return User.objects.filter(username=username).first()
