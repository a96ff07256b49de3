"""The brand pages: the wall grouped by echelon, scope on every page, forms that write
through the services, and denied writes that change nothing."""

import pytest
from django.urls import reverse

from jiceng.brands.models import Brand, BrandPhoto, Campaign, Evaluation
from jiceng.brands.tests.factories import BrandFactory, CampaignFactory, PanelMemberFactory, sheet
from jiceng.core.models import Area, AuditEvent
from jiceng.core.roles import Role
from jiceng.core.tests.factories import AreaFactory, RoleAssignmentFactory, UserFactory

# Session, user, role assignments, session save (3) and the layout's area switcher (3).
LAYOUT_QUERIES = 9


def html(response) -> str:
    return response.content.decode()


def _judge(world, name):
    user = UserFactory(username=name)
    RoleAssignmentFactory(user=user, role=Role.JUDGE, area=world.district)
    return user


@pytest.fixture
def wall(world):
    """睦和苑 leads (92), a second street-A community follows (75), 春元里 of street B
    pioneers (85), and one street-A brand is not yet scored."""
    judge = _judge(world, "panel1")
    a2 = AreaFactory(
        code="370103002004", name="纬五路社区", kind="community", parent=world.street_a
    )
    a3 = AreaFactory(
        code="370103002009", name="万紫巷社区", kind="community", parent=world.street_a
    )
    leading = BrandFactory(area=world.community_a1, name="商埠客厅 睦邻党建")
    following = BrandFactory(area=a2, name="纬五路红色网格")
    pending = BrandFactory(area=a3, name="万紫巷议事会")
    pioneering = BrandFactory(area=world.community_b1, name="同心春元")
    sheet(leading, judge, "92")
    sheet(following, judge, "75")
    sheet(pioneering, judge, "85")
    return {"leading": leading, "following": following, "pending": pending, "b": pioneering}


def _groups(response) -> dict[str, list[str]]:
    return {g.echelon: [b.name for b in g.brands] for g in response.context["groups"]}


def test_wall_groups_brands_by_echelon_for_the_district(client, world, wall):
    client.force_login(world.users[Role.DISTRICT_ADMIN])
    response = client.get(reverse("brands:wall"))
    assert response.status_code == 200
    assert _groups(response) == {
        "leading": ["商埠客厅 睦邻党建"],
        "pioneering": ["同心春元"],
        "following": ["纬五路红色网格"],
        "": ["万紫巷议事会"],
    }
    page = html(response)
    assert page.index("引领梯队") < page.index("先行梯队") < page.index("跟进梯队")
    assert page.index("商埠客厅 睦邻党建") < page.index("同心春元") < page.index("纬五路红色网格")
    assert "92.00" in page and "待评审" in page


def test_wall_shows_only_the_street_of_street_staff(client, world, wall):
    client.force_login(world.users[Role.STREET_STAFF])
    response = client.get(reverse("brands:wall"))
    groups = _groups(response)
    assert groups["pioneering"] == [] and "同心春元" not in html(response)
    assert groups["leading"] == ["商埠客厅 睦邻党建"]


@pytest.mark.parametrize("role", [Role.COMMUNITY_STAFF, Role.GRID_STEWARD])
def test_community_and_grid_roles_see_their_communitys_brand_only(client, world, wall, role):
    client.force_login(world.users[role])
    response = client.get(reverse("brands:wall"))
    names = [n for names in _groups(response).values() for n in names]
    assert names == ["商埠客厅 睦邻党建"]


@pytest.mark.parametrize(
    "role", [Role.AUDITOR, Role.SECURITY_ADMIN, Role.RIDER, Role.SHARED_STEWARD]
)
def test_roles_the_matrix_closes_brands_to_do_not_see_them(client, world, wall, role):
    client.force_login(world.users[role])
    for url in (reverse("brands:wall"), reverse("brands:brand_detail", args=[wall["leading"].pk])):
        response = client.get(url)
        assert response.status_code == 403
        assert "商埠客厅" not in html(response)


def test_wall_picks_the_campaign_by_year(client, world, wall):
    older = CampaignFactory(year=2023)
    BrandFactory(campaign=older, area=world.community_a1, name="二〇二三年品牌")
    client.force_login(world.users[Role.DISTRICT_ADMIN])
    assert "二〇二三年品牌" not in html(client.get(reverse("brands:wall")))  # latest first
    page = html(client.get(reverse("brands:wall") + "?year=2023"))
    assert "二〇二三年品牌" in page and "同心春元" not in page


def test_wall_without_campaign_says_so(client, world):
    client.force_login(world.users[Role.DISTRICT_ADMIN])
    assert "尚未开展一街一品行动" in html(client.get(reverse("brands:wall")))


def test_wall_query_count_does_not_grow_with_brands(client, world, django_assert_max_num_queries):
    judges = [_judge(world, f"p{i}") for i in range(3)]
    campaign = CampaignFactory()
    for i in range(20):
        area = AreaFactory(
            code=f"370103002{100 + i:03d}", name=f"社区{i}", kind="community", parent=world.street_a
        )
        brand = BrandFactory(campaign=campaign, area=area)
        for judge in judges:
            sheet(brand, judge, 70 + i)
        BrandPhoto.objects.create(brand=brand, image=f"brands/photos/2024/{i}.png")
    client.force_login(world.users[Role.DISTRICT_ADMIN])
    with django_assert_max_num_queries(LAYOUT_QUERIES + 5):
        response = client.get(reverse("brands:wall"))
    assert response.status_code == 200
    assert sum(len(g.brands) for g in response.context["groups"]) == 20
    assert html(response).count('class="brand-card"') == 20
    with django_assert_max_num_queries(LAYOUT_QUERIES + 4):
        response = client.get(reverse("brands:results", args=[campaign.pk]))
    assert len(response.context["brands"]) == 20


def test_results_rank_brands_by_score_within_scope(client, world, wall):
    client.force_login(world.users[Role.DISTRICT_ADMIN])
    response = client.get(reverse("brands:results", args=[wall["leading"].campaign_id]))
    brands = response.context["brands"]
    assert [(b.rank, b.name, b.echelon_label) for b in brands] == [
        (1, "商埠客厅 睦邻党建", "引领"),
        (2, "同心春元", "先行"),
        (3, "纬五路红色网格", "跟进"),
        (None, "万紫巷议事会", "待评审"),
    ]
    client.force_login(world.users[Role.STREET_STAFF])
    page = html(client.get(reverse("brands:results", args=[wall["leading"].campaign_id])))
    assert "同心春元" not in page and "纬五路红色网格" in page


@pytest.mark.parametrize(
    "role", [Role.STREET_STAFF, Role.COMMUNITY_STAFF, Role.GRID_STEWARD, Role.JUDGE]
)
def test_out_of_scope_brand_is_404_on_every_brand_page(client, world, wall, role):
    PanelMemberFactory(campaign=wall["b"].campaign, user=world.users[Role.JUDGE])
    client.force_login(world.users[role])
    for name in ("brand_detail", "brand_update", "brand_score"):
        response = client.get(reverse(f"brands:{name}", args=[wall["b"].pk]))
        assert response.status_code == 404, name
        assert "同心春元" not in html(response)


def test_brand_page_shows_facts_score_and_member_totals_to_the_district(client, world, wall):
    client.force_login(world.users[Role.DISTRICT_ADMIN])
    page = html(client.get(reverse("brands:brand_detail", args=[wall["leading"].pk])))
    assert "商埠客厅 睦邻党建" in page and "大观园街道" in page and "92.00" in page
    assert "评委评分" in page and "编辑品牌" in page
    client.force_login(world.users[Role.GRID_STEWARD])
    page = html(client.get(reverse("brands:brand_detail", args=[wall["leading"].pk])))
    assert "商埠客厅 睦邻党建" in page
    assert "评委评分" not in page and "编辑品牌" not in page


def test_community_staff_edit_their_brand(client, world, wall):
    brand = wall["leading"]
    client.force_login(world.users[Role.COMMUNITY_STAFF])
    response = client.post(
        reverse("brands:brand_update", args=[brand.pk]),
        {"name": "商埠客厅·睦邻党建", "focus": "property", "description": "新的简介"},
    )
    assert response.status_code == 302
    brand.refresh_from_db()
    assert (brand.name, brand.focus, brand.description) == (
        "商埠客厅·睦邻党建",
        "property",
        "新的简介",
    )
    event = AuditEvent.objects.get(action="brands.brand_update")
    assert event.changes["name"] == ["商埠客厅 睦邻党建", "商埠客厅·睦邻党建"]


@pytest.mark.parametrize(
    ("role", "target", "status"),
    [
        (Role.STREET_STAFF, "b", 404),
        (Role.COMMUNITY_STAFF, "following", 404),  # same street, another community
        (Role.GRID_STEWARD, "leading", 403),  # sees the brand, may not edit it
        (Role.JUDGE, "leading", 404),  # not on the campaign's panel: sees no brand
    ],
)
def test_denied_brand_edits_change_nothing(client, world, wall, role, target, status):
    brand = wall[target]
    before = Brand.objects.values().get(pk=brand.pk)
    client.force_login(world.users[role])
    response = client.post(
        reverse("brands:brand_update", args=[brand.pk]),
        {"name": "改名", "focus": "grid", "description": "改"},
    )
    assert response.status_code == status
    assert Brand.objects.values().get(pk=brand.pk) == before
    assert not AuditEvent.objects.filter(action__startswith="brands.").exists()


def test_brand_create_offers_only_own_communities_without_a_brand(client, world):
    campaign = CampaignFactory(status="open")
    extra = AreaFactory(
        code="370103002004", name="纬五路社区", kind="community", parent=world.street_a
    )
    client.force_login(world.users[Role.STREET_STAFF])
    url = reverse("brands:brand_create", args=[campaign.pk])
    offered = [a.code for a in client.get(url).context["communities"]]
    assert offered == [world.community_a1.code, extra.code]

    response = client.post(
        url,
        {"area": world.community_b1.code, "name": "越界品牌", "focus": "grid"},
    )
    assert response.status_code == 400
    assert not Brand.objects.exists()

    response = client.post(
        url, {"area": extra.code, "name": "纬五路红色网格", "focus": "grid", "description": ""}
    )
    assert response.status_code == 302
    brand = Brand.objects.get()
    assert (brand.area, brand.campaign) == (extra, campaign)
    assert [a.code for a in client.get(url).context["communities"]] == [world.community_a1.code]


def test_no_entries_to_a_closed_campaign(client, world):
    campaign = CampaignFactory(status="closed")
    client.force_login(world.users[Role.COMMUNITY_STAFF])
    response = client.post(
        reverse("brands:brand_create", args=[campaign.pk]),
        {"area": world.community_a1.code, "name": "迟到的品牌", "focus": "grid"},
    )
    assert response.status_code == 400 and "不再接受品牌申报" in html(response)
    assert not Brand.objects.exists()


def test_panel_member_scores_through_the_page(client, world, wall):
    judge = world.users[Role.JUDGE]
    campaign = wall["leading"].campaign
    PanelMemberFactory(campaign=campaign, user=judge)
    client.force_login(judge)
    listing = client.get(reverse("brands:scoring", args=[campaign.pk]))
    assert listing.status_code == 200
    names = [b.name for b in listing.context["brands"]]
    assert "同心春元" not in names and "万紫巷议事会" in names  # the judge is street A's

    brand = wall["pending"]
    c1, c2 = campaign.criteria.order_by("order")
    url = reverse("brands:brand_score", args=[brand.pk])
    response = client.post(url, {f"c{c1.pk}": "58", f"c{c2.pk}": "80"})
    assert response.status_code == 400 and "不能超过满分" in html(response)
    assert not Evaluation.objects.filter(brand=brand).exists()

    response = client.post(url, {f"c{c1.pk}": "58", f"c{c2.pk}": "36.5"})
    assert response.status_code == 302
    fresh = Brand.objects.with_score().get(pk=brand.pk)
    assert str(fresh.score) == "94.50" and fresh.echelon == "leading"
    listing = client.get(reverse("brands:scoring", args=[campaign.pk]))
    mine = {b.name: b.my_total for b in listing.context["brands"]}
    assert str(mine["万紫巷议事会"]) == "94.5" and mine["纬五路红色网格"] is None


def test_non_members_cannot_open_the_scoring_pages(client, world, wall):
    client.force_login(world.users[Role.DISTRICT_ADMIN])
    campaign = wall["leading"].campaign
    assert client.get(reverse("brands:scoring", args=[campaign.pk])).status_code == 403
    c1, c2 = campaign.criteria.order_by("order")
    response = client.post(
        reverse("brands:brand_score", args=[wall["pending"].pk]),
        {f"c{c1.pk}": "50", f"c{c2.pk}": "30"},
    )
    assert response.status_code == 403
    assert not Evaluation.objects.filter(brand=wall["pending"]).exists()


def test_district_admin_creates_a_campaign_and_moves_its_thresholds(client, world):
    client.force_login(world.users[Role.DISTRICT_ADMIN])
    response = client.post(
        reverse("brands:campaign_create"),
        {"year": "2025", "name": "", "leading_threshold": "90", "pioneering_threshold": "80"},
    )
    campaign = Campaign.objects.get(year=2025)
    assert response.status_code == 302 and response.url == campaign.get_absolute_url()
    page = html(client.get(campaign.get_absolute_url()))
    assert "2025年“一街一品”集中攻坚行动" in page and "品牌定位与特色" in page

    response = client.post(
        reverse("brands:campaign_update", args=[campaign.pk]),
        {"name": campaign.name, "leading_threshold": "80", "pioneering_threshold": "85"},
    )
    assert response.status_code == 400 and "须高于先行梯队分数线" in html(response)
    response = client.post(
        reverse("brands:campaign_update", args=[campaign.pk]),
        {"name": campaign.name, "leading_threshold": "88.5", "pioneering_threshold": "75"},
    )
    campaign.refresh_from_db()
    assert str(campaign.leading_threshold) == "88.50"


def test_district_admin_forms_the_panel_and_opens_scoring(client, world):
    campaign = CampaignFactory(status="open")
    client.force_login(world.users[Role.DISTRICT_ADMIN])
    status_url = reverse("brands:campaign_status", args=[campaign.pk])
    page = html(client.post(status_url, {"status": "evaluating"}, follow=True))
    assert "请先组建评审组" in page
    client.post(reverse("brands:panel_add", args=[campaign.pk]), {"username": "t_judge"})
    page = html(
        client.post(
            reverse("brands:panel_add", args=[campaign.pk]), {"username": "t_auditor"}, follow=True
        )
    )
    assert "须为持有业务角色" in page
    client.post(status_url, {"status": "evaluating"})
    campaign.refresh_from_db()
    assert campaign.status == "evaluating"
    assert [m.user.username for m in campaign.panel.all()] == ["t_judge"]


@pytest.mark.parametrize("role", [Role.STREET_STAFF, Role.COMMUNITY_STAFF, Role.JUDGE])
def test_campaign_writes_are_the_districts_alone(client, world, role):
    campaign = CampaignFactory(status="open")
    before = Campaign.objects.values().get(pk=campaign.pk)
    criteria = list(campaign.criteria.values())
    client.force_login(world.users[role])
    posts = [
        (
            "campaign_create",
            [],
            {"year": "2030", "leading_threshold": "90", "pioneering_threshold": "80"},
        ),
        (
            "campaign_update",
            [campaign.pk],
            {"name": "改", "leading_threshold": "50", "pioneering_threshold": "40"},
        ),
        ("campaign_status", [campaign.pk], {"status": "closed"}),
        ("criterion_add", [campaign.pk], {"name": "新项", "max_score": "5"}),
        ("criterion_remove", [criteria[0]["id"]], {}),
        ("panel_add", [campaign.pk], {"username": world.users[role].username}),
    ]
    for name, args, data in posts:
        response = client.post(reverse(f"brands:{name}", args=args), data)
        assert response.status_code == 403, name
    assert Campaign.objects.values().get(pk=campaign.pk) == before
    assert list(campaign.criteria.values()) == criteria
    assert Campaign.objects.count() == 1 and not campaign.panel.exists()
    assert not AuditEvent.objects.filter(action__startswith="brands.").exists()


def test_areas_are_untouched_by_brand_pages(client, world, wall):
    codes = list(Area.objects.values_list("code", flat=True))
    client.force_login(world.users[Role.DISTRICT_ADMIN])
    client.get(reverse("brands:wall"))
    assert list(Area.objects.values_list("code", flat=True)) == codes
