"""The organizations register: the rule "3 or more full members ⇒ own branch", coverage
figures against hand-computed fixtures, the pages, the forms and their refusals."""

import pytest
from django.urls import reverse

from jiceng.core.indicator_registry import Period, compute
from jiceng.core.models import AuditEvent
from jiceng.core.roles import Role
from jiceng.party.models import Organization, OrganizationKind, PartyOrgKind, PartyStatus
from jiceng.party.services.organizations import clean_credit_code
from jiceng.party.tests.factories import OrganizationFactory, branch, credit_code

LAYOUT_QUERIES = 9
COVERAGE_KEYS = ["property_party_coverage", "two_new_party_coverage"]


def html(response) -> str:
    return response.content.decode()


@pytest.fixture
def register(world):
    """Street A: 3 property companies (own branch, joint branch with 2 members, joint
    branch with 4 members ⇒ gap) and 3 two-new organizations (own branch, none, joint
    with 1 member). Street B: 1 property company with its own branch.

    Hand count — property: A 2/3 covered, B 1/1, district 3/4; two-new: A 2/3."""
    street_a = world.orgs_a[0]
    joint = branch(street_a, 0, "大观园物业联合党支部", PartyOrgKind.JOINT_BRANCH)
    rows = {
        "p_own": OrganizationFactory(
            name="甲物业",
            kind=OrganizationKind.PROPERTY,
            area=world.community_a1,
            full_members=5,
            party_org=branch(street_a, 1, "甲物业党支部"),
        ),
        "p_joint": OrganizationFactory(
            name="乙物业",
            kind=OrganizationKind.PROPERTY,
            area=world.community_a1,
            full_members=2,
            party_org=joint,
        ),
        "p_gap": OrganizationFactory(
            name="丙物业",
            kind=OrganizationKind.PROPERTY,
            area=world.street_a,
            full_members=4,
            party_org=joint,
        ),
        "e_own": OrganizationFactory(
            name="丁科技",
            area=world.community_a1,
            full_members=3,
            party_org=branch(street_a, 2, "丁科技党支部"),
        ),
        "e_none": OrganizationFactory(name="戊商贸", area=world.community_a1, full_members=0),
        "s_joint": OrganizationFactory(
            name="己协会",
            kind=OrganizationKind.SOCIAL,
            area=world.community_a1,
            full_members=1,
            party_org=joint,
        ),
        "p_b": OrganizationFactory(
            name="春元里物业",
            kind=OrganizationKind.PROPERTY,
            area=world.community_b1,
            full_members=3,
            party_org=branch(world.orgs_b[0], 1, "春元里物业党支部"),
        ),
    }
    return rows


def figures(user, area):
    out = compute(area=area, period=Period.parse(None), user=user, keys=COVERAGE_KEYS)
    return {k: (v["numerator"], v["denominator"]) for k, v in out.items()}


def test_status_and_the_rule_follow_the_party_org(register):
    assert register["p_own"].party_status == PartyStatus.OWN_BRANCH
    assert register["p_joint"].party_status == PartyStatus.JOINT_BRANCH
    assert register["e_none"].party_status == PartyStatus.NONE
    assert register["p_gap"].must_build_own_branch and not register["p_gap"].is_covered
    assert register["p_joint"].is_covered and not register["p_joint"].must_build_own_branch
    assert not register["e_none"].is_covered


def test_coverage_figures_match_the_hand_count(world, register):
    admin = world.users[Role.DISTRICT_ADMIN]
    assert figures(admin, world.district) == {
        "property_party_coverage": (3, 4),
        "two_new_party_coverage": (2, 3),
    }
    assert figures(admin, world.street_b)["property_party_coverage"] == (1, 1)
    street = world.users[Role.STREET_STAFF]
    # The street's staff count their own street only, even asked for the district.
    assert figures(street, world.district)["property_party_coverage"] == (2, 3)


def test_coverage_falls_below_full_when_a_branch_is_removed(world, register):
    admin = world.users[Role.DISTRICT_ADMIN]
    out = compute(area=world.street_b, period=Period.parse(None), user=admin, keys=COVERAGE_KEYS)
    assert out["property_party_coverage"]["value"] == 1.0
    Organization.objects.filter(pk=register["p_b"].pk).update(party_org=None)
    out = compute(area=world.street_b, period=Period.parse(None), user=admin, keys=COVERAGE_KEYS)
    assert out["property_party_coverage"]["value"] == 0.0
    # Building its own branch closes the gap at street A.
    gap = register["p_gap"]
    gap.party_org = branch(world.orgs_a[0], 3, "丙物业党支部")
    gap.save()
    assert figures(admin, world.street_a)["property_party_coverage"] == (3, 3)


def test_coverage_page_counts_link_to_the_organizations_behind_them(client, world, register):
    client.force_login(world.users[Role.DISTRICT_ADMIN])
    page = html(client.get(reverse("party:coverage")))
    assert "75.0%" in page and "66.7%" in page
    link = f"?kind=property&covered=1&area={world.street_a.code}"
    assert link in page
    listing = html(client.get(reverse("party:organization_list") + link))
    assert "甲物业" in listing and "乙物业" in listing
    assert "丙物业" not in listing and "春元里物业" not in listing
    gaps = html(client.get(reverse("party:organization_list") + "?gap=any"))
    assert "丙物业" in gaps and "戊商贸" in gaps and "甲物业" not in gaps


def test_street_staff_coverage_page_holds_only_their_street(client, world, register):
    client.force_login(world.users[Role.STREET_STAFF])
    page = html(client.get(reverse("party:coverage")))
    assert "大观园街道" in page and "杆石桥街道" not in page
    assert html(client.get(reverse("party:organization_list"))).count("物业</a>") == 3


def test_organization_list_query_count(client, world, register, django_assert_max_num_queries):
    for i in range(30):
        OrganizationFactory(name=f"批量企业{i}", area=world.community_a1)
    client.force_login(world.users[Role.STREET_STAFF])
    with django_assert_max_num_queries(LAYOUT_QUERIES + 2):
        response = client.get(reverse("party:organization_list"))
    assert "批量企业29" in html(response)


def test_coverage_page_query_count(client, world, register, django_assert_max_num_queries):
    client.force_login(world.users[Role.DISTRICT_ADMIN])
    with django_assert_max_num_queries(LAYOUT_QUERIES + 2):
        client.get(reverse("party:coverage"))


def test_exports_hold_the_visible_rows_and_are_audited(client, world, register):
    from io import BytesIO

    from openpyxl import load_workbook

    client.force_login(world.users[Role.STREET_STAFF])
    url = reverse("core:list_export", args=["party.organizations"])
    response = client.post(url)
    rows = list(load_workbook(BytesIO(response.content)).active.values)
    assert {r[0] for r in rows[1:]} == {"甲物业", "乙物业", "丙物业", "丁科技", "戊商贸", "己协会"}
    response = client.post(url + "?gap=any")
    rows = list(load_workbook(BytesIO(response.content)).active.values)
    assert {r[0] for r in rows[1:]} == {"丙物业", "戊商贸"}
    response = client.post(reverse("core:list_export", args=["party.coverage"]))
    rows = list(load_workbook(BytesIO(response.content)).active.values)
    assert rows[1][:4] == ("大观园街道", 3, 2, "66.7%")
    assert rows[-1][0] == "合计"
    assert AuditEvent.objects.filter(action="party.export").count() == 3
    # Another street's area is refused, not exported.
    response = client.post(url + f"?area={world.street_b.code}")
    assert response.status_code == 404


# ---- the credit code --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("code", "message"),
    [
        ("", "请填写统一社会信用代码"),
        ("91370103", "应为 18 位"),
        (credit_code(5)[:-1] + ("0" if credit_code(5)[-1] != "0" else "1"), "校验位不正确"),
        ("91370103OOOOOOOOOO", "格式不正确"),
    ],
)
def test_bad_credit_codes_are_refused_with_the_reason(code, message):
    from jiceng.core.errors import ValidationFailed

    with pytest.raises(ValidationFailed, match=message):
        clean_credit_code(code)


def test_credit_code_is_compacted():
    code = credit_code(7)
    assert clean_credit_code(f" {code[:6]} {code[6:].lower()} ") == code


# ---- create and edit ----------------------------------------------------------------------


def form_data(world, **overrides):
    data = {
        "name": "庚物业服务有限公司",
        "kind": OrganizationKind.PROPERTY,
        "credit_code": credit_code(42),
        "area": world.community_a1.code,
        "address": "纬二路 1 号",
        "employees": "40",
        "full_members": "2",
        "party_org": "",
        "compounds": world.compound_a1.code,
    }
    return {**data, **overrides}


def test_community_staff_registers_a_property_company(client, world):
    user = world.users[Role.COMMUNITY_STAFF]
    client.force_login(user)
    joint = branch(world.orgs_a[1], 0, "睦和苑联合党支部", PartyOrgKind.JOINT_BRANCH)
    response = client.post(
        reverse("party:organization_create"), form_data(world, party_org=str(joint.pk))
    )
    assert response.status_code == 302
    org = Organization.objects.get(name="庚物业服务有限公司")
    assert list(org.compounds.all()) == [world.compound_a1]
    assert org.party_status == PartyStatus.JOINT_BRANCH and org.is_covered
    (row,) = AuditEvent.objects.filter(action="party.organization.create")
    assert row.actor_id == user.pk and row.changes["credit_code"][1] == credit_code(42)


def snapshot():
    return (
        list(Organization.objects.order_by("pk").values()),
        list(Organization.compounds.through.objects.order_by("pk").values()),
        AuditEvent.objects.count(),
    )


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"name": " "}, "组织名称不能为空"),
        ({"credit_code": "91370103000000000X"}, "校验位不正确"),
        ({"full_members": "41"}, "正式党员数不能多于从业人员数"),
        ({"area": "370103003001"}, "不存在或不在您可编辑的范围内"),
        ({"compounds": "370103003001"}, "以下小区编码不存在或不在您可编辑的范围内"),
        ({"compounds": "370103002003001"}, "服务小区应为小区/楼院"),
        ({"kind": OrganizationKind.ENTERPRISE}, "只有物业企业可以登记服务小区"),
        ({"employees": "-3"}, "从业人员数不能为负数"),
    ],
)
def test_bad_input_shows_the_reason_and_changes_nothing(client, world, overrides, message):
    client.force_login(world.users[Role.STREET_STAFF])
    before = snapshot()
    response = client.post(reverse("party:organization_create"), form_data(world, **overrides))
    assert response.status_code == 400
    assert message in html(response)
    assert snapshot() == before


def test_duplicate_credit_code_is_refused_without_naming_the_holder(client, world, register):
    client.force_login(world.users[Role.STREET_STAFF])
    before = snapshot()
    data = form_data(world, credit_code=register["p_b"].credit_code)
    page = html(client.post(reverse("party:organization_create"), data))
    assert "该统一社会信用代码已登记" in page and "春元里物业" not in page
    assert snapshot() == before


def test_an_own_branch_cannot_serve_two_organizations(client, world, register):
    client.force_login(world.users[Role.STREET_STAFF])
    before = snapshot()
    data = form_data(world, party_org=str(register["p_own"].party_org_id))
    page = html(client.post(reverse("party:organization_create"), data))
    assert "已是其他组织单独建立的党组织" in page
    assert snapshot() == before


def test_edit_builds_the_own_branch_and_closes_the_gap(client, world, register):
    client.force_login(world.users[Role.STREET_STAFF])
    gap = register["p_gap"]
    own = branch(world.orgs_a[0], 5, "丙物业党支部")
    url = reverse("party:organization_edit", args=[gap.pk])
    assert 'value="丙物业"' in html(client.get(url))
    data = form_data(
        world,
        name="丙物业",
        credit_code=gap.credit_code,
        area=world.street_a.code,
        full_members="4",
        party_org=str(own.pk),
        compounds="",
    )
    assert client.post(url, data).status_code == 302
    gap.refresh_from_db()
    assert gap.is_covered and gap.party_org == own
    assert AuditEvent.objects.filter(action="party.organization.update").count() == 1


@pytest.mark.parametrize("role", [Role.CHIEF_STEWARD, Role.FIRST_SECRETARY, Role.JUDGE])
def test_non_editors_cannot_edit(client, world, register, role):
    client.force_login(world.users[role])
    before = snapshot()
    url = reverse("party:organization_edit", args=[register["p_own"].pk])
    assert client.get(url).status_code == 403
    assert client.post(url, form_data(world)).status_code == 403
    assert client.get(reverse("party:organization_create")).status_code == 403
    assert snapshot() == before


def test_out_of_scope_organization_is_404(client, world, register):
    client.force_login(world.users[Role.STREET_STAFF])
    response = client.get(reverse("party:organization_detail", args=[register["p_b"].pk]))
    assert response.status_code == 404 and "春元里物业" not in html(response)


def test_editing_keeps_a_branch_the_editor_cannot_see(client, world, register):
    """甲物业's branch is based at the street: the community's staff do not see it in their
    party tree, yet saving the company's other facts keeps it."""
    own = register["p_own"]
    client.force_login(world.users[Role.COMMUNITY_STAFF])
    url = reverse("party:organization_edit", args=[own.pk])
    form = client.get(url).context["form"]
    assert form.initial["party_org"] == own.party_org_id
    data = form_data(
        world,
        name="甲物业（更名）",
        credit_code=own.credit_code,
        full_members="5",
        employees="50",
        party_org=str(own.party_org_id),
        compounds="",
    )
    assert client.post(url, data).status_code == 302
    own.refresh_from_db()
    assert own.name == "甲物业（更名）" and own.party_org.name == "甲物业党支部"
    page = html(client.get(own.get_absolute_url()))
    assert "甲物业党支部" in page
    assert f'href="{own.party_org.get_absolute_url()}"' not in page


def test_community_staff_coverage_links_stay_in_their_scope(client, world, register):
    import re

    client.force_login(world.users[Role.COMMUNITY_STAFF])
    page = html(client.get(reverse("party:coverage")))
    assert "大观园街道" in page and f"area={world.street_a.code}" not in page
    links = set(re.findall(r'href="(/party/organizations/\?[^"]+)"', page))
    assert links
    for link in links:
        assert client.get(link.replace("&amp;", "&")).status_code == 200
    # 丙物业 is registered at the street: outside the community's register.
    assert "丙物业" not in html(client.get(reverse("party:organization_list")))
