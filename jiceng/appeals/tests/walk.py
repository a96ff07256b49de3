"""Parameters for the URL walk (jiceng/core/tests/test_url_walk.py) of the appeals' routes.

The resident's pages and the API schema are public: ``PUBLIC_ROUTES`` lists them.
"""

from jiceng.appeals.models import Appeal
from jiceng.core.roles import Role

# Open without login (the walk reads this name).
PUBLIC_ROUTES = {
    "appeals:resident_new",
    "appeals:track_lookup",
    "appeals:track",
    # The resident's answers on the tracking page (POST, the tracking code is the key).
    "appeals:track_info",
    "appeals:track_rate",
    "api:openapi-json",
    "api:api-root",
    # Open311 GeoReport v2: the service list and a request read by its code.
    "api:open311_services",
    "api:open311_request_get",
}


# Roles that see every appeal of grid_a1 through their area scope.
SEES_GRID_A1 = {
    Role.DISTRICT_ADMIN,
    Role.STREET_STAFF,
    Role.COMMUNITY_STAFF,
    Role.CHIEF_STEWARD,
    Role.GRID_STEWARD,
    Role.FIRST_SECRETARY,
    Role.JUDGE,
    Role.AUDITOR,
    Role.SECURITY_ADMIN,
}


def _appeal(code: str, area, title: str) -> Appeal:
    appeal, _ = Appeal.objects.get_or_create(
        code=code,
        defaults={
            "kind": "help",
            "channel": "web",
            "title": title,
            "description": title,
            "area": area,
            "grid": area,
        },
    )
    return appeal


def walk_params(world) -> dict:
    inside = _appeal("WALKA00001", world.grid_a1, "纬二路楼道灯不亮")
    outside = _appeal("WALKB00001", world.grid_b1, "春元里西区漏水走访诉求")
    # Shared stewards and riders see only appeals handed to or reported by them; first
    # secretaries, judges and the system roles are refused the pages (403).
    detail_in = {"pk": inside.pk}

    def scoped(role):
        return detail_in if role in SEES_GRID_A1 else None

    return {
        "appeals:detail": (scoped, {"pk": outside.pk}),
        "appeals:action": (
            lambda role: {**detail_in, "action": "accept"} if role in SEES_GRID_A1 else None,
            {"pk": outside.pk, "action": "accept"},
        ),
        "appeals:reveal_phone": (scoped, {"pk": outside.pk}),
        # The tracking code is the resident's key: scope does not apply to these pages.
        "appeals:track": (lambda role: {"code": inside.code}, None),
        "appeals:track_info": (lambda role: {"code": inside.code}, None),
        "appeals:track_rate": (lambda role: {"code": inside.code}, None),
        "api:open311_request_get": (lambda role: {"service_request_id": inside.code}, None),
        # A workbook is not text the walk can search: walked as the district's admin only
        # (and for 403s as the roles without the right); its scope is in test_rankings.
        "appeals:briefing_xlsx": (
            lambda role: (
                {"month": "2026-10"}
                if role in {Role.DISTRICT_ADMIN, Role.AUDITOR, Role.SECURITY_ADMIN, Role.JUDGE}
                else None
            ),
            None,
        ),
    }


def out_of_scope_names(world) -> list[str]:
    return ["春元里西区漏水走访诉求", "WALKB00001"]
