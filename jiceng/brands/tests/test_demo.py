"""The demo part: the 2024 campaign with 21 brands whose sheets put the article's six
communities in their echelons, every street represented, created once.

It runs on the official divisions and the two district-wide demo logins it needs, not on
the whole demo district, so that it stays fast and independent of the other apps' parts.
"""

from collections import Counter

import pytest
from django.conf import settings

from jiceng.brands.demo import BRANDS, load_brands_demo
from jiceng.brands.models import Brand, Campaign, Echelon, Evaluation, PanelMember
from jiceng.core.demo.areas import DISTRICT_CODE, import_official
from jiceng.core.demo.registry import demo_parts
from jiceng.core.indicator_registry import Period, compute
from jiceng.core.models import Area, AreaKind, RoleAssignment
from jiceng.core.roles import Role
from jiceng.core.tests.factories import RoleAssignmentFactory, UserFactory

DIVISIONS = settings.SHARED_DATA_DIR / "divisions"

pytestmark = pytest.mark.skipif(
    not (DIVISIONS / "370103_villages.csv").is_file(),
    reason=f"the shared divisions data ({DIVISIONS}) is not available on this machine",
)

ARTICLE = {
    "乐山小区社区": Echelon.LEADING,
    "舜华社区": Echelon.LEADING,
    "睦和苑社区": Echelon.PIONEERING,
    "建新社区": Echelon.PIONEERING,
    "英雄山社区": Echelon.FOLLOWING,
    "春元里社区": Echelon.FOLLOWING,
}


@pytest.fixture
def district(db):
    import_official()
    district = Area.objects.get(code=DISTRICT_CODE)
    for role in (Role.DISTRICT_ADMIN, Role.JUDGE):
        RoleAssignmentFactory(user=UserFactory(username=role.value), role=role, area=district)
    return district


@pytest.fixture
def loaded(district):
    return load_brands_demo()


def _brands():
    return list(Brand.objects.with_score().select_related("campaign", "area__parent"))


def test_the_part_is_registered_for_load_demo():
    part = next(p for p in demo_parts() if p.key == "brands")
    assert (part.label, part.func, part.order) == (
        "一街一品：21 个社区党建品牌",
        load_brands_demo,
        60,
    )


def test_21_brands_with_the_articles_echelons(loaded):
    brands = _brands()
    assert len(brands) == 21
    by_community = {b.area.name: b for b in brands}
    assert {name: by_community[name].echelon for name in ARTICLE} == ARTICLE
    assert by_community["乐山小区社区"].name == "乐在山中·红心物业"
    assert by_community["春元里社区"].name == "同心春元"
    assert by_community["建新社区"].name == "建心家园"
    assert all(b.area.kind == AreaKind.COMMUNITY for b in brands)


def test_every_street_represents_at_least_one_brand(loaded):
    streets = set(
        Area.objects.filter(kind=AreaKind.STREET, code__startswith=DISTRICT_CODE).values_list(
            "name", flat=True
        )
    )
    represented = Counter(b.street.name for b in _brands())
    assert set(represented) == streets and len(streets) == 17


def test_scores_come_from_five_complete_sheets(loaded):
    campaign = Campaign.objects.get(year=2024)
    assert campaign.panel.count() == 5
    criteria = campaign.criteria.count()
    for brand in _brands():
        sheets = Evaluation.objects.filter(brand=brand)
        assert sheets.count() == 5
        assert all(s.scores.count() == criteria for s in sheets)
        totals = [sum(x.value for x in s.scores.all()) for s in sheets]
        assert max(totals) - min(totals) > 0  # the members do not agree to the point


def test_indicators_show_the_demo_echelons(loaded, district):
    admin = RoleAssignment.objects.get(role=Role.DISTRICT_ADMIN).user
    figures = compute(area=district, period=Period.parse("2024"), user=admin)
    got = {k: figures[k]["value"] for k in ("brands", "brands_leading")}
    echelons = Counter(spec.echelon for spec in BRANDS)
    assert got == {"brands": 21, "brands_leading": echelons[Echelon.LEADING]}
    assert figures["brands_pioneering"]["value"] == echelons[Echelon.PIONEERING]
    assert figures["brands_following"]["value"] == echelons[Echelon.FOLLOWING]


def test_a_second_run_creates_nothing(loaded):
    before = (Brand.objects.count(), Evaluation.objects.count(), PanelMember.objects.count())
    assert loaded > 0
    assert load_brands_demo() == 0
    assert (
        Brand.objects.count(),
        Evaluation.objects.count(),
        PanelMember.objects.count(),
    ) == before


def test_the_demo_is_deterministic(loaded):
    first = {b.area.code: b.score for b in _brands()}
    Evaluation.objects.all().delete()
    load_brands_demo()
    assert {b.area.code: b.score for b in _brands()} == first
