"""Parameters for the URL walk (jiceng/core/tests/test_url_walk.py) of the contests' routes.

Contest A (the district's) has an entry in street A and one in street B; the world's judge
is assigned only the street-A entry. Contest B has only a street-B entry, judged by a
second judge. Rows are written directly (no audit): the walk compares the audit log
before and after its POSTs.

The ``world`` fixture has no village in street A, so the street-A entry is placed in
community A1 (written past the service, which would insist on a village): for the walk
only the scope matters.
"""

from decimal import Decimal

from jiceng.core.models import Area, AreaKind
from jiceng.core.roles import Role

from ..models import RoundKind, RoundStatus
from .factories import (
    ContestFactory,
    CriterionFactory,
    EntryFactory,
    RoundEntryFactory,
    RoundFactory,
    RoundJudgeFactory,
    ScoreSheetFactory,
    judge_user,
)

# Every role is asked about contest A: its admin, street A's staff and the judge assigned
# to it see it; the others are turned away by the module's gate (403) before anything is
# read, since their scopes (community A1 and below) hold no village. Of those who pass the
# gate, street staff never see a judge's sheet.
NOT_SHOWN_A_SHEET = {Role.STREET_STAFF}

ENTRY_B_TITLE = "杆石桥果园路演项目"
CONTEST_B_NAME = "杆石桥专项路演赛"
JUDGE_B_NAME = "乙街评委"


def _street_a_place(world) -> Area:
    village = Area.objects.subtree(world.street_a.code).filter(kind=AreaKind.VILLAGE).first()
    return village or world.community_a1


def walk_params(world) -> dict:
    contest_a = ContestFactory(area=world.district, name="大观园专项路演赛")
    CriterionFactory(contest=contest_a, name="项目成效", weight=Decimal("1"), sequence=1)
    round_a = RoundFactory(contest=contest_a, name="决赛", kind=RoundKind.FINAL, sequence=1)
    entry_a = EntryFactory(
        contest=contest_a, number=1, title="睦和苑助农路演项目", village=_street_a_place(world)
    )
    entry_b = EntryFactory(
        contest=contest_a, number=2, title=ENTRY_B_TITLE, village=world.village_b2
    )
    re_a = RoundEntryFactory(round=round_a, entry=entry_a, sequence=1)
    re_b = RoundEntryFactory(round=round_a, entry=entry_b, sequence=2)
    judge = world.users[Role.JUDGE]
    judge_b = judge_user("t_walk_judge_b", area=world.district)
    judge_b.first_name = JUDGE_B_NAME
    judge_b.save()
    RoundJudgeFactory(round=round_a, judge=judge)
    RoundJudgeFactory(round=round_a, judge=judge_b)
    sheet_a = ScoreSheetFactory(round_entry=re_a, judge=judge)
    ScoreSheetFactory(round_entry=re_b, judge=judge_b)

    contest_b = ContestFactory(area=world.district, name=CONTEST_B_NAME)
    round_b = RoundFactory(contest=contest_b, name="决赛", sequence=1, status=RoundStatus.SCORING)
    entry_b2 = EntryFactory(
        contest=contest_b, number=1, title="春元里助农路演项目", village=world.village_b2
    )
    re_b2 = RoundEntryFactory(round=round_b, entry=entry_b2, sequence=1)
    RoundJudgeFactory(round=round_b, judge=judge_b)
    sheet_b = ScoreSheetFactory(round_entry=re_b2, judge=judge_b)

    def always(params):
        return lambda role: params

    contest_in, contest_out = {"pk": contest_a.pk}, {"pk": contest_b.pk}
    round_in, round_out = {"pk": round_a.pk}, {"pk": round_b.pk}
    return {
        "contests:contest_detail": (always(contest_in), contest_out),
        "contests:contest_setup": (always(contest_in), contest_out),
        "contests:entry_create": (always(contest_in), contest_out),
        "contests:round_detail": (always(round_in), round_out),
        "contests:ranking": (always(round_in), round_out),
        "contests:screen": (always(round_in), round_out),
        "contests:screen_board": (always(round_in), round_out),
        "contests:export": (always(round_in), round_out),
        "contests:entry_detail": (always({"pk": entry_a.pk}), {"pk": entry_b.pk}),
        "contests:sheet_detail": (
            lambda role: None if role in NOT_SHOWN_A_SHEET else {"pk": sheet_a.pk},
            {"pk": sheet_b.pk},
        ),
    }


def out_of_scope_names(world) -> list[str]:
    # The judges' names are not listed: the security administrator's account list shows
    # every account by design. contests/tests/test_views.py checks who sees judges.
    return [ENTRY_B_TITLE, CONTEST_B_NAME, "春元里助农路演项目"]
