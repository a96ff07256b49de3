"""URL-walk parameters of the brands app (see jiceng/core/tests/walk.py).

The campaign is district-wide (no out-of-scope campaign exists); brand A of 睦和苑 lies in
every business role's scope (grid-level roles see the brand of the community their grid
belongs to), brand B of 春元里 in none but the district's. The street-A judge sits on the
panel, so the scoring pages answer for that role.
"""

from jiceng.brands.models import Brand, BrandPhoto, CampaignStatus, Focus
from jiceng.brands.tests.factories import CampaignFactory, PanelMemberFactory
from jiceng.core.roles import Role

BRAND_B_NAME = "同心春元测试品牌"


def walk_params(world) -> dict:
    campaign = CampaignFactory(year=2024, status=CampaignStatus.EVALUATING)
    brand_a, _ = Brand.objects.get_or_create(
        campaign=campaign,
        area=world.community_a1,
        defaults={"name": "商埠客厅测试品牌", "focus": Focus.CONSULTATION},
    )
    brand_b, _ = Brand.objects.get_or_create(
        campaign=campaign,
        area=world.community_b1,
        defaults={"name": BRAND_B_NAME, "focus": Focus.PROPERTY, "description": "春元里的做法"},
    )
    photo_a, _ = BrandPhoto.objects.get_or_create(
        brand=brand_a,
        defaults={"image": "brands/photos/2024/walk-a.png", "content_type": "image/png"},
    )
    photo_b, _ = BrandPhoto.objects.get_or_create(
        brand=brand_b,
        defaults={"image": "brands/photos/2024/walk-b.png", "content_type": "image/png"},
    )
    member = PanelMemberFactory(campaign=campaign, user=world.users[Role.JUDGE])
    criterion = campaign.criteria.first()

    def inside(params):
        return lambda role: params

    campaign_in = {"pk": campaign.pk}
    brand_in, brand_out = {"pk": brand_a.pk}, {"pk": brand_b.pk}
    return {
        # District-wide rows: every role reaches them; there is nothing out of scope.
        "brands:campaign_detail": (inside(campaign_in), None),
        "brands:campaign_update": (inside(campaign_in), None),
        "brands:campaign_status": (inside(campaign_in), None),
        "brands:criterion_add": (inside(campaign_in), None),
        "brands:criterion_remove": (inside({"pk": criterion.pk}), None),
        "brands:panel_add": (inside(campaign_in), None),
        "brands:panel_remove": (inside({"pk": member.pk}), None),
        "brands:results": (inside(campaign_in), None),
        "brands:scoring": (inside(campaign_in), None),
        "brands:brand_create": (inside(campaign_in), None),
        # Brands and their photos: A in scope, B out.
        "brands:brand_detail": (inside(brand_in), brand_out),
        "brands:brand_update": (inside(brand_in), brand_out),
        "brands:brand_score": (inside(brand_in), brand_out),
        "brands:photo_add": (inside(brand_in), brand_out),
        # The photo's bytes are not a page (tests/test_photos.py serves them in scope).
        "brands:photo": (lambda role: None, {"pk": photo_b.pk}),
        "brands:photo_remove": (inside({"pk": photo_a.pk}), {"pk": photo_b.pk}),
    }


def out_of_scope_names(world) -> list[str]:
    return [BRAND_B_NAME, "春元里的做法"]
