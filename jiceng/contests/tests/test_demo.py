"""The demo's contest (``load_demo``'s contests part), loaded twice.

Only the core's steps and this part run here (the other apps' parts have their own
tests); the whole load is rolled back at the end of the module."""

import io
from unittest import mock

import pytest
from django.conf import settings

from jiceng.core.demo import load_demo
from jiceng.core.demo.registry import demo_parts
from jiceng.core.models import Post, PostTitle, RoleAssignment, User
from jiceng.core.roles import Role
from jiceng.core.tests.factories import PersonFactory, PostFactory
from jiceng.testing import rolled_back

from ..conflicts import judge_streets_by_user
from ..demo import JUDGE_USERNAMES, NAME, YEAR, _plan_entries
from ..models import Contest, PresenterKind, RoundStatus, ScoreSheet, SheetStatus
from ..selectors import round_ranking

DIVISIONS = settings.SHARED_DATA_DIR / "divisions"

pytestmark = pytest.mark.skipif(
    not (DIVISIONS / "370103_villages.csv").is_file(),
    reason=f"the shared divisions data ({DIVISIONS}) is not available on this machine",
)


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    ours = [p for p in demo_parts() if p.key == "contests"]
    with (
        rolled_back(django_db_blocker),
        mock.patch("jiceng.core.demo.load.demo_parts", lambda: ours),
    ):
        first = load_demo(stdout=io.StringIO())
        second = load_demo(stdout=io.StringIO())
        yield first, second


@pytest.fixture
def contest(demo, db):
    return Contest.objects.get(name=NAME, year=YEAR)


def test_the_demo_contest_is_created_once(demo):
    first, second = demo
    assert first.created["contests"] > 0
    assert second.created["contests"] == 0


def test_the_demo_has_a_preliminary_and_a_final_both_scored(contest):
    rounds = list(contest.rounds.order_by("sequence"))
    assert [r.name for r in rounds] == ["初赛", "决赛"]
    assert all(r.status == RoundStatus.CLOSED for r in rounds)
    assert (
        not ScoreSheet.objects.filter(round_entry__round__contest=contest)
        .exclude(status=SheetStatus.SUBMITTED)
        .exists()
    )
    assert rounds[0].round_entries.count() == 16 and rounds[1].round_entries.count() == 10


def test_seven_judges_including_the_demo_judge_login(contest):
    judges = set(contest.rounds.get(name="决赛").panel.values_list("judge__username", flat=True))
    assert judges == set(JUDGE_USERNAMES) and "judge" in judges
    for username in JUDGE_USERNAMES:
        user = User.objects.get(username=username)
        assert RoleAssignment.objects.filter(user=user, role=Role.JUDGE).exists()
        assert user.check_password("Jiceng@2024")


def test_no_demo_judge_scores_an_entry_of_their_own_street(contest):
    sheets = list(
        ScoreSheet.objects.filter(round_entry__round__contest=contest).select_related(
            "round_entry__entry__village"
        )
    )
    streets = judge_streets_by_user({s.judge_id for s in sheets})
    assert any(streets.values()), "some demo judges work in a street"
    for s in sheets:
        assert s.round_entry.entry.street_code not in streets[s.judge_id]


def test_the_final_ranking_is_complete_with_awards_and_a_decided_tie(contest):
    final = contest.rounds.get(name="决赛")
    ranking = round_ranking(user=None, rnd=final, everyone=True)
    assert ranking.complete
    assert all(r.standing.rank and r.standing.award for r in ranking.rows)
    assert ranking.rows[0].standing.award == "一等奖"
    assert any(r.standing.split_by_tie_break for r in ranking.rows)
    assert all(r.submitted >= 5 for r in ranking.rows)  # every score is a trimmed mean


def test_entries_come_from_all_three_kinds_of_presenter(contest):
    kinds = set(contest.entries.values_list("presenter_kind", flat=True))
    assert kinds == set(PresenterKind.values)
    secretary = Post.objects.get(title=PostTitle.FIRST_SECRETARY).person
    assert contest.entries.filter(presenter_person=secretary).exists()


def test_first_secretaries_added_before_the_contest_part_present_entries(contest):
    village = contest.entries.filter(presenter_kind=PresenterKind.ENTERPRISE).first().village
    newcomer = PersonFactory(name="新书记", area=village)
    PostFactory(person=newcomer, title=PostTitle.FIRST_SECRETARY, area=village)
    planned = _plan_entries(contest)
    secretaries = [p for p in planned if p.kind == PresenterKind.FIRST_SECRETARY]
    assert newcomer.pk in {p.person_id for p in secretaries}
    assert len(planned) == 16


def test_a_first_secretary_appointed_after_the_contest_changes_nothing(contest):
    from ..demo import load_contests_demo

    village = contest.entries.filter(presenter_kind=PresenterKind.ENTERPRISE).first().village
    PostFactory(
        person=PersonFactory(name="后到书记", area=village),
        title=PostTitle.FIRST_SECRETARY,
        area=village,
    )
    assert load_contests_demo() == 0
    assert contest.entries.count() == 16


def test_the_demo_judge_has_this_years_round_open_to_score(demo, db):
    from django.utils import timezone

    judge = User.objects.get(username=JUDGE_USERNAMES[0])
    sheets = ScoreSheet.objects.filter(
        judge=judge,
        round_entry__round__status=RoundStatus.SCORING,
        round_entry__round__contest__year=timezone.localdate().year,
    )
    assert sheets.exists()
    assert not sheets.filter(status=SheetStatus.SUBMITTED).exists()
    # The article's contest is untouched: complete and closed.
    assert (
        not ScoreSheet.objects.filter(round_entry__round__contest__year=YEAR)
        .exclude(status=SheetStatus.SUBMITTED)
        .exists()
    )
