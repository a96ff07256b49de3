"""Service centers and activities: publishing, sign-up with capacity, check-in by the
signed link, by the code and by staff, the public page's refusals, and the statistics."""

import re
from datetime import timedelta
from urllib.parse import urlsplit

import pytest
from django.core.cache import cache
from django.urls import resolve, reverse
from django.utils import timezone

from jiceng.core.models import AuditEvent
from jiceng.core.roles import Role
from jiceng.core.tests.factories import PersonFactory
from jiceng.party.models import Activity, CheckinMethod, Participation, ServiceCenter
from jiceng.party.selectors.centers import activity_for_checkin, checkin_token
from jiceng.party.tests.factories import ActivityFactory, CenterFactory, OrganizationFactory

LAYOUT_QUERIES = 9


def html(response) -> str:
    return response.content.decode()


@pytest.fixture(autouse=True)
def clear_cache():
    cache.clear()


@pytest.fixture
def center(world):
    return CenterFactory(name="梦享家测试中心", area=world.community_a1)


@pytest.fixture
def activity(center):
    return ActivityFactory(center=center, title="三会一课", capacity=2)


def signup(client, activity, phone, org=None):
    return client.post(
        reverse("party:activity_signup", args=[activity.pk]),
        {"phone": phone, "organization": str(org.pk) if org else ""},
        follow=True,
    )


def test_editor_creates_a_center_and_publishes_an_activity(client, world):
    client.force_login(world.users[Role.COMMUNITY_STAFF])
    response = client.post(
        reverse("party:center_create"),
        {
            "name": "睦和苑党群服务中心",
            "area": world.community_a1.code,
            "address": "纬二路 8 号",
            "floor_space": "700",
            "facilities": "党员活动室\n\n红色书屋",
            "opening_hours": "9:00-21:00",
        },
    )
    center = ServiceCenter.objects.get(name="睦和苑党群服务中心")
    assert response["Location"] == center.get_absolute_url()
    assert center.facility_list == ["党员活动室", "红色书屋"]
    response = client.post(
        reverse("party:activity_create", args=[center.pk]),
        {
            "title": "主题党日",
            "kind": "org_life",
            "starts_at": "2024-07-01T14:30",
            "ends_at": "2024-07-01T16:30",
            "capacity": "",
        },
    )
    activity = Activity.objects.get(title="主题党日")
    assert response["Location"] == activity.get_absolute_url()
    assert len(activity.checkin_code) == 6 and activity.checkin_code.isdigit()
    assert AuditEvent.objects.filter(action="party.activity.create").count() == 1


def test_activity_ending_before_it_starts_is_refused(client, world, center):
    client.force_login(world.users[Role.COMMUNITY_STAFF])
    response = client.post(
        reverse("party:activity_create", args=[center.pk]),
        {
            "title": "主题党日",
            "kind": "org_life",
            "starts_at": "2024-07-01T14:30",
            "ends_at": "2024-07-01T14:00",
        },
    )
    assert response.status_code == 400 and "结束时间应晚于开始时间" in html(response)
    assert not Activity.objects.exists()


def test_signup_by_phone_respects_capacity_and_duplicates(client, world, activity):
    org = OrganizationFactory(name="报名企业", area=world.community_a1)
    people = [PersonFactory(area=world.community_a1) for _ in range(3)]
    client.force_login(world.users[Role.COMMUNITY_STAFF])
    assert "已为" in html(signup(client, activity, people[0].phone, org))
    assert "已报名该活动" in html(signup(client, activity, people[0].phone))
    signup(client, activity, people[1].phone)
    assert "名额（2 人）已满" in html(signup(client, activity, people[2].phone))
    assert activity.participations.count() == 2
    assert activity.participations.get(person=people[0]).organization == org
    # A person of another street is not found (and not named).
    page = html(signup(client, activity, world.people_b[0].phone))
    assert "没有找到该手机号对应的人员" in page and "赵春元" not in page


def test_signup_by_phone_is_audited_as_a_search_by_number(client, world, activity):
    person = PersonFactory(area=world.community_a1)
    client.force_login(world.users[Role.COMMUNITY_STAFF])
    signup(client, activity, person.phone)
    row = AuditEvent.objects.get(action="person.search_by_identifier")
    assert row.changes["kind"] == [None, "phone"] and person.phone not in str(row.changes)


def test_staff_check_in(client, world, activity):
    p = Participation.objects.create(
        activity=activity, person=world.people_a[0], signed_up_at=timezone.now()
    )
    client.force_login(world.users[Role.COMMUNITY_STAFF])
    client.post(reverse("party:activity_checkin", args=[activity.pk, p.pk]))
    p.refresh_from_db()
    assert p.attended_at is not None and p.checkin_method == CheckinMethod.STAFF
    client.force_login(world.users[Role.CHIEF_STEWARD])
    url = reverse("party:activity_checkin", args=[activity.pk, p.pk])
    assert client.post(url).status_code == 403


def test_member_checks_in_from_the_signed_link(client, world, activity):
    person = world.people_a[0]
    Participation.objects.create(activity=activity, person=person, signed_up_at=timezone.now())
    url = reverse("party:checkin", args=[checkin_token(activity)])
    page = html(client.get(url))
    assert "三会一课" in page and person.name not in page
    page = html(client.post(url, {"phone": person.phone}))
    assert "签到成功" in page
    p = activity.participations.get()
    assert p.checkin_method == CheckinMethod.LINK
    row = AuditEvent.objects.get(action="party.activity.checkin")
    assert row.actor_id is None


def test_member_checks_in_with_the_code(client, world, activity):
    person = world.people_a[1]
    Participation.objects.create(activity=activity, person=person, signed_up_at=timezone.now())
    url = reverse("party:checkin_code")
    page = html(client.post(url, {"code": activity.checkin_code}))
    assert "三会一课" in page and 'name="phone"' in page
    page = html(client.post(url, {"code": activity.checkin_code, "phone": person.phone}))
    assert "签到成功" in page
    assert activity.participations.get().checkin_method == CheckinMethod.CODE


@pytest.mark.parametrize(
    ("phone", "message"),
    [("1380000", "请填写 11 位手机号"), ("13999999999", "未找到该手机号的报名记录")],
)
def test_public_check_in_refusals_change_nothing(client, world, activity, phone, message):
    Participation.objects.create(
        activity=activity, person=world.people_a[0], signed_up_at=timezone.now()
    )
    url = reverse("party:checkin", args=[checkin_token(activity)])
    response = client.post(url, {"phone": phone})
    assert response.status_code == 400 and message in html(response)
    assert activity.participations.get().attended_at is None


def test_check_in_is_closed_outside_the_window(client, world, center):
    later = timezone.now() + timedelta(days=1)
    activity = ActivityFactory(center=center, starts_at=later, ends_at=later + timedelta(hours=1))
    Participation.objects.create(
        activity=activity, person=world.people_a[0], signed_up_at=timezone.now()
    )
    url = reverse("party:checkin", args=[checkin_token(activity)])
    assert 'name="phone"' not in html(client.get(url))
    response = client.post(url, {"phone": world.people_a[0].phone})
    assert "当前不在签到时间内" in html(response)
    assert activity.participations.get().attended_at is None


def test_forged_token_and_unknown_code_are_404(client, activity):
    token = checkin_token(activity)
    forged = token[:-2] + ("yy" if token.endswith("xx") else "xx")
    assert client.get(reverse("party:checkin", args=[forged])).status_code == 404
    response = client.post(reverse("party:checkin_code"), {"code": "999999"})
    assert response.status_code == 404 and "签到链接或签到码无效" in html(response)


def test_repeated_failures_are_throttled(client, activity):
    for _ in range(20):
        client.post(reverse("party:checkin_code"), {"code": "999999"})
    response = client.post(reverse("party:checkin_code"), {"code": activity.checkin_code})
    assert response.status_code == 429


def test_participation_statistics_per_organization_and_person(client, world, center):
    org = OrganizationFactory(name="统计企业", area=world.community_a1)
    now = timezone.now()
    a1 = ActivityFactory(center=center)
    a2 = ActivityFactory(center=center)
    member, other = world.people_a
    for activity, person, attended in ((a1, member, True), (a2, member, True), (a1, other, False)):
        Participation.objects.create(
            activity=activity,
            person=person,
            organization=org,
            signed_up_at=now,
            attended_at=now if attended else None,
        )
    client.force_login(world.users[Role.STREET_STAFF])
    response = client.get(reverse("party:participation"))
    by_org = list(response.context["by_organization"])
    assert [
        (r["organization__name"], r["signups"], r["attended"], r["people"]) for r in by_org
    ] == [("统计企业", 3, 2, 2)]
    by_person = {
        r["person__name"]: (r["signups"], r["attended"]) for r in response.context["by_person"]
    }
    assert by_person == {member.name: (2, 2), other.name: (1, 0)}
    assert member.phone not in html(response)


def test_center_pages_query_counts(client, world, center, django_assert_max_num_queries):
    for i in range(15):
        activity = ActivityFactory(center=center, title=f"活动{i}")
        Participation.objects.create(
            activity=activity, person=world.people_a[0], signed_up_at=timezone.now()
        )
    client.force_login(world.users[Role.COMMUNITY_STAFF])
    with django_assert_max_num_queries(LAYOUT_QUERIES + 1):
        client.get(reverse("party:center_list"))
    # The center, the page's count, its activities with their tallies.
    with django_assert_max_num_queries(LAYOUT_QUERIES + 3):
        assert "活动14" in html(client.get(center.get_absolute_url()))
    for _ in range(10):
        Participation.objects.create(
            activity=activity,
            person=PersonFactory(area=world.community_a1),
            signed_up_at=timezone.now(),
        )
    with django_assert_max_num_queries(LAYOUT_QUERIES + 4):
        client.get(activity.get_absolute_url())


def test_activity_page_shows_the_check_in_link_as_a_qr_code_to_its_managers(
    client, world, activity
):
    from jiceng.core.qr import qr_svg

    client.force_login(world.users[Role.COMMUNITY_STAFF])
    page = html(client.get(reverse("party:activity_detail", args=[activity.pk])))
    # The token is signed with a timestamp: verify the page's link instead of remaking it.
    link = re.search(r'<a href="([^"]+)" class="checkin-link">', page).group(1)
    url = urlsplit(link)
    target = resolve(url.path)
    assert (url.scheme, url.netloc, target.view_name) == ("http", "testserver", "party:checkin")
    assert activity_for_checkin(token=target.kwargs["token"]) == activity
    assert 'class="checkin-qr"' in page
    assert str(qr_svg(link, title="扫码签到")) in page
