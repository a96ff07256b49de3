"""The core's pages as each role sees them: scope, masking, audit of reveals, lockout."""

import pytest
from django.urls import reverse

from jiceng.conftest import PASSWORD
from jiceng.core.context_processors import CURRENT_AREA_SESSION_KEY
from jiceng.core.models import AreaKind, AuditEvent, PostTitle
from jiceng.core.roles import Role
from jiceng.core.tests.factories import AreaFactory, PersonFactory, PostFactory

# Queries every logged-in page costs before its own: session, user, role assignments, and
# the session save (SESSION_SAVE_EVERY_REQUEST: savepoint, update, release); the layout's
# area switcher adds the current area, the scope roots and the current area's children.
BASE_QUERIES = 6
SHELL_QUERIES = 3


def login(client, world, role):
    client.force_login(world.users[role])
    return world.users[role]


def html(response) -> str:
    return response.content.decode()


# ---- login required, errors ---------------------------------------------------------------


@pytest.mark.parametrize(
    "url",
    [
        "/",
        "/areas/",
        "/areas/370103002/",
        "/areas/370103002/children/",
        "/areas/370103002/indicators/",
        "/people/",
        "/people/1/",
        "/audit/",
        "/accounts/",
        "/password/",
        "/party/",
        "/party/1/",
    ],
)
def test_anonymous_visitor_is_sent_to_login(client, db, url):
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("core:login"))


def test_unknown_page_shows_chinese_404(client, world):
    login(client, world, Role.STREET_STAFF)
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert "页面不存在" in html(response)


# ---- login, lockout, password ------------------------------------------------------------


def test_login_page_is_chinese_and_logs_in(client, world):
    page = client.get(reverse("core:login"))
    assert page.status_code == 200
    assert 'lang="zh-CN"' in html(page)
    assert "基层治理平台" in html(page)
    response = client.post(
        reverse("core:login"), {"username": "t_street_staff", "password": PASSWORD}
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("core:home")


def test_wrong_password_shows_chinese_error(client, world):
    response = client.post(
        reverse("core:login"), {"username": "t_street_staff", "password": "wrong-password"}
    )
    assert response.status_code == 200
    assert "用户名或密码不正确" in html(response)
    assert "_auth_user_id" not in client.session


def test_five_wrong_passwords_lock_the_account(client, world):
    for _ in range(5):
        response = client.post(
            reverse("core:login"), {"username": "t_street_staff", "password": "wrong-password"}
        )
    assert response.status_code == 429
    assert "账号已被临时锁定" in html(response)
    assert "30 分钟" in html(response)
    # Now even the right password is refused, and no session is opened.
    response = client.post(
        reverse("core:login"), {"username": "t_street_staff", "password": PASSWORD}
    )
    assert response.status_code == 429
    assert "账号已被临时锁定" in html(response)
    assert "_auth_user_id" not in client.session


def test_logout_is_a_post_that_ends_the_session(client, world):
    login(client, world, Role.STREET_STAFF)
    response = client.post(reverse("core:logout"))
    assert response.status_code == 302
    assert "_auth_user_id" not in client.session


def test_password_change_sets_new_password_and_is_audited(client, world):
    user = login(client, world, Role.STREET_STAFF)
    page = client.get(reverse("core:password_change"))
    assert "原密码" in html(page)
    response = client.post(
        reverse("core:password_change"),
        {
            "old_password": PASSWORD,
            "new_password1": "Changed#2025x",
            "new_password2": "Changed#2025x",
        },
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("core:password_change_done")
    user.refresh_from_db()
    assert user.check_password("Changed#2025x")
    assert (
        AuditEvent.objects.filter(action="account.password_change", object_id=str(user.pk)).count()
        == 1
    )
    # The session survives the change.
    assert client.get(reverse("core:home")).status_code == 200


def test_password_change_with_wrong_old_password_changes_nothing(client, world):
    user = login(client, world, Role.STREET_STAFF)
    response = client.post(
        reverse("core:password_change"),
        {
            "old_password": "not-my-password",
            "new_password1": "Changed#2025x",
            "new_password2": "Changed#2025x",
        },
    )
    assert response.status_code == 200
    assert "原密码不正确" in html(response)
    user.refresh_from_db()
    assert user.check_password(PASSWORD)
    assert not AuditEvent.objects.filter(action="account.password_change").exists()


# ---- home and layout ----------------------------------------------------------------------


def test_business_home_shows_the_first_scope_root_and_its_children(client, world):
    login(client, world, Role.STREET_STAFF)
    page = html(client.get(reverse("core:home")))
    assert "大观园街道" in page
    assert "睦和苑社区" in page
    assert "杆石桥街道" not in page
    assert reverse("core:home_figures") in page


def test_sidebar_shows_only_usable_modules(client, world):
    login(client, world, Role.COMMUNITY_STAFF)
    page = html(client.get(reverse("core:home")))
    for key in ("home", "areas", "people", "party"):
        assert f'data-nav="{key}"' in page
    assert 'data-nav="audit"' not in page
    assert 'data-nav="accounts"' not in page


def test_auditor_home_lists_recent_audit_rows_and_no_business_modules(client, world):
    services_person_reveal(world)
    login(client, world, Role.AUDITOR)
    page = html(client.get(reverse("core:home")))
    assert "最近审计记录" in page
    assert '<span title="person.reveal">查看明文</span>' in page
    assert 'data-nav="audit"' in page
    assert 'data-nav="areas"' not in page
    assert 'data-nav="people"' not in page


def test_security_admin_home_summarizes_accounts(client, world):
    login(client, world, Role.SECURITY_ADMIN)
    page = html(client.get(reverse("core:home")))
    assert "账号概况" in page
    assert 'data-nav="accounts"' in page
    assert 'data-nav="areas"' not in page
    assert "睦和苑社区" not in page


def test_indicator_fragment_shows_registry_figures(client, world):
    login(client, world, Role.STREET_STAFF)
    response = client.get(reverse("core:area_indicators", args=[world.street_a.code]))
    page = html(response)
    assert response.status_code == 200
    assert 'data-indicator="communities"' in page
    assert "网格数" in page
    assert 'data-indicator="streets"' not in page  # a street's 街道数 says nothing


def test_community_figures_leave_out_counts_of_its_own_level(client, world):
    login(client, world, Role.COMMUNITY_STAFF)
    url = reverse("core:area_indicators", args=[world.community_a1.code])
    page = html(client.get(url))
    assert 'data-indicator="grids"' in page and 'data-indicator="people"' in page
    for key in ("streets", "communities", "villages"):
        assert f'data-indicator="{key}"' not in page


def test_indicator_fragment_of_an_out_of_scope_area_is_404(client, world):
    login(client, world, Role.STREET_STAFF)
    response = client.get(
        reverse("core:area_indicators", args=[world.street_b.code]), HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 404


# ---- area switcher -----------------------------------------------------------------------


def test_area_switcher_offers_roots_and_children(client, world):
    login(client, world, Role.STREET_STAFF)
    page = html(client.get(reverse("core:home")))
    assert f'value="{world.street_a.code}"' in page
    assert f'value="{world.community_a1.code}"' in page
    assert f'value="{world.street_b.code}"' not in page


def test_area_switcher_stores_an_in_scope_area(client, world):
    login(client, world, Role.STREET_STAFF)
    response = client.post(
        reverse("core:area_switch"), {"code": world.community_a1.code, "next": "/"}
    )
    assert response.status_code == 302
    assert client.session[CURRENT_AREA_SESSION_KEY] == world.community_a1.code
    page = html(client.get(reverse("core:home")))
    assert "<h1>睦和苑社区</h1>" in page
    assert "睦和苑社区第一网格" in page


def test_area_switcher_refuses_an_out_of_scope_area_and_changes_nothing(client, world):
    login(client, world, Role.STREET_STAFF)
    client.post(reverse("core:area_switch"), {"code": world.community_a1.code, "next": "/"})
    response = client.post(
        reverse("core:area_switch"), {"code": world.community_b1.code, "next": "/"}, follow=True
    )
    assert "不在您的管辖范围内" in html(response)
    assert client.session[CURRENT_AREA_SESSION_KEY] == world.community_a1.code
    assert "春元里社区" not in html(response)


def test_area_switcher_ignores_an_offsite_next(client, world):
    login(client, world, Role.STREET_STAFF)
    response = client.post(
        reverse("core:area_switch"), {"code": world.street_a.code, "next": "https://evil.example/"}
    )
    assert response["Location"] == reverse("core:home")


# ---- areas ----------------------------------------------------------------------------------


def test_area_tree_starts_at_scope_roots(client, world):
    login(client, world, Role.STREET_STAFF)
    page = html(client.get(reverse("core:area_tree")))
    assert "大观园街道" in page
    assert reverse("core:area_children", args=[world.street_a.code]) in page
    assert "杆石桥街道" not in page
    assert "市中区" not in page.split("<main")[1]


def test_area_children_fragment_lists_children_with_counts(client, world):
    login(client, world, Role.DISTRICT_ADMIN)
    response = client.get(
        reverse("core:area_children", args=[world.district.code]), HTTP_HX_REQUEST="true"
    )
    page = html(response)
    assert "<html" not in page
    assert "大观园街道" in page and "杆石桥街道" in page
    assert "下级 2 个" in page  # 杆石桥街道: one community, one village


def test_area_children_of_an_out_of_scope_area_is_404(client, world):
    login(client, world, Role.STREET_STAFF)
    response = client.get(reverse("core:area_children", args=[world.street_b.code]))
    assert response.status_code == 404
    assert "春元里社区" not in html(response)


@pytest.mark.parametrize(
    ("text", "found", "absent"),
    [
        ("睦和", "睦和苑社区", "春元里社区"),
        ("春元里", None, "春元里社区"),
        ("370103002003", "睦和苑社区第一网格", "春元里社区"),
    ],
)
def test_area_search_stays_in_scope(client, world, text, found, absent):
    login(client, world, Role.STREET_STAFF)
    page = html(client.get(reverse("core:area_tree"), {"q": text}))
    results = page.split('id="area-search-results"')[1].split('class="card-body"')[0]
    if found:
        assert found in results
    else:
        assert "没有名称或编码匹配" in results
    assert absent not in results


def test_community_page_shows_grids_stewards_posts_and_breadcrumbs(client, world):
    login(client, world, Role.STREET_STAFF)
    page = html(client.get(reverse("core:area_detail", args=[world.community_a1.code])))
    assert "睦和苑社区第一网格" in page
    assert "网格管家" in page and "李网格" in page  # the grid's steward
    assert "王睦和" in page  # community secretary held here
    assert world.people_a[0].phone_masked in page
    assert world.people_a[0].phone not in page
    assert 'class="breadcrumb app-breadcrumb"' in page
    assert f'href="{world.street_a.get_absolute_url()}"' in page
    assert "3200 户" in page


def test_compound_page_lists_its_buildings(client, world):
    login(client, world, Role.COMMUNITY_STAFF)
    page = html(client.get(reverse("core:area_detail", args=[world.compound_a1.code])))
    assert "楼栋" in page and "1号楼" in page


@pytest.mark.parametrize("role", [Role.STREET_STAFF, Role.COMMUNITY_STAFF, Role.GRID_STEWARD])
def test_out_of_scope_area_page_is_404(client, world, role):
    login(client, world, role)
    response = client.get(reverse("core:area_detail", args=[world.community_b1.code]))
    assert response.status_code == 404
    assert "不在您的管辖范围内" in html(response)
    assert "赵春元" not in html(response)


@pytest.mark.parametrize("name", ["core:area_tree", "core:person_list"])
@pytest.mark.parametrize("role", [Role.AUDITOR, Role.SECURITY_ADMIN])
def test_system_roles_get_403_on_business_lists(client, world, role, name):
    login(client, world, role)
    response = client.get(reverse(name))
    assert response.status_code == 403
    assert "不能查看业务数据" in html(response)


@pytest.mark.parametrize("role", [Role.AUDITOR, Role.SECURITY_ADMIN])
def test_system_roles_get_403_on_area_and_person_pages(client, world, role):
    login(client, world, role)
    for url in (
        reverse("core:area_detail", args=[world.community_a1.code]),
        reverse("core:area_children", args=[world.district.code]),
        reverse("core:area_indicators", args=[world.district.code]),
        reverse("core:person_detail", args=[world.people_a[0].pk]),
    ):
        response = client.get(url)
        assert response.status_code == 403
        assert "睦和苑社区第一网格" not in html(response)
        assert "王睦和" not in html(response)


# ---- people -------------------------------------------------------------------------------


def test_person_list_shows_in_scope_people_masked(client, world):
    login(client, world, Role.COMMUNITY_STAFF)
    page = html(client.get(reverse("core:person_list")))
    wang = world.people_a[0]
    assert "王睦和" in page and "李网格" in page
    assert "赵春元" not in page and "钱村民" not in page
    assert wang.phone_masked in page and wang.id_number_masked in page
    assert wang.phone not in page and wang.id_number not in page


@pytest.mark.parametrize("field", ["name", "phone", "id_number"])
def test_person_search_by_name_exact_phone_or_id_number(client, world, field):
    login(client, world, Role.STREET_STAFF)
    wang = world.people_a[0]
    value = {"name": "睦和", "phone": wang.phone, "id_number": wang.id_number}[field]
    page = html(client.get(reverse("core:person_list"), {"q": value}))
    assert "王睦和" in page
    assert "李网格" not in page


def test_person_search_does_not_reach_out_of_scope_people(client, world):
    login(client, world, Role.STREET_STAFF)
    zhao = world.people_b[0]
    page = html(client.get(reverse("core:person_list"), {"q": zhao.phone}))
    assert "赵春元" not in page
    assert "没有找到" in page


def test_person_filter_by_area_narrows_the_list(client, world):
    login(client, world, Role.STREET_STAFF)
    page = html(client.get(reverse("core:person_list"), {"area": world.grid_a1.code}))
    assert "李网格" in page
    assert "王睦和" not in page


def test_person_filter_by_out_of_scope_area_shows_error_and_no_rows(client, world):
    login(client, world, Role.COMMUNITY_STAFF)
    response = client.get(reverse("core:person_list"), {"area": world.community_b1.code})
    page = html(response)
    assert response.status_code == 200
    assert "不在您的管辖范围内" in page
    assert "赵春元" not in page and "王睦和" not in page


def test_person_detail_masks_and_offers_reveal_to_community_staff(client, world):
    login(client, world, Role.COMMUNITY_STAFF)
    wang = world.people_a[0]
    page = html(client.get(reverse("core:person_detail", args=[wang.pk])))
    assert wang.phone_masked in page and wang.phone not in page
    assert wang.id_number_masked in page and wang.id_number not in page
    assert reverse("core:person_reveal", args=[wang.pk, "phone"]) in page
    assert "社区党组织书记" in page


def test_person_detail_offers_no_reveal_to_grid_steward(client, world):
    login(client, world, Role.GRID_STEWARD)
    li = world.people_a[1]
    page = html(client.get(reverse("core:person_detail", args=[li.pk])))
    assert li.phone_masked in page
    assert "reveal" not in page


def test_out_of_scope_person_page_is_404(client, world):
    login(client, world, Role.STREET_STAFF)
    response = client.get(reverse("core:person_detail", args=[world.people_b[0].pk]))
    assert response.status_code == 404
    assert "赵春元" not in html(response)


def test_reveal_by_grid_steward_is_403_and_writes_no_audit_row(client, world):
    login(client, world, Role.GRID_STEWARD)
    li = world.people_a[1]
    before = AuditEvent.objects.count()
    response = client.post(
        reverse("core:person_reveal", args=[li.pk, "phone"]), HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 403
    assert li.phone not in html(response)
    assert AuditEvent.objects.count() == before


@pytest.mark.parametrize("field", ["phone", "id_number"])
def test_reveal_by_community_staff_returns_clear_value_and_is_audited(client, world, field):
    user = login(client, world, Role.COMMUNITY_STAFF)
    wang = world.people_a[0]
    response = client.post(
        reverse("core:person_reveal", args=[wang.pk, field]), HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 200
    assert getattr(wang, field) in html(response)
    assert "no-store" in response["Cache-Control"]
    rows = AuditEvent.objects.filter(action="person.reveal")
    assert rows.count() == 1
    row = rows.get()
    assert row.actor_id == user.pk and row.object_id == str(wang.pk)
    assert row.changes == {"field": [None, field]}


def test_reveal_of_out_of_scope_person_is_404_and_not_audited(client, world):
    login(client, world, Role.COMMUNITY_STAFF)
    response = client.post(reverse("core:person_reveal", args=[world.people_b[0].pk, "phone"]))
    assert response.status_code == 404
    assert not AuditEvent.objects.filter(action="person.reveal").exists()


def test_reveal_needs_post(client, world):
    login(client, world, Role.COMMUNITY_STAFF)
    response = client.get(reverse("core:person_reveal", args=[world.people_a[0].pk, "phone"]))
    assert response.status_code == 405
    assert not AuditEvent.objects.filter(action="person.reveal").exists()


# ---- audit and accounts ----------------------------------------------------------------


def services_person_reveal(world):
    from jiceng.core.services import person_reveal

    person_reveal(by=world.users[Role.COMMUNITY_STAFF], person=world.people_a[0], field="phone")


def test_auditor_sees_the_audit_log_with_filters(client, world):
    services_person_reveal(world)
    login(client, world, Role.AUDITOR)
    reveal_cell = '<span title="person.reveal">查看明文</span>'
    page = html(client.get(reverse("core:audit_list")))
    assert reveal_cell in page and "t_community_staff" in page and "王睦和" in page
    page = html(client.get(reverse("core:audit_list"), {"action": "area."}))
    assert reveal_cell not in page
    assert "没有符合条件的审计记录" in page
    page = html(client.get(reverse("core:audit_list"), {"actor": "t_community"}))
    assert reveal_cell in page


@pytest.mark.parametrize("role", [Role.DISTRICT_ADMIN, Role.SECURITY_ADMIN, Role.STREET_STAFF])
def test_audit_log_is_403_for_others(client, world, role):
    services_person_reveal(world)
    login(client, world, role)
    response = client.get(reverse("core:audit_list"))
    assert response.status_code == 403
    assert "person.reveal" not in html(response)
    assert client.post(reverse("core:audit_verify")).status_code == 403


def test_audit_verify_reports_an_intact_chain(client, world):
    services_person_reveal(world)
    login(client, world, Role.AUDITOR)
    response = client.post(reverse("core:audit_verify"), HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    assert "校验通过" in html(response)


def test_audit_verify_reports_the_first_broken_row(client, world):
    from jiceng.core.tests.tamper import sql

    services_person_reveal(world)
    services_person_reveal(world)
    first = AuditEvent.objects.order_by("id").first()
    sql("UPDATE core_auditevent SET actor_name = 'x' WHERE id = %s", [first.pk])
    login(client, world, Role.AUDITOR)
    response = client.post(reverse("core:audit_verify"), follow=True)
    assert f"第 {first.pk} 行" in html(response)
    assert "校验失败" in html(response)


def test_security_admin_sees_accounts_with_scopes(client, world):
    login(client, world, Role.SECURITY_ADMIN)
    page = html(client.get(reverse("core:account_list")))
    assert "t_grid_steward" in page
    assert "网格管家 · 睦和苑社区第一网格" in page
    assert "王睦和" not in page  # people are business data


def test_account_list_is_403_for_others(client, world):
    login(client, world, Role.DISTRICT_ADMIN)
    response = client.get(reverse("core:account_list"))
    assert response.status_code == 403
    assert "t_grid_steward" not in html(response)


# ---- query counts ----------------------------------------------------------------------


@pytest.fixture
def bigger_world(world):
    """More rows of every kind the list pages show, so an N+1 would add queries."""
    for i in range(2, 12):
        grid = AreaFactory(
            code=f"{world.community_a1.code}{i:03d}",
            name=f"第{i}网格",
            kind=AreaKind.GRID,
            parent=world.community_a1,
        )
        steward = PersonFactory(name=f"管家{i}", area=grid)
        PostFactory(person=steward, title=PostTitle.GRID_STEWARD, area=grid)
        PostFactory(
            person=PersonFactory(name=f"工作者{i}", area=world.community_a1),
            title=PostTitle.COMMUNITY_WORKER,
            area=world.community_a1,
        )
    return world


def test_area_tree_query_count(client, bigger_world, django_assert_max_num_queries):
    login(client, bigger_world, Role.DISTRICT_ADMIN)
    with django_assert_max_num_queries(BASE_QUERIES + SHELL_QUERIES + 1):
        response = client.get(reverse("core:area_tree"))
    assert "市中区" in html(response)


def test_area_detail_query_count(client, bigger_world, django_assert_max_num_queries):
    login(client, bigger_world, Role.STREET_STAFF)
    # area, breadcrumbs, children count and page, grid stewards, posts held here
    with django_assert_max_num_queries(BASE_QUERIES + SHELL_QUERIES + 6):
        response = client.get(reverse("core:area_detail", args=[bigger_world.community_a1.code]))
    assert "管家11" in html(response) and "工作者11" in html(response)


def test_person_list_query_count(client, bigger_world, django_assert_max_num_queries):
    login(client, bigger_world, Role.STREET_STAFF)
    # count, page (with areas), the area filter's choices
    with django_assert_max_num_queries(BASE_QUERIES + SHELL_QUERIES + 3):
        response = client.get(reverse("core:person_list"))
    assert "管家11" in html(response)


# ---- sidebar registry and the admin -------------------------------------------------------


def test_a_module_registers_its_sidebar_entry(client, world, monkeypatch):
    from jiceng.core import context_processors as cp

    monkeypatch.setattr(cp, "_SIDEBAR", dict(cp._SIDEBAR))
    cp.register_sidebar_entry(
        cp.SidebarEntry(
            "appeals",
            "接诉即办",
            "core:home",
            lambda u: u.username == "t_grid_steward",
            order=15,
        )
    )
    login(client, world, Role.GRID_STEWARD)
    page = html(client.get(reverse("core:area_tree")))
    assert 'data-nav="appeals"' in page and "接诉即办" in page
    assert page.index('data-nav="areas"') < page.index('data-nav="appeals"')
    assert page.index('data-nav="appeals"') < page.index('data-nav="people"')
    login(client, world, Role.STREET_STAFF)
    assert 'data-nav="appeals"' not in html(client.get(reverse("core:area_tree")))


@pytest.fixture
def superuser(db):
    from django.utils import timezone

    from jiceng.core.models import User

    # The manager does not go through User.set_password: without the stamp the middleware
    # would send this superuser to change an administrator-set password first.
    return User.objects.create_superuser(
        "root", password=PASSWORD, password_changed_at=timezone.now()
    )


def test_admin_audit_log_is_read_only(client, world, superuser):
    services_person_reveal(world)
    row = AuditEvent.objects.get()
    client.force_login(superuser)
    assert client.get("/admin/core/auditevent/").status_code == 200
    assert client.get("/admin/core/auditevent/add/").status_code == 403
    change_url = f"/admin/core/auditevent/{row.pk}/change/"
    assert client.post(change_url, {"action": "tampered"}).status_code == 403
    assert (
        client.post(f"/admin/core/auditevent/{row.pk}/delete/", {"post": "yes"}).status_code == 403
    )
    row.refresh_from_db()
    assert row.action == "person.reveal"


def test_admin_person_page_shows_only_masked_numbers(client, world, superuser):
    wang = world.people_a[0]
    client.force_login(superuser)
    page = html(client.get(f"/admin/core/person/{wang.pk}/change/"))
    assert wang.phone_masked in page and wang.id_number_masked in page
    assert wang.phone not in page and wang.id_number not in page
    assert wang.id_number_encrypted not in page and wang.id_number_index not in page
    listing = html(client.get("/admin/core/person/"))
    assert wang.phone_masked in listing and wang.phone not in listing


def test_only_the_longest_matching_sidebar_entry_is_active(client, world):
    client.force_login(world.users[Role.DISTRICT_ADMIN])
    html = client.get(reverse("party:coverage")).content.decode()
    assert html.count('aria-current="page"') == 1
    assert 'aria-current="page" data-nav="party_two_new"' in html


def test_server_error_page_is_chinese_without_debug(client, world, settings, monkeypatch):
    from jiceng.core.views import home

    assert settings.DEBUG is False

    def explode(*args, **kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr(home.HomeView, "get", explode)
    login(client, world, Role.STREET_STAFF)
    client.raise_request_exception = False
    response = client.get("/")
    assert response.status_code == 500
    assert "系统暂时出错" in html(response)
    assert "boom" not in html(response)


def test_demo_settings_answer_like_production_unless_asked(monkeypatch):
    import importlib

    import config.settings.local as local

    monkeypatch.delenv("DJANGO_DEBUG", raising=False)
    assert importlib.reload(local).DEBUG is False
    assert "whitenoise.middleware.WhiteNoiseMiddleware" in local.MIDDLEWARE
    monkeypatch.setenv("DJANGO_DEBUG", "1")
    assert importlib.reload(local).DEBUG is True
