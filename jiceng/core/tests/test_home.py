"""Each role's home: its work first (seeded rows, not the demo), and only the figures that
apply to its role and area kind, each with its period."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from jiceng.appeals.models import Notification, NotificationKind, Status
from jiceng.appeals.tests.factories import AppealFactory
from jiceng.contests.tests.factories import ScoreSheetFactory
from jiceng.core.models import AreaKind, RoleAssignment
from jiceng.core.roles import Role
from jiceng.core.tests.factories import AreaFactory
from jiceng.rural.tests.factories import IncomeFactory, ProjectFactory, VillageFactory
from jiceng.stations.tests.factories import AppointmentFactory, RiderFactory, StationFactory


def html(response) -> str:
    return response.content.decode()


def home(client, user) -> str:
    client.force_login(user)
    response = client.get(reverse("core:home"))
    assert response.status_code == 200
    return html(response)


def figures(client, user, period="") -> str:
    client.force_login(user)
    response = client.get(reverse("core:home_figures"), {"period": period} if period else {})
    assert response.status_code == 200
    return html(response)


@pytest.fixture
def steward(world):
    user = world.users[Role.GRID_STEWARD]
    user.person = world.people_a[1]
    user.save(update_fields=["person"])
    return user


def test_grid_steward_home_lists_their_to_do_with_clocks_and_unread_inbox(client, world, steward):
    now = timezone.now()
    person = steward.person
    late = AppealFactory(
        area=world.grid_a1,
        owner=person,
        status=Status.IN_PROGRESS,
        title="逾期的漏水诉求",
        contacted_at=now - timedelta(days=3),
        resolve_due_at=now - timedelta(hours=2),
    )
    AppealFactory(
        area=world.grid_a1,
        owner=person,
        status=Status.ACCEPTED,
        title="今天要联系的诉求",
        response_due_at=timezone.localtime(now).replace(hour=23, minute=59),
        resolve_due_at=now + timedelta(days=3),
    )
    AppealFactory(area=world.grid_a1, owner=world.people_a[0], title="别人的诉求")
    Notification.objects.create(
        recipient=steward, kind=NotificationKind.choices[0][0], appeal=late, text="新派单"
    )

    page = home(client, steward)

    todo = page[page.index('data-block="appeals.todo"') :]
    assert "我的待办" in page and "逾期的漏水诉求" in todo and "今天要联系的诉求" in todo
    assert "别人的诉求" not in page
    counts = dict(
        zip(
            ["已超期", "今日到期", "我的待办", "未读消息"],
            [int(v) for v in _count_values(todo)[:4]],
            strict=True,
        )
    )
    assert counts == {"已超期": 1, "今日到期": 1, "我的待办": 2, "未读消息": 1}
    # A steward's figures are the grid's appeals only: no district themes.
    assert "工作概览" not in page and "接诉即办指标" in page
    got = figures(client, steward)
    assert "接诉即办" in got and "乡村振兴" not in got and "基本情况" not in got


def _count_values(block: str) -> list[str]:
    import re

    return re.findall(r'class="work-count-value">(\d+)<', block)


def test_community_staff_home_shows_pool_supervision_overdue_by_grid_and_rates(client, world):
    now = timezone.now()
    AppealFactory(area=world.community_a1, status=Status.SUBMITTED, title="待派单的诉求")
    AppealFactory(
        area=world.grid_a1,
        status=Status.IN_PROGRESS,
        supervised=True,
        owner=world.people_a[1],
        title="街道督办的诉求",
        resolve_due_at=now - timedelta(days=1),
        submitted_at=now,
    )
    AppealFactory(area=world.grid_b1, status=Status.SUBMITTED, title="另一街道的诉求")

    page = home(client, world.users[Role.COMMUNITY_STAFF])

    desk = page[page.index('data-block="appeals.desk"') :]
    assert "待派单的诉求" in desk and "街道督办的诉求" in desk
    assert "另一街道的诉求" not in page
    overdue = desk[desk.index("超期诉求（按网格）") :]
    assert "睦和苑社区第一网格" in overdue and "1 件" in overdue
    rates = page[page.index('data-block="appeals.rates"') :]
    assert "本月三率" in page and "响应率" in rates and "排名" in rates


def test_rider_home_offers_report_points_and_the_nearest_open_station(client, world):
    from jiceng.stations.models import PointsEntry

    user = world.users[Role.RIDER]
    rider = RiderFactory(area=world.community_a1, user=user)
    AppointmentFactory(rider=rider, grid=world.grid_a1)
    AreaFactory(
        code="370103002003001900",
        name="测试小区",
        kind=AreaKind.COMPOUND,
        parent=world.grid_a1,
        lat=36.66,
        lng=116.99,
    )
    StationFactory(area=world.community_a1, name="远处驿站", lat=36.70, lng=117.10)
    StationFactory(area=world.community_a1, name="近处驿站", lat=36.661, lng=116.991)
    report = AppealFactory(area=world.grid_a1, channel="rider", created_by=user, title="井盖缺失")
    PointsEntry.objects.create(
        rider=rider, appeal=report, points=7, reason="上报确认", earned_on=timezone.localdate()
    )

    page = home(client, user)

    block = page[page.index('data-block="stations.rider"') :]
    assert "我要上报问题" in block and reverse("appeals:rider") in block
    assert "井盖缺失" in block and "近处驿站" in block and "远处驿站" not in block
    assert [int(v) for v in _count_values(block)] == [7, 7]
    assert "工作概览" not in page and 'id="figures"' not in page


def test_first_secretary_home_shows_their_village_ledger_and_projects(client, world):
    user = world.users[Role.FIRST_SECRETARY]
    village = VillageFactory(
        area__code="370103003201", area__name="土屋村", area__parent=world.street_b
    ).area
    RoleAssignment.objects.filter(user=user).update(area=village)
    IncomeFactory(area=village, year=2023, amount=Decimal("400000"))
    IncomeFactory(area=village, year=2024, amount=Decimal("523456"))
    ProjectFactory(area=village, name="樱桃采摘园")

    page = home(client, user)

    block = page[page.index('data-block="rural.village"') :]
    assert "土屋村" in block and "樱桃采摘园" in block
    assert "52.35" in block and "2024年度" in block and "+12.35万元" in block
    got = figures(client, user, "2024")
    assert "乡村振兴" in got and "接诉即办" not in got and "一街一品" not in got


def test_judge_home_lists_their_sheets(client, world):
    user = world.users[Role.JUDGE]
    ScoreSheetFactory(judge=user, round_entry__entry__title="智慧农业路演项目")
    ScoreSheetFactory(round_entry__entry__title="别的评委的项目")

    page = home(client, user)

    block = page[page.index('data-block="contests.judge"') :]
    assert "我的评审任务" in page and "智慧农业路演项目" in block
    assert "别的评委的项目" not in page
    assert 'id="figures"' not in page


def test_district_admin_home_is_a_themed_overview_with_a_period_picker(client, world):
    page = home(client, world.users[Role.DISTRICT_ADMIN])
    assert "工作概览" in page and 'name="period"' in page
    got = figures(client, world.users[Role.DISTRICT_ADMIN], "2026-03")
    for theme in ("接诉即办", "红色物业·两新", "乡村振兴", "一街一品", "新就业群体"):
        assert f">{theme}</h2>" in got
    assert "2026年3月" in got and "截至今日" in got


def test_an_urban_street_shows_no_rural_figures_and_a_village_no_brand_figures(client, world):
    street = figures(client, world.users[Role.STREET_STAFF])
    assert "一街一品" in street and "乡村振兴" not in street
    assert 'data-indicator="village_income_total"' not in street
    # The area page applies the same rule.
    client.force_login(world.users[Role.DISTRICT_ADMIN])
    village = html(client.get(reverse("core:area_indicators", args=[world.village_b2.code])))
    assert 'data-indicator="brands"' not in village
    assert 'data-indicator="village_income_total"' in village


def test_a_bad_period_is_refused_in_chinese(client, world):
    client.force_login(world.users[Role.DISTRICT_ADMIN])
    response = client.get(reverse("core:home_figures"), {"period": "2026-13"})
    assert response.status_code == 400 and "格式不对" in html(response)
    page = client.get(reverse("core:home"), {"period": "abc"})
    assert page.status_code == 200 and "格式不对" in html(page)


def test_home_queries_are_pinned(client, world, steward, django_assert_max_num_queries):
    AppealFactory(area=world.grid_a1, owner=steward.person, status=Status.IN_PROGRESS)
    client.force_login(steward)
    with django_assert_max_num_queries(20):
        assert client.get(reverse("core:home")).status_code == 200
    client.force_login(world.users[Role.COMMUNITY_STAFF])
    with django_assert_max_num_queries(24):
        assert client.get(reverse("core:home")).status_code == 200


# ---- the area switcher narrows every list ---------------------------------------------------


def _switch(client, code):
    response = client.post(reverse("core:area_switch"), {"code": code, "next": "/"})
    assert response.status_code == 302


def test_area_switcher_narrows_lists_and_exports_until_switched_back(client, world):
    from jiceng.core.tests.factories import PersonFactory

    other = AreaFactory(
        code="370103002004", name="另一社区", kind=AreaKind.COMMUNITY, parent=world.street_a
    )
    PersonFactory(name="另一社区居民", area=other)
    AppealFactory(area=world.grid_a1, title="睦和苑的诉求")
    AppealFactory(area=other, title="另一社区的诉求")
    client.force_login(world.users[Role.STREET_STAFF])
    people = html(client.get(reverse("core:person_list")))
    assert "王睦和" in people and "另一社区居民" in people

    _switch(client, world.community_a1.code)

    people = html(client.get(reverse("core:person_list")))
    assert "王睦和" in people and "另一社区居民" not in people
    queue = html(client.get(reverse("appeals:queue"), {"queue": "community"}))
    assert "睦和苑的诉求" in queue and "另一社区的诉求" not in queue
    # The switcher still offers the way back up, and a direct link elsewhere still opens.
    page = html(client.get(reverse("core:home")))
    assert f'value="{world.street_a.code}"' in page
    assert client.get(reverse("core:area_detail", args=[other.code])).status_code == 200

    _switch(client, world.street_a.code)

    assert "另一社区居民" in html(client.get(reverse("core:person_list")))


def test_area_switcher_refuses_an_area_outside_the_scope_and_changes_nothing(client, world):
    client.force_login(world.users[Role.STREET_STAFF])
    _switch(client, world.community_a1.code)
    _switch(client, world.community_b1.code)
    from jiceng.core.context_processors import CURRENT_AREA_SESSION_KEY

    assert client.session[CURRENT_AREA_SESSION_KEY] == world.community_a1.code


def test_a_switched_area_the_account_no_longer_covers_is_ignored(client, world):
    from jiceng.core.context_processors import CURRENT_AREA_SESSION_KEY

    client.force_login(world.users[Role.STREET_STAFF])
    session = client.session
    session[CURRENT_AREA_SESSION_KEY] = world.community_b1.code
    session.save()
    people = html(client.get(reverse("core:person_list")))
    assert "王睦和" in people and "赵春元" not in people


def test_modules_about_an_area_kind_the_scope_lacks_leave_the_menu(client, world):
    urban = home(client, world.users[Role.COMMUNITY_STAFF])  # 睦和苑社区
    assert 'data-nav="rural"' not in urban and 'data-nav="brands"' in urban
    user = world.users[Role.COMMUNITY_STAFF]
    RoleAssignment.objects.filter(user=user).update(area=world.village_b2)
    village = home(client, user)
    assert 'data-nav="rural"' in village and 'data-nav="brands"' not in village
    district = home(client, world.users[Role.DISTRICT_ADMIN])
    assert 'data-nav="rural"' in district and 'data-nav="brands"' in district


def test_exports_follow_the_switched_area_now_and_in_the_background(
    client, world, settings, tmp_path, django_capture_on_commit_callbacks
):
    from io import BytesIO

    import openpyxl

    from jiceng.core.models import ExportJob
    from jiceng.core.tests.factories import PersonFactory

    other = AreaFactory(
        code="370103002004", name="另一社区", kind=AreaKind.COMMUNITY, parent=world.street_a
    )
    PersonFactory(name="另一社区居民", area=other)
    settings.JICENG_EXPORT_ROOT = tmp_path / "exports"
    client.force_login(world.users[Role.STREET_STAFF])
    _switch(client, world.community_a1.code)
    url = reverse("core:list_export", args=["core.people"])

    now = openpyxl.load_workbook(BytesIO(client.post(url).content)).active
    names = {row[0] for row in now.values}
    assert "王睦和" in names and "另一社区居民" not in names

    settings.JICENG_EXPORT_ASYNC_ROWS = 1
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(url).status_code == 302
    job = ExportJob.objects.get()
    download = client.get(reverse("core:export_job_download", args=[job.pk]))
    rows = openpyxl.load_workbook(BytesIO(b"".join(download.streaming_content))).active
    names = {row[0] for row in rows.values}
    assert "王睦和" in names and "另一社区居民" not in names
