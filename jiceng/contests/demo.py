"""The demo's 2024 项目路演大赛 (``load_demo`` part, after the rural part).

Sixteen entries — first secretaries (those the demo has; their empty places go to village
branches presented by the village's secretary), village party organizations and
enterprise groups — a preliminary round whose best ten reach the final, seven judges
(the demo login ``judge``, three street staff members from village streets, who stand
aside from their own street's entries, and three district-level experts), every sheet of
both rounds submitted, so the final's ranking and awards are complete. Two finalists with
the same panel get equal totals from every judge, so the tie-break shows.

Every row goes through the services (so it is validated and audited) and is looked up
first by its natural key; scores are drawn from generators seeded by entry title, judge
username and criterion name, never by database ids. A second run creates nothing.
"""

import random
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.db.models import Q
from django.utils import timezone

from jiceng.core.demo.accounts import PASSWORD
from jiceng.core.demo.areas import DISTRICT_CODE
from jiceng.core.demo.common import SEED
from jiceng.core.models import Area, Person, Post, PostTitle, RoleAssignment, User
from jiceng.core.roles import Role
from jiceng.core.services import role_assign, user_create
from jiceng.party.models import PartyOrg

from . import services
from .models import (
    AwardBand,
    Contest,
    Criterion,
    Entry,
    PresenterKind,
    Round,
    RoundEntry,
    RoundJudge,
    RoundKind,
    RoundStatus,
    Score,
    ScoreSheet,
    SheetCorrection,
    SheetStatus,
)
from .selectors import round_ranking

NAME = "项目路演大赛"
YEAR = 2024
DESCRIPTION = (
    "围绕“第一书记帮村、企业团体联村、各方力量助村”工作成效，集中展示第一书记、村党组织、"
    "企业团体在全面推进乡村振兴中的工作实绩和成效变化。"
)
PRELIMINARY = ("初赛", RoundKind.PRELIMINARY, date(2024, 6, 18), 10)
FINAL = ("决赛", RoundKind.FINAL, date(2024, 7, 9), None)
CRITERIA = (
    ("项目成效", "集体经济增收、群众受益的实际成效", "0.30"),
    ("创新特色", "发展模式的创新性和地方特色", "0.25"),
    ("带动作用", "联农带农、强村带弱村的带动作用", "0.20"),
    ("可持续性", "资金、市场和运营的可持续性", "0.15"),
    ("路演表现", "汇报条理、现场感染力和答辩", "0.10"),
)
MAX_SCORE = 100
TIE_BREAK = "项目成效"
BANDS = (("一等奖", 1), ("二等奖", 3), ("三等奖", 6), ("优秀奖", None))

FIRST_SECRETARY_SLOTS = 6
FIRST_SECRETARY_THEMES = (
    "闲置集体资产盘活",
    "土地流转发展高效农业",
    "屋顶光伏助力集体增收",
    "农产品电商直播带货",
    "村集体物业抱团租赁",
    "村级劳务服务公司",
)
# Villages whose branch takes a first secretary's empty place, presented by its secretary.
FALLBACK_VILLAGES = (
    "370103021203",  # 刘家林村
    "370103020203",  # 白土岗村
    "370103019210",  # 柏石峪村
    "370103022201",  # 仁里村
    "370103021216",  # 展村东村
    "370103020212",  # 侯家庄村
)
VILLAGE_ORG_ENTRIES = (
    ("370103022209", "普罗旺斯西红柿品牌化种植与采摘"),  # 大庙屯村
    ("370103022214", "新平果蔬大棚联营"),  # 新平村
    ("370103022219", "小庄采摘研学基地"),  # 小庄村
    ("370103021211", "玉符河畔乡村民宿集群"),  # 相家庄村
    ("370103019206", "大涧沟红色研学与林果采摘"),  # 大涧沟西村
    ("370103020215", "斗母泉山泉与乡村文旅融合"),  # 斗母泉村
)
ENTERPRISE_ENTRIES = (
    ("370103021209", "济南玉符河生态农业发展有限公司", "玉符泉源片区生态农业联营"),
    ("370103022208", "济南红盟兴业农业科技有限公司", "红盟兴业智慧农业示范园"),
    ("370103019212", "济南花山峪乡村旅游发展有限公司", "花山峪古村落乡村旅游开发"),
    ("370103020204", "济南兴隆山区农产品专业合作社联合社", "山区特色农产品统购统销"),
)
# judge2..judge4 are street staff of these village streets; judge5..judge7 are experts.
STREET_JUDGES = ("370103021", "370103022", "370103019")  # 党家, 陡沟, 十六里河
EXPERT_JUDGES = ("周明远", "孙慧敏", "刘振华")
JUDGE_USERNAMES = ("judge", *(f"judge{i}" for i in range(2, 8)))


@dataclass(frozen=True)
class PlannedEntry:
    kind: str
    title: str
    summary: str
    village: Area
    person_id: int | None = None
    org: PartyOrg | None = None
    name: str = ""


def load_contests_demo(*, today: date | None = None) -> int:
    """The article's 2024 contest, complete; then this year's, open for scoring (``today``
    defaults to the load day)."""
    district = Area.objects.filter(code=DISTRICT_CODE).first()
    if district is None:
        return 0
    before = _count()
    contest = _contest(district)
    _rubric(contest)
    preliminary = _round(contest, *PRELIMINARY)
    final = _round(contest, *FINAL)
    judges = _judges(district)
    # Once the preliminary is over the field is fixed, whatever other parts add later
    # (a first secretary appointed after it does not join a finished contest).
    field_open = preliminary.status != RoundStatus.CLOSED
    for planned in _plan_entries(contest) if field_open else []:
        if not contest.entries.filter(title=planned.title).exists():
            services.entry_create(
                by=None,
                contest=contest,
                presenter_kind=planned.kind,
                title=planned.title,
                summary=planned.summary,
                village=planned.village,
                presenter_person=_person(planned.person_id),
                presenter_org=planned.org,
                presenter_name=planned.name,
            )
    for entry in contest.entries.order_by("number"):
        if not preliminary.round_entries.filter(entry=entry).exists():
            services.round_entry_add(by=None, rnd=preliminary, entry=entry)
    _score_round(preliminary, judges)
    if not final.round_entries.exists():
        services.round_advance(by=None, rnd=preliminary)
    _score_round(final, judges, with_tie=True)
    _open_contest(district, judges, today=today or timezone.localdate())
    return _count() - before


def _open_contest(district: Area, judges: list[User], *, today: date) -> None:
    """This year's contest, its preliminary open for scoring on the day the demo is first
    loaded: the judges have sheets to fill in. Same entries and rubric as the article's."""
    if today.year <= YEAR:
        return
    contest = _contest(district, year=today.year)
    _rubric(contest)
    held_on = contest.rounds.values_list("held_on", flat=True).first() or today
    preliminary = _round(contest, PRELIMINARY[0], PRELIMINARY[1], held_on, PRELIMINARY[3])
    if preliminary.status != RoundStatus.SETUP:
        return
    for planned in _plan_entries(contest):
        if not contest.entries.filter(title=planned.title).exists():
            services.entry_create(
                by=None,
                contest=contest,
                presenter_kind=planned.kind,
                title=planned.title,
                summary=planned.summary,
                village=planned.village,
                presenter_person=_person(planned.person_id),
                presenter_org=planned.org,
                presenter_name=planned.name,
            )
    for entry in contest.entries.order_by("number"):
        if not preliminary.round_entries.filter(entry=entry).exists():
            services.round_entry_add(by=None, rnd=preliminary, entry=entry)
    for judge in judges:
        if not preliminary.panel.filter(judge=judge).exists():
            services.round_judge_add(by=None, rnd=preliminary, judge=judge)
    services.round_status_set(by=None, rnd=preliminary, status=RoundStatus.SCORING)


def _count() -> int:
    models = (
        Contest,
        Criterion,
        Round,
        AwardBand,
        Entry,
        RoundEntry,
        RoundJudge,
        ScoreSheet,
        Score,
        SheetCorrection,
    )
    judges = User.objects.filter(username__in=JUDGE_USERNAMES).count()
    roles = RoleAssignment.objects.filter(
        user__username__in=JUDGE_USERNAMES, role=Role.JUDGE
    ).count()
    return sum(m.objects.count() for m in models) + judges + roles


def _person(person_id):
    return Person.objects.get(pk=person_id) if person_id else None


def _contest(district: Area, year: int = YEAR) -> Contest:
    contest = Contest.objects.filter(area=district, year=year, name=NAME).first()
    if contest is None:
        contest = services.contest_create(
            by=None, area=district, name=NAME, year=year, description=DESCRIPTION
        )
    return contest


def _rubric(contest: Contest) -> None:
    for name, description, weight in CRITERIA:
        if not contest.criteria.filter(name=name).exists():
            services.criterion_add(
                by=None,
                contest=contest,
                name=name,
                description=description,
                weight=weight,
                max_score=MAX_SCORE,
            )
    for name, up_to in BANDS:
        if not contest.award_bands.filter(name=name).exists():
            services.award_band_add(by=None, contest=contest, name=name, up_to_rank=up_to)
    contest.refresh_from_db()
    if contest.tie_break_criterion_id is None:
        services.tie_break_set(
            by=None, contest=contest, criterion=contest.criteria.get(name=TIE_BREAK)
        )


def _round(contest: Contest, name: str, kind: str, held_on: date, advance: int | None) -> Round:
    rnd = contest.rounds.filter(name=name).first()
    if rnd is None:
        rnd = services.round_add(
            by=None, contest=contest, name=name, kind=kind, held_on=held_on, advance_count=advance
        )
    return rnd


# ---- judges ------------------------------------------------------------------------------


def _judges(district: Area) -> list[User]:
    taken = set(User.objects.filter(person__isnull=False).values_list("person_id", flat=True))
    judges = []
    for n, username in enumerate(JUDGE_USERNAMES[1:], start=2):
        user = User.objects.filter(username=username).first()
        if user is None:
            person, full_name = None, ""
            if n - 2 < len(STREET_JUDGES):
                person = _street_staff(STREET_JUDGES[n - 2], taken)
                if person is not None:
                    taken.add(person.pk)
            else:
                full_name = EXPERT_JUDGES[n - 2 - len(STREET_JUDGES)]
            user = user_create(
                by=None, username=username, password=PASSWORD, person=person, full_name=full_name
            )
        judges.append(user)
    main = User.objects.filter(username=JUDGE_USERNAMES[0]).first()
    if main is not None:
        judges.insert(0, main)
    for user in judges:
        if not RoleAssignment.objects.filter(user=user, role=Role.JUDGE).exists():
            role_assign(by=None, user=user, role=Role.JUDGE, area=district)
    return [User.objects.get(pk=u.pk) for u in judges]


def _street_staff(street_code: str, taken: set[int]):
    post = (
        Post.objects.filter(title=PostTitle.STREET_STAFF, area__code=street_code)
        .exclude(person_id__in=taken)
        .select_related("person")
        .order_by("starts_on", "person__name", "id")
        .first()
    )
    return post.person if post else None


# ---- entries -----------------------------------------------------------------------------


def _summary(rng: random.Random, village: Area, what: str) -> str:
    households = rng.randint(60, 380)
    income = rng.randint(8, 46)
    return (
        f"{village.name}以“{what}”为抓手，带动 {households} 户群众参与，"
        f"预计年增加村集体经济收入 {income} 万元。"
    )


def _plan_entries(contest: Contest) -> list[PlannedEntry]:
    """The entries in a fixed order; first secretaries are those holding the post on the
    final's day (the rural part adds them), in the order of their villages' codes."""
    villages = {
        a.code: a
        for a in Area.objects.filter(code__startswith=DISTRICT_CODE, kind="village").select_related(
            "parent"
        )
    }
    planned: list[PlannedEntry] = []
    posts = (
        Post.objects.current(FINAL[2])
        .filter(title=PostTitle.FIRST_SECRETARY)
        .filter(Q(area__kind="village") | Q(party_org__area__kind="village"))
        .select_related("area", "party_org__area", "person")
    )
    seen_people, secretaries = set(), []
    for post in sorted(
        posts, key=lambda p: ((p.area or p.party_org.area).code, p.person.name, p.pk)
    ):
        if post.person_id not in seen_people:
            seen_people.add(post.person_id)
            secretaries.append(post)
    for i, post in enumerate(secretaries[:FIRST_SECRETARY_SLOTS]):
        village = post.area or post.party_org.area
        theme = FIRST_SECRETARY_THEMES[i]
        rng = random.Random(f"{SEED}:contest:{village.code}:{theme}")
        planned.append(
            PlannedEntry(
                PresenterKind.FIRST_SECRETARY,
                f"{village.name}{theme}",
                _summary(rng, village, theme),
                village,
                person_id=post.person_id,
            )
        )
    fallback = iter(FALLBACK_VILLAGES)
    for theme in FIRST_SECRETARY_THEMES[len(planned) :]:
        village = villages.get(next(fallback, ""))
        if village is None:
            continue
        org = _village_org(village)
        if org is None:
            continue
        rng = random.Random(f"{SEED}:contest:{village.code}:{theme}")
        planned.append(
            PlannedEntry(
                PresenterKind.VILLAGE_ORG,
                f"{village.name}{theme}",
                _summary(rng, village, theme),
                village,
                person_id=_village_secretary(village),
                org=org,
            )
        )
    for code, what in VILLAGE_ORG_ENTRIES:
        village = villages.get(code)
        org = _village_org(village) if village else None
        if org is None:
            continue
        rng = random.Random(f"{SEED}:contest:{code}:{what}")
        planned.append(
            PlannedEntry(
                PresenterKind.VILLAGE_ORG,
                what,
                _summary(rng, village, what),
                village,
                person_id=_village_secretary(village),
                org=org,
            )
        )
    for code, company, what in ENTERPRISE_ENTRIES:
        village = villages.get(code)
        if village is None:
            continue
        rng = random.Random(f"{SEED}:contest:{code}:{what}")
        planned.append(
            PlannedEntry(
                PresenterKind.ENTERPRISE,
                what,
                _summary(rng, village, what),
                village,
                name=company,
            )
        )
    return planned


def _village_org(village: Area) -> PartyOrg | None:
    return PartyOrg.objects.filter(area=village).order_by("path").first()


def _village_secretary(village: Area) -> int | None:
    post = (
        Post.objects.current(FINAL[2])
        .filter(title=PostTitle.VILLAGE_SECRETARY, area=village)
        .order_by("starts_on", "id")
        .first()
    )
    return post.person_id if post else None


# ---- scoring -----------------------------------------------------------------------------


def _score_round(rnd: Round, judges: list[User], with_tie: bool = False) -> None:
    """Put the judges on the panel, open the round, submit every sheet, close it."""
    rnd.refresh_from_db()
    if rnd.status != RoundStatus.CLOSED:
        for judge in judges:
            if not rnd.panel.filter(judge=judge).exists():
                services.round_judge_add(by=None, rnd=rnd, judge=judge)
    if rnd.status == RoundStatus.SETUP:
        rnd = services.round_status_set(by=None, rnd=rnd, status=RoundStatus.SCORING)
    pending = list(
        ScoreSheet.objects.filter(round_entry__round=rnd)
        .exclude(status=SheetStatus.SUBMITTED)
        .select_related("judge", "round_entry__entry")
        .order_by("judge__username", "round_entry__sequence")
    )
    if pending:
        criteria = list(rnd.contest.criteria.order_by("sequence"))
        planned = _planned_values(rnd, criteria, with_tie)
        for sheet in pending:
            services.sheet_submit(
                by=sheet.judge,
                sheet=sheet,
                values=planned[(sheet.round_entry.entry.title, sheet.judge.username)],
            )
            # On the day of the round, a few minutes after the entry presented (the service
            # stamps the moment it runs; the demo's dates are fixed).
            ScoreSheet.objects.filter(pk=sheet.pk).update(
                submitted_at=_presented_at(rnd, sheet.round_entry.sequence, sheet.judge.username)
            )
    if (
        rnd.status == RoundStatus.SCORING
        and round_ranking(user=None, rnd=rnd, everyone=True).complete
    ):
        services.round_status_set(by=None, rnd=rnd, status=RoundStatus.CLOSED)


def _presented_at(rnd: Round, sequence: int, username: str) -> datetime:
    start = timezone.make_aware(datetime.combine(rnd.held_on, time(9, 0)))
    judge = JUDGE_USERNAMES.index(username) if username in JUDGE_USERNAMES else 0
    return start + timedelta(minutes=12 * sequence, seconds=25 * judge)


def _planned_values(rnd: Round, criteria, with_tie: bool) -> dict:
    """(entry title, judge username) -> criterion id -> score, for every sheet of the round."""
    sheets = list(
        ScoreSheet.objects.filter(round_entry__round=rnd)
        .select_related("judge", "round_entry__entry")
        .order_by("round_entry__sequence", "judge__username")
    )
    values = {}
    panels: dict[str, list[str]] = {}
    for sheet in sheets:
        title, username = sheet.round_entry.entry.title, sheet.judge.username
        panels.setdefault(title, []).append(username)
        values[(title, username)] = {
            c.pk: _score(rnd.sequence, title, username, c.name) for c in criteria
        }
    if with_tie:
        _make_tie(values, panels, criteria)
    return values


def _score(round_seq: int, title: str, username: str, criterion: str) -> Decimal:
    quality = random.Random(f"{SEED}:contest:quality:{title}").uniform(72, 90)
    growth = random.Random(f"{SEED}:contest:growth:{title}").uniform(-2, 4) * (round_seq - 1)
    bias = random.Random(f"{SEED}:contest:judge:{username}").uniform(-3, 3)
    noise = random.Random(f"{SEED}:contest:{round_seq}:{title}:{username}:{criterion}").gauss(0, 3)
    value = round(quality + growth + bias + noise)
    return Decimal(min(max(value, 60), 97))


def _make_tie(values: dict, panels: dict[str, list[str]], criteria) -> None:
    """Give two entries judged by the same panel equal totals from every judge, the second
    one point more on the tie-break criterion (offset by three on the 0.10 criterion)."""
    by_panel: dict[tuple, list[str]] = {}
    for title, usernames in panels.items():
        by_panel.setdefault(tuple(sorted(usernames)), []).append(title)
    group = max(by_panel.values(), key=len)
    if len(group) < 3:
        return

    def mean_total(title: str) -> Decimal:
        totals = [sum(c.weight * values[(title, u)][c.pk] for c in criteria) for u in panels[title]]
        return sum(totals) / len(totals)

    # Below the group's best, so that the tie decides a place, not the first prize.
    ordered = sorted(group, key=mean_total, reverse=True)
    first, second = ordered[2], ordered[1]
    up = next(c for c in criteria if c.name == TIE_BREAK)
    down = next(c for c in criteria if c.weight * 3 == up.weight)
    for username in panels[first]:
        copy = dict(values[(first, username)])
        copy[up.pk] += 1
        copy[down.pk] -= 3
        values[(second, username)] = copy
