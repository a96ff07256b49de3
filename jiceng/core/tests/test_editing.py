"""The editing pages of areas, people and posts: editors write inside their scope (with an
audit row), everyone else is refused and nothing changes, bad input shows the service's
Chinese message on the form."""

import re
from datetime import date

import pytest
from django.urls import reverse

from jiceng.core.models import Area, AreaKind, AuditEvent, Person, Post, PostTitle
from jiceng.core.roles import Role
from jiceng.core.tests.factories import PostFactory, valid_id_number
from jiceng.party.models import PartyOrg

REFUSED_ROLES = [Role.GRID_STEWARD, Role.RIDER, Role.AUDITOR]


def login(client, world, role):
    client.force_login(world.users[role])
    return world.users[role]


def html(response) -> str:
    return response.content.decode()


def snapshot():
    return (
        list(Area.objects.order_by("id").values()),
        list(Person.objects.order_by("id").values()),
        list(Post.objects.order_by("id").values()),
        list(PartyOrg.objects.order_by("id").values()),
        list(AuditEvent.objects.order_by("id").values_list("id", flat=True)),
    )


def audit_rows(action):
    return list(AuditEvent.objects.filter(action=action))


# ---- area: edit ------------------------------------------------------------------------


def test_community_staff_edits_their_community(client, world):
    user = login(client, world, Role.COMMUNITY_STAFF)
    area = world.community_a1
    url = reverse("core:area_edit", args=[area.code])
    page = html(client.get(url))
    assert "户数" in page and 'value="3200"' in page and 'value="睦和苑社区"' in page

    response = client.post(
        url, {"name": "睦和苑社区（新）", "households": "3300", "address": "纬二路"}
    )
    assert response.status_code == 302
    assert response["Location"] == area.get_absolute_url()
    area.refresh_from_db()
    assert (area.name, area.households, area.address) == ("睦和苑社区（新）", 3300, "纬二路")
    (row,) = audit_rows("area.update")
    assert row.actor_id == user.pk and row.object_id == str(area.pk)
    assert row.changes["households"] == ["3200", "3300"]
    assert "已保存睦和苑社区（新）的信息" in html(client.get(response["Location"]))


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"name": "", "households": "10"}, "名称不能为空"),
        ({"name": "睦和苑社区", "households": "-5"}, "户数不能为负数"),
        ({"name": "睦和苑社区", "households": "很多"}, "户数应为整数"),
    ],
)
def test_area_edit_shows_the_reason_and_changes_nothing(client, world, data, message):
    login(client, world, Role.COMMUNITY_STAFF)
    before = snapshot()
    response = client.post(reverse("core:area_edit", args=[world.community_a1.code]), data)
    assert response.status_code == 200
    assert message in html(response)
    assert snapshot() == before


@pytest.mark.parametrize("role", REFUSED_ROLES)
@pytest.mark.parametrize("name", ["core:area_edit", "core:area_child_create"])
def test_area_forms_refuse_non_editors(client, world, role, name):
    login(client, world, role)
    url = reverse(name, args=[world.grid_a1.code])
    before = snapshot()
    assert client.get(url).status_code == 403
    response = client.post(url, {"code": world.grid_a1.code + "009", "name": "改名"})
    assert response.status_code == 403
    assert snapshot() == before


@pytest.mark.parametrize("name", ["core:area_edit", "core:area_child_create"])
def test_area_forms_of_another_street_are_404(client, world, name):
    login(client, world, Role.STREET_STAFF)
    url = reverse(name, args=[world.community_b1.code])
    before = snapshot()
    assert client.get(url).status_code == 404
    response = client.post(url, {"code": world.community_b1.code + "009", "name": "改名"})
    assert response.status_code == 404
    assert "春元里社区" not in html(response)
    assert snapshot() == before


def test_area_page_shows_edit_buttons_only_to_editors(client, world):
    code = world.grid_a1.code
    login(client, world, Role.COMMUNITY_STAFF)
    page = html(client.get(reverse("core:area_detail", args=[code])))
    assert reverse("core:area_edit", args=[code]) in page
    assert reverse("core:area_child_create", args=[code]) in page
    assert reverse("core:area_post_create", args=[code]) in page
    assert f"{reverse('core:person_create')}?area={code}" in page
    login(client, world, Role.GRID_STEWARD)
    page = html(client.get(reverse("core:area_detail", args=[code])))
    assert reverse("core:area_edit", args=[code]) not in page
    assert reverse("core:area_child_create", args=[code]) not in page
    assert reverse("core:person_create") not in page
    assert reverse("core:post_end", args=[world.people_a[1].pk]) not in page


# ---- area: new child ------------------------------------------------------------------


def test_new_grid_form_suggests_the_next_free_code_and_fixes_the_kind(client, world):
    login(client, world, Role.COMMUNITY_STAFF)
    page = html(client.get(reverse("core:area_child_create", args=[world.community_a1.code])))
    assert f'value="{world.community_a1.code}002"' in page  # grid 001 exists
    assert "由上级区域的类型决定" in page
    assert '<option value="grid" selected>网格</option>' in page


def test_street_offers_community_and_village_with_their_sequences(client, world):
    login(client, world, Role.STREET_STAFF)
    street = world.street_a
    page = html(client.get(reverse("core:area_detail", args=[street.code])))
    assert 'data-action="child-community"' in page and 'data-action="child-village"' in page
    url = reverse("core:area_child_create", args=[street.code])
    assert f'value="{street.code}004"' in html(client.get(url))  # community 003 exists
    assert f'value="{street.code}200"' in html(client.get(url, {"kind": "village"}))


def test_community_staff_adds_a_grid(client, world):
    user = login(client, world, Role.COMMUNITY_STAFF)
    parent = world.community_a1
    response = client.post(
        reverse("core:area_child_create", args=[parent.code]),
        # A tampered kind is ignored: a community holds grids only.
        {"kind": "compound", "code": f"{parent.code}002", "name": "第二网格", "households": "410"},
    )
    assert response.status_code == 302
    assert response["Location"] == parent.get_absolute_url()
    grid = Area.objects.get(code=f"{parent.code}002")
    assert (grid.kind, grid.parent, grid.depth, grid.households) == (
        AreaKind.GRID,
        parent,
        parent.depth + 1,
        410,
    )
    (row,) = audit_rows("area.create")
    assert row.actor_id == user.pk and row.object_id == str(grid.pk)
    assert "已在睦和苑社区下新增网格第二网格" in html(client.get(response["Location"]))


def test_street_staff_adds_a_village(client, world):
    login(client, world, Role.STREET_STAFF)
    street = world.street_a
    response = client.post(
        reverse("core:area_child_create", args=[street.code]),
        {"kind": "village", "code": f"{street.code}200", "name": "新村"},
    )
    assert response.status_code == 302
    assert Area.objects.get(code=f"{street.code}200").kind == AreaKind.VILLAGE


@pytest.mark.parametrize(
    ("code", "name", "households", "message"),
    [
        ("37010300200300", "第二网格", "", "网格编码应为 15 位数字，实际为 14 位"),
        ("370103002004002", "第二网格", "", "须以上级编码 370103002003 开头"),
        ("370103002003001", "第二网格", "", "编码 370103002003001 已存在"),
        ("370103002003002", "", "", "名称不能为空"),
        ("370103002003002", "第二网格", "-1", "户数不能为负数"),
    ],
)
def test_new_grid_with_bad_input_shows_the_reason_and_changes_nothing(
    client, world, code, name, households, message
):
    login(client, world, Role.COMMUNITY_STAFF)
    before = snapshot()
    response = client.post(
        reverse("core:area_child_create", args=[world.community_a1.code]),
        {"code": code, "name": name, "households": households},
    )
    assert response.status_code == 200
    assert message in html(response)
    assert snapshot() == before


def test_every_problem_of_a_new_area_is_listed(client, world):
    login(client, world, Role.COMMUNITY_STAFF)
    response = client.post(
        reverse("core:area_child_create", args=[world.community_a1.code]),
        {"code": "12345", "name": ""},
    )
    page = html(response)
    assert "<li>网格编码应为 15 位数字，实际为 5 位</li>" in page
    assert "<li>名称不能为空</li>" in page


def test_a_building_has_no_new_child_form(client, world):
    login(client, world, Role.COMMUNITY_STAFF)
    url = reverse("core:area_child_create", args=[world.building_a1.code])
    response = client.get(url)
    assert response.status_code == 404
    assert "最末一级" in html(response)
    page = html(client.get(reverse("core:area_detail", args=[world.building_a1.code])))
    assert url not in page


# ---- people: new ----------------------------------------------------------------------


def person_data(**overrides):
    data = {
        "name": "孙新民",
        "sex": "F",
        "birth_date": "",
        "phone": "13912345678",
        "id_number": valid_id_number(77, born="19880305"),
        "education": "bachelor",
        "political_status": "member",
        "party_joined_on": "2010-07-01",
        "area": "370103002003001",
    }
    return {**data, **overrides}


def test_new_person_form_preselects_the_area(client, world):
    login(client, world, Role.COMMUNITY_STAFF)
    code = world.grid_a1.code
    page = html(client.get(reverse("core:person_create"), {"area": code}))
    assert "所属区域编码" in page and "身份证号" in page
    assert f'name="area" value="{code}"' in page
    assert f'<option value="{code}">' in page  # the grid is offered in the suggestions


def test_new_person_form_ignores_an_area_out_of_scope(client, world):
    login(client, world, Role.COMMUNITY_STAFF)
    page = html(client.get(reverse("core:person_create"), {"area": world.community_b1.code}))
    area_input = re.search(r'<input[^>]*name="area"[^>]*>', page).group(0)
    assert "value=" not in area_input
    assert "春元里社区" not in page


def test_community_staff_registers_a_person(client, world):
    user = login(client, world, Role.COMMUNITY_STAFF)
    data = person_data()
    response = client.post(reverse("core:person_create"), data)
    assert response.status_code == 302
    person = Person.objects.get(name="孙新民")
    assert response["Location"] == person.get_absolute_url()
    assert person.area == world.grid_a1
    assert person.id_number == data["id_number"]
    assert person.birth_date == date(1988, 3, 5)  # read off the ID number
    assert person.party_joined_on == date(2010, 7, 1)
    (row,) = audit_rows("person.create")
    assert row.actor_id == user.pk
    assert data["id_number"] not in str(row.changes)  # masked in the log
    page = html(client.get(response["Location"]))
    assert "已登记人员孙新民" in page and data["id_number"] not in page


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"name": ""}, "姓名不能为空"),
        ({"id_number": "370103198803050000"}, "身份证号码无效"),
        ({"phone": "12345"}, "手机号“12345”格式不正确"),
        ({"political_status": "masses"}, "群众不应填写入党日期"),
        ({"birth_date": "1990-01-01"}, "出生日期与身份证号码不一致"),
        ({"area": "370103003001"}, "区域 370103003001 不存在或不在您可编辑的范围内"),
        ({"area": ""}, "请填写所属区域编码"),
        ({"birth_date": "1990/13/40"}, "日期格式应为"),
    ],
)
def test_new_person_with_bad_input_shows_the_reason_and_changes_nothing(
    client, world, overrides, message
):
    login(client, world, Role.COMMUNITY_STAFF)
    before = snapshot()
    response = client.post(reverse("core:person_create"), person_data(**overrides))
    assert response.status_code == 200
    assert message in html(response)
    assert snapshot() == before


def test_a_duplicate_id_number_is_refused(client, world):
    login(client, world, Role.COMMUNITY_STAFF)
    before = snapshot()
    existing = world.people_a[0].id_number
    response = client.post(reverse("core:person_create"), person_data(id_number=existing))
    assert "该身份证号码已登记" in html(response)
    assert snapshot() == before


@pytest.mark.parametrize("role", REFUSED_ROLES)
def test_new_person_is_refused_to_non_editors(client, world, role):
    login(client, world, role)
    before = snapshot()
    assert client.get(reverse("core:person_create")).status_code == 403
    assert client.post(reverse("core:person_create"), person_data()).status_code == 403
    assert snapshot() == before


def test_people_list_offers_new_person_only_to_editors(client, world):
    login(client, world, Role.COMMUNITY_STAFF)
    assert reverse("core:person_create") in html(client.get(reverse("core:person_list")))
    login(client, world, Role.GRID_STEWARD)
    assert reverse("core:person_create") not in html(client.get(reverse("core:person_list")))


# ---- people: edit ---------------------------------------------------------------------


def test_edit_form_never_shows_the_clear_numbers(client, world):
    login(client, world, Role.COMMUNITY_STAFF)
    wang = world.people_a[0]
    page = html(client.get(reverse("core:person_edit", args=[wang.pk])))
    assert 'value="王睦和"' in page
    assert wang.id_number not in page and wang.phone not in page
    assert wang.id_number_masked in page and wang.phone_masked in page
    assert "留空则保持不变" in page


def test_edit_with_blank_numbers_keeps_them(client, world):
    user = login(client, world, Role.COMMUNITY_STAFF)
    wang = world.people_a[0]
    id_number, phone = wang.id_number, wang.phone
    response = client.post(
        reverse("core:person_edit", args=[wang.pk]),
        person_data(name="王睦和", id_number="", phone="", area=world.community_a1.code),
    )
    assert response.status_code == 302
    wang.refresh_from_db()
    assert (wang.id_number, wang.phone) == (id_number, phone)
    assert (wang.education, wang.political_status) == ("bachelor", "member")
    (row,) = audit_rows("person.update")
    assert row.actor_id == user.pk and "id_number" not in row.changes
    assert "已保存王睦和的信息" in html(client.get(response["Location"]))


def test_edit_with_a_new_id_number_replaces_it(client, world):
    login(client, world, Role.COMMUNITY_STAFF)
    wang = world.people_a[0]
    new = valid_id_number(5, born="19850812")
    response = client.post(
        reverse("core:person_edit", args=[wang.pk]),
        person_data(name="王睦和", id_number=new, area=world.grid_a1.code),
    )
    assert response.status_code == 302
    wang.refresh_from_db()
    assert wang.id_number == new and wang.birth_date == date(1985, 8, 12)
    assert wang.area == world.grid_a1
    (row,) = audit_rows("person.update")
    assert new not in str(row.changes)


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"id_number": "12345"}, "身份证号码无效"),
        ({"name": ""}, "姓名不能为空"),
        ({"area": "370103003001"}, "不在您可编辑的范围内"),
    ],
)
def test_edit_with_bad_input_shows_the_reason_and_changes_nothing(
    client, world, overrides, message
):
    login(client, world, Role.COMMUNITY_STAFF)
    before = snapshot()
    response = client.post(
        reverse("core:person_edit", args=[world.people_a[0].pk]), person_data(**overrides)
    )
    assert response.status_code == 200
    assert message in html(response)
    assert snapshot() == before


@pytest.mark.parametrize("role", REFUSED_ROLES)
def test_edit_person_is_refused_to_non_editors(client, world, role):
    login(client, world, role)
    url = reverse("core:person_edit", args=[world.people_a[1].pk])
    before = snapshot()
    assert client.get(url).status_code == 403
    assert client.post(url, person_data()).status_code == 403
    assert snapshot() == before


def test_person_page_shows_edit_buttons_only_to_editors(client, world):
    li = world.people_a[1]
    login(client, world, Role.COMMUNITY_STAFF)
    page = html(client.get(reverse("core:person_detail", args=[li.pk])))
    assert reverse("core:person_edit", args=[li.pk]) in page
    assert reverse("core:person_post_create", args=[li.pk]) in page
    assert reverse("core:post_end", args=[li.pk]) in page
    login(client, world, Role.GRID_STEWARD)
    page = html(client.get(reverse("core:person_detail", args=[li.pk])))
    assert reverse("core:person_edit", args=[li.pk]) not in page
    assert reverse("core:person_post_create", args=[li.pk]) not in page
    assert reverse("core:post_end", args=[li.pk]) not in page


# ---- posts ------------------------------------------------------------------------------


def test_post_at_an_area_by_code(client, world):
    user = login(client, world, Role.COMMUNITY_STAFF)
    li = world.people_a[1]
    page = html(client.get(reverse("core:person_post_create", args=[li.pk])))
    assert f'name="area" value="{world.grid_a1.code}"' in page  # the person's own area
    response = client.post(
        reverse("core:person_post_create", args=[li.pk]),
        {
            "title": PostTitle.COMMUNITY_WORKER,
            "area": world.community_a1.code,
            "starts_on": "2024-03-01",
        },
    )
    assert response.status_code == 302
    post = Post.objects.get(person=li, title=PostTitle.COMMUNITY_WORKER)
    assert (post.area, post.party_org, post.starts_on) == (
        world.community_a1,
        None,
        date(2024, 3, 1),
    )
    (row,) = audit_rows("post.create")
    assert row.actor_id == user.pk
    assert "已为李网格新增职务：社区工作者 · 睦和苑社区" in html(client.get(response["Location"]))


def test_post_at_a_party_organization(client, world):
    login(client, world, Role.COMMUNITY_STAFF)
    org = world.orgs_a[1]
    li = world.people_a[1]
    page = html(client.get(reverse("core:person_post_create", args=[li.pk])))
    assert f'<option value="{org.pk}">' in page
    assert "大观园街道党工委" not in page  # the street's committee is not theirs to staff
    response = client.post(
        reverse("core:person_post_create", args=[li.pk]),
        {"title": PostTitle.ORG_MEMBER, "party_org": str(org.pk)},
    )
    assert response.status_code == 302
    assert Post.objects.get(person=li, title=PostTitle.ORG_MEMBER).party_org == org


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"title": PostTitle.COMMUNITY_WORKER}, "职务须属于某个区域或党组织"),
        ({"title": ""}, "请选择职务"),
        (
            {
                "title": PostTitle.COMMUNITY_WORKER,
                "area": "370103002003",
                "starts_on": "2024-03-01",
                "ends_on": "2024-01-01",
            },
            "离任日期不能早于任职日期",
        ),
        (
            {"title": PostTitle.COMMUNITY_WORKER, "area": "370103003001"},
            "区域 370103003001 不存在或不在您可编辑的范围内",
        ),
        ({"title": PostTitle.ORG_MEMBER, "party_org": "999999"}, "请从列表中选择有效的任职党组织"),
    ],
)
def test_post_with_bad_input_shows_the_reason_and_changes_nothing(client, world, data, message):
    login(client, world, Role.COMMUNITY_STAFF)
    before = snapshot()
    response = client.post(reverse("core:person_post_create", args=[world.people_a[1].pk]), data)
    assert response.status_code == 200
    assert message in html(response)
    assert snapshot() == before


def test_post_from_an_area_page(client, world):
    user = login(client, world, Role.COMMUNITY_STAFF)
    area = world.community_a1
    li = world.people_a[1]
    url = reverse("core:area_post_create", args=[area.code])
    page = html(client.get(url))
    assert f'<option value="{li.pk}">李网格' in page
    assert "赵春元" not in page
    response = client.post(url, {"person": str(li.pk), "title": PostTitle.COMMUNITY_DEPUTY})
    assert response.status_code == 302
    assert response["Location"] == area.get_absolute_url()
    assert Post.objects.get(person=li, title=PostTitle.COMMUNITY_DEPUTY).area == area
    (row,) = audit_rows("post.create")
    assert row.actor_id == user.pk


def test_post_from_an_area_page_refuses_a_person_of_another_street(client, world):
    login(client, world, Role.COMMUNITY_STAFF)
    before = snapshot()
    response = client.post(
        reverse("core:area_post_create", args=[world.community_a1.code]),
        {"person": str(world.people_b[0].pk), "title": PostTitle.COMMUNITY_DEPUTY},
    )
    assert response.status_code == 200
    assert "请从列表中选择有效的人员" in html(response)
    assert snapshot() == before


def grid_steward_post(world):
    return Post.objects.get(person=world.people_a[1], title=PostTitle.GRID_STEWARD)


def test_end_a_post_from_the_area_page(client, world):
    user = login(client, world, Role.COMMUNITY_STAFF)
    post = grid_steward_post(world)
    area_url = world.grid_a1.get_absolute_url()
    area_page = html(client.get(area_url))
    end_url = reverse("core:post_end", args=[post.person_id])
    assert f"{end_url}?post={post.pk}" in area_page
    form = html(client.get(end_url, {"post": post.pk, "next": area_url}))
    assert f'<option value="{post.pk}" selected>网格管家 · 睦和苑社区第一网格' in form
    response = client.post(
        end_url, {"post": str(post.pk), "ends_on": "2024-06-30", "next": area_url}
    )
    assert response.status_code == 302
    assert response["Location"] == area_url
    post.refresh_from_db()
    assert post.ends_on == date(2024, 6, 30)
    (row,) = audit_rows("post.end")
    assert row.actor_id == user.pk and row.changes == {"ends_on": [None, "2024-06-30"]}
    page = html(client.get(area_url))
    assert "已登记李网格于 2024-06-30 离任网格管家" in page
    assert f"{end_url}?post={post.pk}" not in page  # no longer a current post


def test_end_a_post_ignores_an_offsite_next(client, world):
    login(client, world, Role.COMMUNITY_STAFF)
    post = grid_steward_post(world)
    response = client.post(
        reverse("core:post_end", args=[post.person_id]),
        {"post": str(post.pk), "ends_on": "2024-06-30", "next": "https://evil.example/"},
    )
    assert response["Location"] == reverse("core:person_detail", args=[post.person_id])


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"ends_on": "2019-12-31"}, "离任日期不能早于任职日期"),
        ({"ends_on": ""}, "请填写离任日期"),
        ({"ends_on": "2024-06-30", "post": "999999"}, "请从列表中选择有效的职务"),
    ],
)
def test_end_a_post_with_bad_input_shows_the_reason_and_changes_nothing(
    client, world, data, message
):
    login(client, world, Role.COMMUNITY_STAFF)
    post = PostFactory(
        person=world.people_a[1],
        title=PostTitle.COMMUNITY_WORKER,
        area=world.community_a1,
        starts_on=date(2020, 1, 1),
    )
    before = snapshot()
    response = client.post(
        reverse("core:post_end", args=[post.person_id]), {"post": str(post.pk), **data}
    )
    assert response.status_code == 200
    assert message in html(response)
    assert snapshot() == before


def test_end_form_does_not_offer_a_post_of_another_street(client, world):
    """A person of street A who also holds a post in street B: street A's staff may end
    only the post of their own street."""
    login(client, world, Role.STREET_STAFF)
    li = world.people_a[1]
    far = PostFactory(person=li, title=PostTitle.COMMUNITY_WORKER, area=world.community_b1)
    before = snapshot()
    page = html(client.get(reverse("core:post_end", args=[li.pk])))
    assert f'value="{far.pk}"' not in page and "春元里社区" not in page
    response = client.post(
        reverse("core:post_end", args=[li.pk]), {"post": str(far.pk), "ends_on": "2024-06-30"}
    )
    assert response.status_code == 200
    assert snapshot() == before


@pytest.mark.parametrize("role", REFUSED_ROLES)
@pytest.mark.parametrize(
    ("name", "target"),
    [
        ("core:person_post_create", "person"),
        ("core:post_end", "person"),
        ("core:area_post_create", "area"),
    ],
)
def test_post_forms_refuse_non_editors(client, world, role, name, target):
    login(client, world, role)
    post = grid_steward_post(world)
    args = [world.people_a[1].pk] if target == "person" else [world.grid_a1.code]
    url = reverse(name, args=args)
    before = snapshot()
    assert client.get(url).status_code == 403
    data = {
        "person": str(world.people_a[1].pk),
        "post": str(post.pk),
        "title": PostTitle.GRID_STEWARD,
        "area": world.grid_a1.code,
        "ends_on": "2024-06-30",
    }
    assert client.post(url, data).status_code == 403
    assert snapshot() == before


@pytest.mark.parametrize(
    ("name", "target"),
    [
        ("core:person_edit", "person"),
        ("core:person_post_create", "person"),
        ("core:post_end", "person"),
        ("core:area_post_create", "area"),
    ],
)
def test_person_and_post_forms_of_another_street_are_404(client, world, name, target):
    login(client, world, Role.STREET_STAFF)
    zhao = world.people_b[0]
    post = Post.objects.get(person=zhao)
    args = [zhao.pk] if target == "person" else [world.community_b1.code]
    url = reverse(name, args=args)
    before = snapshot()
    assert client.get(url).status_code == 404
    data = {
        **person_data(area=world.community_b1.code),
        "post": str(post.pk),
        "person": str(zhao.pk),
        "title": PostTitle.COMMUNITY_WORKER,
        "ends_on": "2024-06-30",
    }
    response = client.post(url, data)
    assert response.status_code == 404
    assert "赵春元" not in html(response)
    assert snapshot() == before
