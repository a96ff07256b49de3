"""The contests' pages: who sees what, the judge's scoring page, corrections, the ranking,
the big screen and the export."""

from decimal import Decimal as D
from io import BytesIO

import openpyxl
import pytest
from django.urls import reverse

from jiceng.core.excel import escape_cell
from jiceng.core.models import AuditEvent
from jiceng.core.roles import Role

from ..models import Contest, Entry, RoundJudge, Score, ScoreSheet, SheetStatus
from .factories import (
    EntryFactory,
    RoundEntryFactory,
    ScoreSheetFactory,
    judge_user,
    submitted_sheet,
    village,
)


def html(response) -> str:
    return response.content.decode()


def _scores(sheet):
    return dict(Score.objects.filter(sheet=sheet).values_list("criterion__name", "value"))


@pytest.fixture
def assigned(cw):
    """The world's judge holds the street-A entry's sheet; judge B the street-A one too
    (the street-B entry is theirs to stand aside from) and judge A the street-B one."""
    RoundJudge.objects.create(round=cw.final, judge=cw.judge)
    mine = ScoreSheetFactory(round_entry=cw.re_a, judge=cw.judge)
    others = ScoreSheetFactory(round_entry=cw.re_b, judge=cw.judge_a)
    return mine, others


# ---- a judge sees only their own work ----------------------------------------------------------


def test_a_judge_opens_the_entry_assigned_to_them_and_no_other(client, cw, assigned):
    client.force_login(cw.judge)
    assert client.get(reverse("contests:entry_detail", args=[cw.entry_a.pk])).status_code == 200
    response = client.get(reverse("contests:entry_detail", args=[cw.entry_b.pk]))
    assert response.status_code == 404
    assert cw.entry_b.title not in html(response)
    page = html(client.get(reverse("contests:contest_detail", args=[cw.contest.pk])))
    assert cw.entry_a.title in page and cw.entry_b.title not in page


def test_a_judge_can_neither_see_nor_score_another_judges_sheet(client, cw, assigned):
    _, others = assigned
    client.force_login(cw.judge)
    url = reverse("contests:sheet_detail", args=[others.pk])
    audits = AuditEvent.objects.count()
    response = client.get(url)
    assert response.status_code == 404 and cw.entry_b.title not in html(response)
    fields = {f"c{cw.impact.pk}": "90", f"c{cw.show.pk}": "90"}
    for action in ("save", "submit"):
        assert client.post(url, {**fields, "action": action}).status_code == 404
    others.refresh_from_db()
    assert others.status == SheetStatus.PENDING and not _scores(others)
    assert AuditEvent.objects.count() == audits


def test_a_judge_never_sees_the_ranking_or_other_judges_scores(client, cw, assigned):
    mine, _ = assigned
    submitted_sheet(cw.re_a, cw.judge_b, {cw.impact: "61.5", cw.show: "62.5"})
    client.force_login(cw.judge)
    for name in ("ranking", "screen", "screen_board"):
        response = client.get(reverse(f"contests:{name}", args=[cw.final.pk]))
        assert response.status_code == 403
        assert cw.entry_b.title not in html(response)
    page = html(client.get(reverse("contests:sheet_detail", args=[mine.pk])))
    # (a dotted number: the CSRF token and the URLs hold digits too)
    assert "61.5" not in page and "62.5" not in page and "乙评委" not in page


def test_the_judging_page_lists_only_the_judges_own_sheets(client, cw, assigned):
    client.force_login(cw.judge)
    page = html(client.get(reverse("contests:judging")))
    assert cw.entry_a.title in page and cw.entry_b.title not in page


# ---- the scoring page -------------------------------------------------------------------------


def _fields(cw, impact, show, action):
    return {f"c{cw.impact.pk}": impact, f"c{cw.show.pk}": show, "action": action}


def test_a_judge_saves_a_draft_then_submits_and_the_sheet_locks(client, cw, assigned):
    mine, _ = assigned
    client.force_login(cw.judge)
    url = reverse("contests:sheet_detail", args=[mine.pk])
    page = html(client.get(url))
    assert "项目成效" in page and "0–100 分" in page and "提交评分" in page

    assert client.post(url, _fields(cw, "85", "", "save")).status_code == 302
    mine.refresh_from_db()
    assert mine.status == SheetStatus.DRAFT and _scores(mine) == {"项目成效": D("85")}

    assert client.post(url, _fields(cw, "85", "90", "submit")).status_code == 302
    mine.refresh_from_db()
    assert mine.status == SheetStatus.SUBMITTED
    page = html(client.get(url))
    assert "已提交 · 已锁定" in page and "提交评分" not in page and "readonly" in page

    response = client.post(url, _fields(cw, "10", "10", "submit"))
    assert response.status_code == 403
    assert "已提交并锁定" in html(response)
    assert _scores(mine) == {"项目成效": D("85"), "路演表现": D("90")}


def test_a_score_out_of_range_is_shown_in_chinese_and_nothing_is_saved(client, cw, assigned):
    mine, _ = assigned
    client.force_login(cw.judge)
    response = client.post(
        reverse("contests:sheet_detail", args=[mine.pk]), _fields(cw, "120", "80", "submit")
    )
    assert response.status_code == 400
    page = html(response)
    assert "“项目成效”的分数须在 0–100 分之间，您填写的是 120。" in page
    assert 'value="120"' in page  # kept for the judge to correct
    mine.refresh_from_db()
    assert mine.status == SheetStatus.PENDING and not _scores(mine)


def test_the_admin_corrects_a_submitted_sheet_on_its_page_with_a_reason(client, cw):
    sheet = submitted_sheet(cw.re_a, cw.judge, {cw.impact: 80, cw.show: 70})
    client.force_login(cw.admin)
    url = reverse("contests:sheet_detail", args=[sheet.pk])
    assert "更正原因" in html(client.get(url))
    response = client.post(url, {**_fields(cw, "82", "70", "correct"), "reason": ""})
    assert response.status_code == 400
    assert "请填写更正原因" in html(response)
    assert _scores(sheet)["项目成效"] == D("80")
    response = client.post(url, {**_fields(cw, "82", "70", "correct"), "reason": "录入时看错了行"})
    assert response.status_code == 302
    assert _scores(sheet)["项目成效"] == D("82")
    assert "录入时看错了行" in html(client.get(url))
    assert AuditEvent.objects.filter(action="contests.sheet_correct").count() == 1


def test_street_staff_cannot_open_a_sheet(client, cw):
    sheet = submitted_sheet(cw.re_a, cw.judge, {cw.impact: 80, cw.show: 70})
    client.force_login(cw.world.users[Role.STREET_STAFF])
    assert client.get(reverse("contests:sheet_detail", args=[sheet.pk])).status_code == 404


# ---- results ------------------------------------------------------------------------------------


@pytest.fixture
def scored(cw):
    for i in range(5):
        judge = judge_user(f"p{i}", area=cw.world.district)
        submitted_sheet(cw.re_a, judge, {cw.impact: 80 + i, cw.show: 80})
        submitted_sheet(cw.re_b, judge, {cw.impact: 90, cw.show: 90})
    return cw


def test_street_staff_see_their_streets_rows_with_their_overall_rank(client, scored):
    cw = scored
    client.force_login(cw.world.users[Role.STREET_STAFF])
    page = html(client.get(reverse("contests:ranking", args=[cw.final.pk])))
    assert cw.entry_a.title in page and cw.entry_b.title not in page
    assert 'class="rank rank-2"' in page  # entry B (street B) is first
    response = client.get(reverse("contests:entry_detail", args=[cw.entry_b.pk]))
    assert response.status_code == 404


def test_the_admin_sees_every_row_of_the_ranking(client, scored):
    cw = scored
    client.force_login(cw.admin)
    page = html(client.get(reverse("contests:ranking", args=[cw.final.pk])))
    assert cw.entry_a.title in page and cw.entry_b.title in page
    assert "90.00" in page and "81.20" in page  # 0.6 × mean(81, 82, 83) + 32


def _round_of(cw, entries: int, judges: int):
    """Every entry of the final (the fixture's two and ``entries`` more) scored by every
    judge of a panel of ``judges``: the round is complete, so awards are computed too."""
    panel = [judge_user(f"q{entries}-{j}", area=cw.world.district) for j in range(judges)]
    res = [cw.re_a, cw.re_b]
    for n in range(entries):
        entry = EntryFactory(
            contest=cw.contest, number=10 + n, title=f"项目{n}", village=cw.village_a
        )
        res.append(RoundEntryFactory(round=cw.final, entry=entry, sequence=10 + n))
    for n, re in enumerate(res):
        for j, judge in enumerate(panel):
            submitted_sheet(re, judge, {cw.impact: 70 + n, cw.show: 60 + j})


# session, user, scope, the round and its contest, round entries, sheets, scores, rubric,
# award bands and the session's save (3); the ranking page adds the layout's area switcher (3)
QUERIES = {"ranking": 16, "screen": 13, "screen_board": 13}
# the sidebar's "any entry in scope?", "may see this round's results?" and the visible rows
STAFF_QUERIES = 3


@pytest.mark.parametrize("name", ["ranking", "screen", "screen_board"])
@pytest.mark.parametrize("role", [Role.DISTRICT_ADMIN, Role.STREET_STAFF])
def test_the_ranking_pages_query_count_does_not_grow_with_entries_or_judges(
    client, cw, django_assert_max_num_queries, name, role
):
    _round_of(cw, entries=12, judges=7)
    client.force_login(cw.world.users[role])
    url = reverse(f"contests:{name}", args=[cw.final.pk])
    client.get(url)  # the session's first save
    extra = STAFF_QUERIES if role == Role.STREET_STAFF else 0
    with django_assert_max_num_queries(QUERIES[name] + extra):
        response = client.get(url)
    assert response.status_code == 200
    assert "项目11" in html(response)


def test_the_big_screen_polls_its_board(client, scored):
    cw = scored
    client.force_login(cw.admin)
    page = html(client.get(reverse("contests:screen", args=[cw.final.pk])))
    assert "实时排名" in page and 'hx-trigger="every 3s"' in page
    board = client.get(reverse("contests:screen_board", args=[cw.final.pk]), HTTP_HX_REQUEST="true")
    assert board.status_code == 200
    assert "<html" not in html(board) and cw.entry_b.title in html(board)
    assert board["Cache-Control"].startswith("max-age=0")


# ---- the export ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text, stored",
    [
        ('=HYPERLINK("http://x")', '\'=HYPERLINK("http://x")'),
        ("+1", "'+1"),
        ("-2", "'-2"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\t=1", "'\t=1"),
        ("项目", "项目"),
    ],
)
def test_formula_like_text_is_escaped(text, stored):
    assert escape_cell(text) == stored


def test_numbers_are_not_escaped():
    assert escape_cell(D("-1.5")) == D("-1.5")


def _workbook(response):
    return openpyxl.load_workbook(BytesIO(response.content))


def test_the_export_escapes_formulas_and_is_audited(client, scored):
    cw = scored
    Entry.objects.filter(pk=cw.entry_a.pk).update(title='=HYPERLINK("http://evil")')
    client.force_login(cw.admin)
    response = client.post(reverse("contests:export", args=[cw.final.pk]))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    wb = _workbook(response)
    assert wb.sheetnames == ["排名", "评分明细"]
    titles = [c for c in wb["排名"].iter_rows(min_row=2, values_only=True)]
    cells = [row[2] for row in titles]
    assert '\'=HYPERLINK("http://evil")' in cells
    for row in wb["排名"].iter_rows(min_row=2):
        assert row[2].data_type == "s"
    assert wb["评分明细"].max_row == 1 + 10
    assert AuditEvent.objects.filter(action="contests.export").count() == 1


def test_street_staff_export_only_their_rows_and_no_sheets(client, scored):
    cw = scored
    client.force_login(cw.world.users[Role.STREET_STAFF])
    wb = _workbook(client.post(reverse("contests:export", args=[cw.final.pk])))
    assert wb.sheetnames == ["排名"]
    titles = [row[2] for row in wb["排名"].iter_rows(min_row=2, values_only=True)]
    assert titles == [cw.entry_a.title]


def test_a_judge_cannot_export(client, cw, assigned):
    client.force_login(cw.judge)
    response = client.post(reverse("contests:export", args=[cw.final.pk]))
    assert response.status_code == 403
    assert not AuditEvent.objects.filter(action="contests.export").exists()


# ---- the sidebar, set-up and assignment pages ---------------------------------------------------


@pytest.mark.parametrize(
    "role, shown",
    [
        (Role.DISTRICT_ADMIN, True),
        (Role.JUDGE, True),
        (Role.STREET_STAFF, True),
        (Role.COMMUNITY_STAFF, False),  # an urban community holds no village
        (Role.GRID_STEWARD, False),
        (Role.AUDITOR, False),
    ],
)
def test_the_sidebar_entry_shows_to_those_with_something_to_see(client, cw, role, shown):
    client.force_login(cw.world.users[role])
    page = html(client.get(reverse("core:home")))
    assert ('data-nav="contests"' in page) == shown


def test_village_staff_see_the_module_and_their_villages_entry(client, cw):
    from jiceng.core.tests.factories import RoleAssignmentFactory, UserFactory

    staff = UserFactory(username="village_staff")
    RoleAssignmentFactory(user=staff, role=Role.COMMUNITY_STAFF, area=cw.village_a)
    client.force_login(staff)
    assert 'data-nav="contests"' in html(client.get(reverse("core:home")))
    page = html(client.get(reverse("contests:contest_detail", args=[cw.contest.pk])))
    assert cw.entry_a.title in page and cw.entry_b.title not in page


def test_the_sidebar_costs_no_query_beyond_the_scope(cw, django_assert_num_queries):
    from jiceng.core.scope import scope_of

    from ..permissions import can

    user = cw.world.users[Role.STREET_STAFF]
    scope_of(user)  # every page computes the scope once anyway
    with django_assert_num_queries(0):
        assert can(user, "view_module")


def test_the_admin_adds_a_criterion_and_a_bad_weight_is_explained(client, world):
    from .factories import ContestFactory

    contest = ContestFactory(area=world.district)
    client.force_login(world.users[Role.DISTRICT_ADMIN])
    url = reverse("contests:contest_setup", args=[contest.pk])
    data = {
        "action": "criterion_add",
        "criterion_add-name": "项目成效",
        "criterion_add-weight": "0",
        "criterion_add-min_score": "0",
        "criterion_add-max_score": "100",
    }
    response = client.post(url, data)
    assert response.status_code == 400
    assert "权重系数须大于 0" in html(response)
    assert not contest.criteria.exists()
    assert client.post(url, {**data, "criterion_add-weight": "0.3"}).status_code == 302
    assert contest.criteria.get().weight == D("0.30")


def test_street_staff_cannot_set_up_a_contest(client, cw):
    client.force_login(cw.world.users[Role.STREET_STAFF])
    url = reverse("contests:contest_setup", args=[cw.contest.pk])
    assert client.get(url).status_code == 403
    response = client.post(
        url,
        {
            "action": "criterion_add",
            "criterion_add-name": "新项",
            "criterion_add-weight": "1",
            "criterion_add-min_score": "0",
            "criterion_add-max_score": "10",
        },
    )
    assert response.status_code == 403
    assert cw.contest.criteria.count() == 2


def test_the_round_page_reports_whom_a_new_judge_stands_aside_from(client, cw):
    client.force_login(cw.admin)
    url = reverse("contests:round_detail", args=[cw.final.pk])
    response = client.post(url, {"action": "judge_add", "pick": cw.judge_b.pk}, follow=True)
    page = html(response)
    assert "按回避规定，不评审本街道的项目：02 测试村红色果园" in page
    assert "杆石桥街道" in page  # the judge's street on the panel
    assert set(
        ScoreSheet.objects.filter(judge=cw.judge_b).values_list("round_entry", flat=True)
    ) == {cw.re_a.pk}


def test_assigning_a_judge_of_the_entrys_street_is_refused_on_the_entry_page(client, cw):
    RoundJudge.objects.create(round=cw.final, judge=cw.judge_b)
    client.force_login(cw.admin)
    response = client.post(
        reverse("contests:entry_detail", args=[cw.entry_b.pk]),
        {"action": "assign", "round_entry": cw.re_b.pk, "pick": cw.judge_b.pk},
    )
    assert response.status_code == 400
    assert "按回避规定不能评审本街道的项目" in html(response)
    assert not ScoreSheet.objects.filter(judge=cw.judge_b).exists()


def test_the_admin_registers_an_entry(client, cw):
    client.force_login(cw.admin)
    other = village("370103002202", "大观园二村", cw.world.street_a)
    response = client.post(
        reverse("contests:entry_create", args=[cw.contest.pk]),
        {
            "presenter_kind": "enterprise",
            "presenter_name": "济南测试农业有限公司",
            "title": "大观园二村蔬菜基地",
            "village": other.code,
        },
    )
    assert response.status_code == 302
    entry = cw.contest.entries.get(title="大观园二村蔬菜基地")
    assert entry.village == other and entry.number == 3


def test_the_admin_sees_which_totals_the_trimmed_mean_leaves_out(client, scored):
    cw = scored
    client.force_login(cw.admin)
    page = html(client.get(reverse("contests:entry_detail", args=[cw.entry_a.pk])))
    assert "最高分不计" in page and "最低分不计" in page
    assert page.count("已提交") >= 5


def test_the_admin_opens_every_management_page(client, cw):
    client.force_login(cw.admin)
    for url in (
        reverse("contests:home"),
        reverse("contests:contest_create"),
        reverse("contests:contest_detail", args=[cw.contest.pk]),
        reverse("contests:contest_setup", args=[cw.contest.pk]),
        reverse("contests:entry_create", args=[cw.contest.pk]),
        reverse("contests:round_detail", args=[cw.final.pk]),
        reverse("contests:entry_detail", args=[cw.entry_b.pk]),
    ):
        assert client.get(url).status_code == 200, url


def test_the_admin_creates_a_contest_and_sets_it_up(client, world):
    client.force_login(world.users[Role.DISTRICT_ADMIN])
    response = client.post(
        reverse("contests:contest_create"),
        {"area": world.district.code, "name": "项目路演大赛", "year": "2025"},
    )
    assert response.status_code == 302
    contest = Contest.objects.get(year=2025)
    url = reverse("contests:contest_setup", args=[contest.pk])
    posts = [
        {
            "action": "criterion_add",
            "criterion_add-name": "项目成效",
            "criterion_add-weight": "0.6",
            "criterion_add-min_score": "0",
            "criterion_add-max_score": "100",
        },
        {"action": "round_add", "round_add-name": "决赛", "round_add-kind": "final"},
        {"action": "band_add", "band_add-name": "一等奖", "band_add-up_to_rank": "1"},
        {"action": "band_add", "band_add-name": "优秀奖", "band_add-up_to_rank": ""},
    ]
    for data in posts:
        assert client.post(url, data).status_code == 302, data
    criterion = contest.criteria.get()
    assert client.post(url, {"action": "tie_break", "criterion": criterion.pk}).status_code == 302
    contest.refresh_from_db()
    assert contest.tie_break_criterion == criterion
    assert [b.name for b in contest.award_bands.all()] == ["一等奖", "优秀奖"]
    page = html(client.get(url))
    assert "第1名" in page and "第2名及以后" in page
    actions = set(
        AuditEvent.objects.filter(action__startswith="contests.").values_list("action", flat=True)
    )
    assert actions == {
        "contests.contest_create",
        "contests.criterion_add",
        "contests.round_add",
        "contests.award_band_add",
        "contests.tie_break_set",
    }


@pytest.mark.parametrize("role", [Role.STREET_STAFF, Role.JUDGE])
def test_only_district_admins_create_contests(client, world, role):
    client.force_login(world.users[role])
    url = reverse("contests:contest_create")
    assert client.get(url).status_code == 403
    client.post(url, {"area": world.district.code, "name": "项目路演大赛", "year": "2025"})
    assert not Contest.objects.exists()


def test_the_round_status_changes_on_the_round_page_and_is_audited(client, cw):
    client.force_login(cw.admin)
    url = reverse("contests:round_detail", args=[cw.final.pk])
    assert client.post(url, {"action": "status", "status": "closed"}).status_code == 302
    cw.final.refresh_from_db()
    assert cw.final.status == "closed"
    assert AuditEvent.objects.filter(action="contests.round_status").count() == 1


def test_an_expired_session_sends_the_big_screen_back_to_the_login(client, cw):
    url = reverse("contests:screen_board", args=[cw.final.pk])
    response = client.get(url, HTTP_HX_REQUEST="true")
    assert response["HX-Redirect"].startswith(reverse("core:login"))
    assert "next=" in response["HX-Redirect"]
