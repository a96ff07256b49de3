"""The appeals' pages: the resident's phone pages, the staff queue and the appeal page."""

import io

import pytest
from django.core.cache import cache
from django.urls import reverse
from PIL import Image

from jiceng.appeals import services
from jiceng.appeals.models import Appeal, AppealEvent, Status
from jiceng.appeals.selectors import appeal_get_for, appeal_list_visible_to
from jiceng.core.errors import NotFound
from jiceng.core.roles import Role


@pytest.fixture(autouse=True)
def _clear_cache():
    cache.clear()


def submit(area_address="纬二路小区1号楼", **kw):
    values = dict(
        by=None,
        kind="help",
        channel="web",
        description="楼道灯坏了，晚上看不见",
        address=area_address,
        phone="13800001111",
    )
    values.update(kw)
    return services.appeal_submit(**values)


def png() -> io.BytesIO:
    buf = io.BytesIO()
    Image.new("RGB", (8, 8), "blue").save(buf, "JPEG")
    buf.seek(0)
    buf.name = "x.jpg"
    return buf


def test_resident_submits_without_login_and_lands_on_the_tracking_page(client, world, stewards):
    response = client.post(
        reverse("appeals:resident_new"),
        {
            "kind": "help",
            "description": "楼道灯坏了一个月了",
            "address": "纬二路小区1号楼",
            "resident_name": "王女士",
            "phone": "13800001111",
            "photos": [png()],
        },
    )
    appeal = Appeal.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("appeals:track", kwargs={"code": appeal.code})
    page = client.get(response.url).content.decode()
    assert appeal.code in page and "提交成功" in page
    assert appeal.attachments.count() == 1 and appeal.channel == "wechat"


def test_resident_bad_input_shows_chinese_errors_and_creates_nothing(client, world, stewards):
    response = client.post(
        reverse("appeals:resident_new"),
        {
            "kind": "help",
            "description": "灯",
            "phone": "",
        },
    )
    assert response.status_code == 400
    assert "至少 5 个字" in response.content.decode()
    assert Appeal.objects.count() == 0


def test_resident_page_is_rate_limited(client, world, stewards, settings):
    settings.JICENG_APPEALS_RATE_LIMIT_PER_IP = 2
    data = {"kind": "help", "description": "楼道灯坏了一个月了", "anonymous": "on"}
    for _ in range(2):
        assert client.post(reverse("appeals:resident_new"), data).status_code == 302
    response = client.post(reverse("appeals:resident_new"), data)
    assert response.status_code == 429 and "频繁" in response.content.decode()
    # What the resident typed is still in the form.
    assert "楼道灯坏了一个月了" in response.content.decode()
    assert Appeal.objects.count() == 2


def test_tracking_page_hides_internal_notes_and_masks_nothing_it_does_not_show(
    client, world, stewards
):
    a = submit()
    services.appeal_note(appeal=a, by=stewards.grid_user, note="内部：业主难沟通")
    page = client.get(reverse("appeals:track", kwargs={"code": a.code})).content.decode()
    assert "内部：业主难沟通" not in page and "13800001111" not in page


def test_unknown_tracking_code_is_a_404(client, db):
    assert client.get(reverse("appeals:track", kwargs={"code": "NOPE234567"})).status_code == 404


def test_resident_adds_information_and_rates(client, world, stewards):
    by = stewards.grid_user
    a = submit()
    client.post(reverse("appeals:track_info", kwargs={"code": a.code}), {"note": "晚上八点后在家"})
    assert AppealEvent.objects.filter(appeal=a, action="add_info").exists()
    a = services.appeal_contact(appeal=services.appeal_accept(appeal=a, by=by), by=by)
    services.appeal_resolve(appeal=a, by=by, result="solved", explanation="已更换灯泡")
    client.post(reverse("appeals:track_rate", kwargs={"code": a.code}), {"rating": "satisfied"})
    a.refresh_from_db()
    assert a.status == Status.RATED and a.rating == "satisfied"


def test_staff_form_registers_a_window_appeal(client, world, stewards):
    client.force_login(world.users[Role.COMMUNITY_STAFF])
    response = client.post(
        reverse("appeals:staff_new"),
        {
            "channel": "window",
            "kind": "consult",
            "urgency": "normal",
            "description": "咨询灵活就业医保缴费",
            "address": "纬二路小区1号楼",
            "phone": "13900001111",
        },
    )
    a = Appeal.objects.get()
    assert response.status_code == 302 and a.channel == "window"
    assert a.created_by == world.users[Role.COMMUNITY_STAFF]


def test_rider_reports_and_sees_own_reports(client, world, stewards):
    client.force_login(world.users[Role.RIDER])
    client.post(
        reverse("appeals:rider"), {"description": "井盖破损很危险", "address": "纬二路小区"}
    )
    a = Appeal.objects.get()
    assert a.channel == "rider"
    assert list(appeal_list_visible_to(user=world.users[Role.RIDER])) == [a]
    assert a.code in client.get(reverse("appeals:rider")).content.decode()


def test_steward_acts_on_the_appeal_page(client, world, stewards):
    a = submit()
    client.force_login(stewards.grid_user)
    page = client.get(reverse("appeals:detail", kwargs={"pk": a.pk})).content.decode()
    assert "接单" in page and "138****1111" in page and "13800001111" not in page
    client.post(reverse("appeals:action", kwargs={"pk": a.pk, "action": "accept"}))
    a.refresh_from_db()
    assert a.status == Status.ACCEPTED


def test_refused_action_shows_a_message_and_changes_nothing(client, world, stewards):
    a = submit()
    client.force_login(stewards.grid_user)
    response = client.post(
        reverse("appeals:action", kwargs={"pk": a.pk, "action": "resolve"}),
        {"result": "solved", "explanation": "好了"},
        follow=True,
    )
    assert "不能办结" in response.content.decode()
    a.refresh_from_db()
    assert a.status == Status.DISPATCHED


def test_bulk_redispatch_by_the_chief_steward(client, world, stewards):
    appeals = [submit() for _ in range(3)]
    client.force_login(stewards.chief_user)
    client.post(
        reverse("appeals:bulk_dispatch"),
        {"ids": [a.pk for a in appeals], "steward": stewards.chief.pk},
    )
    assert set(Appeal.objects.values_list("owner_id", flat=True)) == {stewards.chief.pk}


def test_queue_query_count_is_pinned(client, world, stewards, django_assert_max_num_queries):
    for _ in range(30):
        submit()
    client.force_login(stewards.chief_user)
    with django_assert_max_num_queries(22):
        response = client.get(reverse("appeals:queue") + "?queue=community")
    assert response.status_code == 200 and response.content.decode().count("status-") >= 30


def test_queue_search_by_full_phone_and_code(client, world, stewards):
    a = submit(phone="13911112222")
    submit()
    # The handling steward: the one who may reveal, and so search by, the phone.
    client.force_login(world.users[Role.GRID_STEWARD])
    for q in ("13911112222", a.code.lower()):
        page = client.get(reverse("appeals:queue"), {"queue": "all", "q": q}).content.decode()
        assert page.count('class="font-monospace"') == 1 and a.code in page


@pytest.mark.parametrize(
    ("role", "sees_a", "sees_b"),
    [
        (Role.DISTRICT_ADMIN, True, True),
        (Role.STREET_STAFF, True, False),
        (Role.COMMUNITY_STAFF, True, False),
        (Role.CHIEF_STEWARD, True, False),
        (Role.GRID_STEWARD, True, False),
        (Role.SHARED_STEWARD, False, False),
        (Role.RIDER, False, False),
        (Role.FIRST_SECRETARY, False, False),
        (Role.JUDGE, False, False),
        (Role.AUDITOR, False, False),
        (Role.SECURITY_ADMIN, False, False),
    ],
)
def test_scope_of_appeals_by_role(world, stewards, role, sees_a, sees_b):
    a = submit()
    b = submit(area_address="", lng=None)
    Appeal.objects.filter(pk=b.pk).update(area=world.grid_b1, grid=world.grid_b1)
    user = world.users[role]
    visible = set(appeal_list_visible_to(user=user).values_list("pk", flat=True))
    assert (a.pk in visible, b.pk in visible) == (sees_a, sees_b)
    if not sees_b:
        with pytest.raises(NotFound):
            appeal_get_for(user=user, pk=b.pk)


def test_shared_steward_sees_only_tasks_handed_to_them(world, stewards):
    a = services.appeal_accept(appeal=submit(), by=stewards.grid_user)
    submit()
    services.appeal_hand_to_shared(appeal=a, by=stewards.grid_user, shared=stewards.shared)
    assert list(appeal_list_visible_to(user=stewards.shared_user)) == [a]


def test_my_queue_lists_open_work_and_the_status_filter_reaches_the_rest(world, stewards):
    by = stewards.grid_user
    open_one = submit()
    done = services.appeal_contact(appeal=services.appeal_accept(appeal=submit(), by=by), by=by)
    done = services.appeal_resolve(appeal=done, by=by, result="solved", explanation="已修好")
    assert list(appeal_list_visible_to(user=by, queue="mine")) == [open_one]
    assert list(appeal_list_visible_to(user=by, queue="mine", status="resolved")) == [done]


def test_queue_search_by_phone_matches_only_appeals_whose_phone_the_user_may_reveal(
    client, world, stewards
):
    a = submit(phone="13911112222")
    # Handed to the shared steward: the grid steward still sees it, but is not its handler.
    Appeal.objects.filter(pk=a.pk).update(owner=stewards.shared)
    client.force_login(world.users[Role.GRID_STEWARD])
    by_code = client.get(reverse("appeals:queue"), {"queue": "all", "q": a.code})
    assert a.code in by_code.content.decode()
    # The grid steward may not reveal this phone (not its handler): no oracle on it.
    by_phone = client.get(reverse("appeals:queue"), {"queue": "all", "q": "13911112222"})
    assert a.code not in by_phone.content.decode()


def test_queue_search_by_phone_is_audited_and_limited(client, world, stewards, settings):
    from jiceng.core.models import AuditEvent

    settings.JICENG_IDENTIFIER_SEARCH_LIMIT = 2
    a = submit(phone="13911112222")
    client.force_login(world.users[Role.GRID_STEWARD])  # the appeal's handler
    for _ in range(2):
        page = client.get(reverse("appeals:queue"), {"queue": "all", "q": "13911112222"})
        assert page.status_code == 200 and a.code in page.content.decode()
    response = client.get(reverse("appeals:queue"), {"queue": "all", "q": "13911112222"})
    assert response.status_code == 429
    assert "按号码查询过于频繁" in response.content.decode()
    assert a.code not in response.content.decode()
    rows = AuditEvent.objects.filter(action="person.search_by_identifier")
    assert rows.count() == 2 and "13911112222" not in str(list(rows.values("changes")))


@pytest.mark.parametrize("role", [Role.SHARED_STEWARD, Role.RIDER])
def test_own_reach_roles_are_offered_no_area_queues(client, world, role):
    client.force_login(world.users[role])
    body = client.get("/appeals/").content.decode()
    assert "?queue=mine" in body
    for queue in ("grids", "community", "pool", "overdue", "supervised"):
        assert f"?queue={queue}" not in body


def test_a_grid_steward_is_offered_its_area_queues(client, world):
    client.force_login(world.users[Role.GRID_STEWARD])
    body = client.get("/appeals/").content.decode()
    assert "?queue=grids" in body and "?queue=pool" in body
