"""The rural pages as each role sees them: scope, refusals that change nothing, and pinned
query counts of the list pages and the dashboard."""

from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse

from jiceng.core.models import AreaKind, AuditEvent, PostTitle
from jiceng.core.roles import Role
from jiceng.core.tests.factories import AreaFactory, PersonFactory, PostFactory

from ..models import CollectiveIncome, Project, Village
from .factories import (
    AllianceFactory,
    FirstSecretaryFactory,
    IncomeFactory,
    MilestoneFactory,
    ProjectFactory,
    SupporterFactory,
    TrainingSessionFactory,
)

# Session, user, role assignments, session save (3), and the layout's area switcher (3).
LAYOUT_QUERIES = 9


def html(response) -> str:
    return response.content.decode()


@pytest.fixture
def rows(rural):
    """One row of each kind in village A (street A) and in 测试村 (street B)."""
    out = {}
    for key, village in (("a", rural.village_a), ("b", rural.village_b)):
        label = "甲村" if key == "a" else "外村"
        out[f"income_{key}"] = IncomeFactory(area=village, source=f"{label}厂房租赁")
        person = PersonFactory(name=f"{label}书记", area=village)
        out[f"fs_{key}"] = FirstSecretaryFactory(person=person, area=village)
        out[f"project_{key}"] = ProjectFactory(
            area=village,
            name=f"{label}项目",
            first_secretary=out[f"fs_{key}"],
            introduced_on=date(2022, 9, 1),
        )
        out[f"milestone_{key}"] = MilestoneFactory(project=out[f"project_{key}"])
    out["training_a"] = TrainingSessionFactory(area=rural.world.street_a, topic="甲街道培训")
    out["alliance_a"] = AllianceFactory(area=rural.world.street_a, name="甲片区联盟")
    out["supporter_a"] = SupporterFactory(area=rural.world.street_a, name="甲帮扶公司")
    return out


# ---- scope ----------------------------------------------------------------------------------


def test_first_secretary_sees_only_their_villages_ledger_and_projects(client, rural, rows):
    client.force_login(rural.user("fs_a"))
    page = html(client.get(reverse("rural:village_detail", args=[rural.village_a.code])))
    assert "甲村厂房租赁" in page and "甲村项目" in page
    for url in (
        reverse("rural:village_detail", args=[rural.village_a2.code]),
        reverse("rural:village_detail", args=[rural.village_b.code]),
        reverse("rural:project_detail", args=[rows["project_b"].pk]),
        reverse("rural:income_edit", args=[rows["income_b"].pk]),
    ):
        assert client.get(url).status_code == 404, url
    projects = html(client.get(reverse("rural:project_list")))
    assert "甲村项目" in projects and "外村项目" not in projects
    villages = html(client.get(reverse("rural:village_list")))
    assert "睦邻村" in villages and "和平村" not in villages and "测试村" not in villages
    dashboard = html(client.get(reverse("rural:home")))
    assert "睦邻村" in dashboard and "和平村" not in dashboard


def test_street_staff_see_their_streets_villages_only(client, rural, rows):
    client.force_login(rural.user(Role.STREET_STAFF))
    page = html(client.get(reverse("rural:village_list")))
    assert all(name in page for name in ("睦邻村", "和平村", "新生村"))
    assert "测试村" not in page
    assert (
        client.get(reverse("rural:village_detail", args=[rural.village_b.code])).status_code == 404
    )
    assert "外村" not in html(client.get(reverse("rural:secretary_list")))
    assert "外村" not in html(client.get(reverse("rural:home")))


def test_the_district_sees_every_village(client, rural, rows):
    client.force_login(rural.user(Role.DISTRICT_ADMIN))
    page = html(client.get(reverse("rural:village_list")))
    assert "睦邻村" in page and "测试村" in page
    assert (
        client.get(reverse("rural:village_detail", args=[rural.village_b.code])).status_code == 200
    )


@pytest.mark.parametrize("role", [Role.GRID_STEWARD, Role.RIDER, Role.JUDGE, Role.AUDITOR])
def test_roles_without_rural_business_are_refused(client, rural, role):
    client.force_login(rural.user(role))
    response = client.get(reverse("rural:home"))
    assert response.status_code == 403
    assert "您的角色无权查看乡村振兴数据" in html(response) or role == Role.AUDITOR


def test_the_sidebar_shows_rural_to_rural_roles_only(client, rural):
    client.force_login(rural.user("fs_a"))
    assert 'data-nav="rural"' in html(client.get(reverse("core:home")))
    client.force_login(rural.user(Role.RIDER))
    assert 'data-nav="rural"' not in html(client.get(reverse("core:home")))


# ---- writes: allowed ones work, refused ones change nothing -----------------------------


def test_village_staff_record_an_income_line(client, rural):
    client.force_login(rural.user("staff_a"))
    response = client.post(
        reverse("rural:income_create", args=[rural.village_a.code]),
        {"year": 2023, "source": "沿街商铺租赁", "model": "property", "amount": "88000.5"},
    )
    assert response.status_code == 302
    row = CollectiveIncome.objects.get(area=rural.village_a)
    assert row.amount == Decimal("88000.50")
    assert AuditEvent.objects.filter(action="rural.income_create", object_id=str(row.pk)).exists()


def test_a_refused_income_shows_the_services_message(client, rural):
    client.force_login(rural.user("staff_a"))
    response = client.post(
        reverse("rural:income_create", args=[rural.village_a.code]),
        {"year": 2023, "source": "沿街商铺租赁", "model": "property", "amount": "-1"},
    )
    assert response.status_code == 400
    assert "金额不能为负数" in html(response)
    assert not CollectiveIncome.objects.exists()


def snapshot():
    return (
        list(CollectiveIncome.objects.order_by("pk").values()),
        list(Project.objects.order_by("pk").values()),
        list(Village.objects.order_by("pk").values()),
        AuditEvent.objects.exclude(action__startswith="auth.").count(),
    )


def test_a_first_secretary_cannot_write_the_ledger(client, rural, rows):
    client.force_login(rural.user("fs_a"))
    before = snapshot()
    income = {"year": 2023, "source": "新来源", "model": "property", "amount": "1"}
    assert (
        client.post(reverse("rural:income_create", args=[rural.village_a.code]), income).status_code
        == 403
    )
    assert (
        client.post(reverse("rural:income_delete", args=[rows["income_a"].pk])).status_code == 403
    )
    assert (
        client.post(
            reverse("rural:village_edit", args=[rural.village_a.code]), {"population": 5}
        ).status_code
        == 403
    )
    assert snapshot() == before


def test_a_first_secretary_registers_a_project_in_their_village_only(client, rural, rows):
    client.force_login(rural.user("fs_a"))
    data = {
        "area": rural.village_a.code,
        "name": "光伏发电",
        "introduced_on": "2023-06-01",
        "investment": "1200000",
        "income_contribution": "80000",
        "status": "building",
        "first_secretary": rows["fs_a"].pk,
    }
    response = client.post(reverse("rural:project_create"), data)
    assert response.status_code == 302
    project = Project.objects.get(name="光伏发电")
    assert project.first_secretary == rows["fs_a"]
    assert project.events.get().kind == "created"
    before = snapshot()
    response = client.post(
        reverse("rural:project_create"), {**data, "area": rural.village_a2.code, "name": "越权"}
    )
    assert response.status_code == 400
    assert snapshot() == before


@pytest.mark.parametrize(
    "route, key",
    [
        ("rural:income_delete", "income_b"),
        ("rural:project_status", "project_b"),
        ("rural:project_note", "project_b"),
        ("rural:milestone_create", "project_b"),
        ("rural:milestone_progress", "milestone_b"),
        ("rural:secretary_recall", "fs_b"),
    ],
)
def test_writes_out_of_scope_are_404_and_change_nothing(client, rural, rows, route, key):
    client.force_login(rural.user(Role.STREET_STAFF))
    before = snapshot()
    data = {
        "status": "operating",
        "text": "越权",
        "name": "越权",
        "progress": 50,
        "recalled_on": "2023-06-01",
        "reason": "越权",
    }
    assert client.post(reverse(route, args=[rows[key].pk]), data).status_code == 404
    assert snapshot() == before
    assert rows["fs_b"].__class__.objects.get(pk=rows["fs_b"].pk).recalled_on is None


# ---- the foundation's walk, with villages in street A -----------------------------------


def _rural_routes():
    from jiceng.core.tests.test_url_walk import ROUTES

    return [(name, route) for name, route, _ in ROUTES if name.startswith("rural:")]


def test_every_rural_route_as_every_role(client, rural, rows):
    """Every rural route with an area code or a row of village A / 测试村 in it, as every
    role: village A's rows answer its viewers (district, street A, village A's first
    secretary and staff), 测试村's rows answer nobody but the district, and no page shows
    a row of 测试村 to anyone else."""
    from jiceng.core.tests.test_url_walk import _fill

    keyed = {
        "rural:income_edit": "income",
        "rural:income_delete": "income",
        "rural:secretary_detail": "fs",
        "rural:secretary_recall": "fs",
        "rural:project_detail": "project",
        "rural:project_edit": "project",
        "rural:project_status": "project",
        "rural:project_note": "project",
        "rural:milestone_create": "project",
        "rural:project_photo_upload": "project",
        "rural:milestone_progress": "milestone",
    }
    sees_a = {Role.DISTRICT_ADMIN, Role.STREET_STAFF, "fs_a", "staff_a"}
    walked = set()
    for who in [*Role, "fs_a", "staff_a"]:
        client.force_login(rural.user(who))
        for name, route in _rural_routes():
            if "<" in route and "<areacode:code>" not in route and name not in keyed:
                continue
            walked.add(name)
            for side, village in (("a", rural.village_a), ("b", rural.village_b)):
                values = {"code": village.code}
                if name in keyed:
                    values["pk"] = rows[f"{keyed[name]}_{side}"].pk
                url = _fill(route, values)
                response = client.get(url)
                status = response.status_code
                assert status < 500, (url, who)
                if side == "b" and who != Role.DISTRICT_ADMIN and "<" in route:
                    assert status in (403, 404, 405), (url, who, status)
                if side == "a" and who in sees_a:
                    assert status in (200, 403, 405), (url, who, status)
                if status == 200 and who != Role.DISTRICT_ADMIN and "xlsx" not in url:
                    assert "外村" not in html(response), (url, who)
    assert {"rural:village_detail", "rural:ledger_export", "rural:milestone_progress"} <= walked


# ---- query counts ---------------------------------------------------------------------------


@pytest.fixture
def many(rural):
    """Twelve more villages in street A, each with a ledger, a team, a dispatch and a
    project, so that an N+1 on any list would add queries."""
    for i in range(3, 15):
        village = AreaFactory(
            code=f"370103002{200 + i:03d}",
            name=f"多村{i}",
            kind=AreaKind.VILLAGE,
            parent=rural.world.street_a,
        )
        Village.objects.create(area=village, population=900)
        for year in (2022, 2023):
            IncomeFactory(area=village, year=year, amount=Decimal(100000 * i))
        lead = PersonFactory(name=f"多书记{i}", area=village, birth_date=date(1975, 1, 1))
        PostFactory(person=lead, title=PostTitle.VILLAGE_SECRETARY, area=village)
        PostFactory(person=lead, title=PostTitle.VILLAGE_DIRECTOR, area=village)
        dispatch = FirstSecretaryFactory(person=PersonFactory(area=village), area=village)
        project = ProjectFactory(area=village, first_secretary=dispatch)
        MilestoneFactory(project=project, progress=50)
    return rural


@pytest.mark.parametrize(
    "route, budget",
    [
        # the area and its years, the page, teams, two years of ledger
        ("rural:village_list", 8),
        # three registered figures, the page, results (ledger, projects, posts), attendance
        ("rural:secretary_list", 19),
        # the page and its count, milestones for the progress
        ("rural:project_list", 6),
        ("rural:group_list", 8),
        ("rural:supporter_list", 3),
        ("rural:training_list", 3),
        # seventeen registered figures, the breakdown, the trend, the five models
        ("rural:home", 40),
    ],
)
def test_list_pages_and_dashboard_have_pinned_query_counts(
    client, many, route, budget, django_assert_max_num_queries
):
    client.force_login(many.user(Role.STREET_STAFF))
    with django_assert_max_num_queries(LAYOUT_QUERIES + budget):
        response = client.get(reverse(route), {"area": many.world.street_a.code})
    assert response.status_code == 200
