"""URL-walk parameters of the rural app (see jiceng/core/tests/walk.py).

The core's ``world`` has a village only in street B (测试村), and the walk may create no
area, person, post or party organization (it compares those tables before and after), so:
- every rural row tied to a village is made at 测试村: in scope only for the district
  administrator, out of scope for everyone else;
- trainings, alliances and supporters are organized by street A (in scope for the
  district and street A's staff) or street B (out of scope).
The rural tests' own fixture (``tests/conftest.py``) adds villages in street A and walks
every rural route with them (``test_views.test_every_rural_route_as_every_role``).
"""

from datetime import date
from decimal import Decimal

from jiceng.core.roles import Role

from ..models import (
    AllianceMember,
    CollectiveIncome,
    Contribution,
    FirstSecretary,
    IncomeModel,
    Milestone,
    Pairing,
    Project,
    ProjectPhoto,
    ServiceAlliance,
    Supporter,
    TrainingAttendance,
    TrainingSession,
)
from ..permissions import ORGANIZER_ROLES, RURAL_ROLES

OUT_NAMES = ["外村厂房租赁", "外村引进项目", "外村帮扶公司", "杆石桥片区联盟", "杆石桥专题培训"]


def _organizer_or_denied(role) -> bool:
    """Roles that see street A's organizer rows, or are refused the page altogether."""
    return role in ORGANIZER_ROLES or role not in RURAL_ROLES


def walk_params(world) -> dict:
    b2, sa, sb = world.village_b2, world.street_a, world.street_b
    income = CollectiveIncome.objects.create(
        area=b2, year=2023, source="外村厂房租赁", model=IncomeModel.PROPERTY, amount=Decimal(1)
    )
    dispatch = FirstSecretary.objects.create(
        person=world.people_b[1],
        area=b2,
        sending_unit="杆石桥街道办事处",
        starts_on=date(2023, 3, 1),
        ends_on=date(2025, 2, 28),
    )
    project = Project.objects.create(
        area=b2, name="外村引进项目", first_secretary=dispatch, introduced_on=date(2023, 5, 1)
    )
    milestone = Milestone.objects.create(project=project, name="外村节点")
    # No file behind it: the walk never opens an out-of-scope photo.
    photo = ProjectPhoto.objects.create(
        project=project,
        image="rural/none.png",
        content_type="image/png",
        width=1,
        height=1,
        size=1,
    )
    supporter_b = Supporter.objects.create(area=sb, name="外村帮扶公司", kind="enterprise")
    Contribution.objects.create(
        supporter=supporter_b, area=b2, kind="funds", description="资金", given_on=date(2023, 1, 1)
    )
    supporter_a = Supporter.objects.create(area=sa, name="大观园帮扶公司", kind="enterprise")
    training_b = TrainingSession.objects.create(
        area=sb, held_on=date(2023, 6, 1), topic="杆石桥专题培训"
    )
    TrainingAttendance.objects.create(
        session=training_b, first_secretary=dispatch, status="present"
    )
    training_a = TrainingSession.objects.create(
        area=sa, held_on=date(2023, 6, 1), topic="大观园业务培训"
    )
    alliance_b = ServiceAlliance.objects.create(area=sb, name="杆石桥片区联盟")
    AllianceMember.objects.create(alliance=alliance_b, first_secretary=dispatch)
    alliance_a = ServiceAlliance.objects.create(area=sa, name="大观园片区联盟")
    # A pairing needs a joint committee or consortium, which the walk may not create; the
    # route is walked with an id that exists nowhere.
    missing_pairing = (
        Pairing.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    ) + 1

    def district_only(params):
        return lambda role: params if role == Role.DISTRICT_ADMIN else None

    def organizer(params):
        return lambda role: params if _organizer_or_denied(role) else None

    village = {"code": b2.code}
    return {
        "rural:village_detail": (district_only(village), village),
        "rural:village_edit": (district_only(village), village),
        "rural:income_create": (district_only(village), village),
        "rural:income_edit": (district_only({"pk": income.pk}), {"pk": income.pk}),
        "rural:income_delete": (district_only({"pk": income.pk}), {"pk": income.pk}),
        "rural:ledger_template": (
            district_only({"code": world.district.code}),
            {"code": sb.code},
        ),
        "rural:ledger_export": (district_only({"code": world.district.code}), {"code": sb.code}),
        "rural:secretary_detail": (district_only({"pk": dispatch.pk}), {"pk": dispatch.pk}),
        "rural:secretary_recall": (district_only({"pk": dispatch.pk}), {"pk": dispatch.pk}),
        "rural:training_detail": (organizer({"pk": training_a.pk}), {"pk": training_b.pk}),
        "rural:alliance_detail": (organizer({"pk": alliance_a.pk}), {"pk": alliance_b.pk}),
        "rural:alliance_members": (organizer({"pk": alliance_a.pk}), {"pk": alliance_b.pk}),
        "rural:supporter_detail": (organizer({"pk": supporter_a.pk}), {"pk": supporter_b.pk}),
        "rural:project_detail": (district_only({"pk": project.pk}), {"pk": project.pk}),
        "rural:project_edit": (district_only({"pk": project.pk}), {"pk": project.pk}),
        "rural:project_status": (district_only({"pk": project.pk}), {"pk": project.pk}),
        "rural:project_note": (district_only({"pk": project.pk}), {"pk": project.pk}),
        "rural:milestone_create": (district_only({"pk": project.pk}), {"pk": project.pk}),
        "rural:milestone_progress": (district_only({"pk": milestone.pk}), {"pk": milestone.pk}),
        "rural:project_photo_upload": (district_only({"pk": project.pk}), {"pk": project.pk}),
        "rural:project_photo": (lambda role: None, {"pk": photo.pk}),
        "rural:group_detail": (lambda role: None, {"pk": world.orgs_b[0].pk}),
        "rural:pairing_create": (lambda role: None, {"pk": world.orgs_b[0].pk}),
        "rural:pairing_end": (lambda role: None, {"pk": missing_pairing}),
    }


def out_of_scope_names(world) -> list[str]:
    return list(OUT_NAMES)
