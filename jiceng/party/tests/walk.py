"""URL-walk parameters of the party app (see jiceng/core/tests/walk.py).

Rows of the register, points, centers and activities are created here: street A's (in
community 睦和苑 A1) are in every business role's scope except the grid-level roles' (they
are based at community level), street B's (春元里 B1) in none but the district's.
"""

from django.utils import timezone

from jiceng.core.models import Person
from jiceng.core.tests.walk import GRID_LEVEL
from jiceng.party.models import (
    Activity,
    DemonstrationPoint,
    Organization,
    OrganizationKind,
    Participation,
    PlanMeasure,
    ServiceCenter,
)
from jiceng.party.tests.factories import credit_code

# Routes open without login: a member checks in from the QR link or with the typed code.
PUBLIC_ROUTES = {"party:checkin", "party:checkin_code"}

ORG_B_NAME = "春元里测试物业有限公司"
CENTER_B_NAME = "春元里测试党群服务中心"
ACTIVITY_B_TITLE = "春元里测试主题党日"


def _rows(world, side: str):
    area = world.community_a1 if side == "a" else world.community_b1
    name = "睦和苑测试物业有限公司" if side == "a" else ORG_B_NAME
    org, _ = Organization.objects.get_or_create(
        credit_code=credit_code(900 if side == "a" else 901),
        defaults={"name": name, "kind": OrganizationKind.PROPERTY, "area": area},
    )
    point, _ = DemonstrationPoint.objects.get_or_create(
        organization=org, level="district", defaults={"year": 2023}
    )
    measure, _ = PlanMeasure.objects.get_or_create(point=point, title=f"{name}措施")
    center, _ = ServiceCenter.objects.get_or_create(
        name="睦和苑测试党群服务中心" if side == "a" else CENTER_B_NAME,
        defaults={"area": area, "floor_space": 120},
    )
    now = timezone.now()
    activity, _ = Activity.objects.get_or_create(
        center=center,
        title="睦和苑测试主题党日" if side == "a" else ACTIVITY_B_TITLE,
        defaults={
            "kind": "org_life",
            "starts_at": now,
            "ends_at": now + timezone.timedelta(hours=2),
            "checkin_code": "100900" if side == "a" else "100901",
        },
    )
    person = world.people_a[0] if side == "a" else world.people_b[0]
    participation, _ = Participation.objects.get_or_create(
        activity=activity, person=Person.objects.get(pk=person.pk), defaults={"signed_up_at": now}
    )
    return org, point, measure, center, activity, participation


def walk_params(world) -> dict:
    from jiceng.party.selectors.centers import checkin_token

    org_in = {"pk": world.orgs_a[1].pk}
    a = _rows(world, "a")
    b = _rows(world, "b")

    def pair(index):
        return (
            lambda role: None if role in GRID_LEVEL else {"pk": a[index].pk},
            {"pk": b[index].pk},
        )

    return {
        # Grid-level roles see no party organization (they are based at community level).
        "party:org_detail": (
            lambda role: None if role in GRID_LEVEL else org_in,
            {"pk": world.orgs_b[1].pk},
        ),
        "party:org_child_create": (
            lambda role: None if role in GRID_LEVEL else org_in,
            {"pk": world.orgs_b[1].pk},
        ),
        "party:org_edit": (
            lambda role: None if role in GRID_LEVEL else org_in,
            {"pk": world.orgs_b[1].pk},
        ),
        "party:organization_detail": pair(0),
        "party:organization_edit": pair(0),
        "party:point_designate": pair(0),
        "party:point_detail": pair(1),
        "party:point_edit": pair(1),
        "party:measure_add": pair(1),
        "party:measure_progress": pair(2),
        "party:center_detail": pair(3),
        "party:center_edit": pair(3),
        "party:activity_create": pair(3),
        "party:activity_detail": pair(4),
        "party:activity_signup": pair(4),
        "party:activity_checkin": (
            lambda role: None if role in GRID_LEVEL else {"pk": a[4].pk, "participation": a[5].pk},
            {"pk": b[4].pk, "participation": b[5].pk},
        ),
        # The signed link is a capability, not a scoped page: anyone holding it sees the
        # activity's title, place and time (and nothing else).
        "party:checkin": (lambda role: {"token": checkin_token(a[4])}, None),
    }


def out_of_scope_names(world) -> list[str]:
    return ["杆石桥街道党工委", "春元里社区党委", ORG_B_NAME, CENTER_B_NAME, ACTIVITY_B_TITLE]
