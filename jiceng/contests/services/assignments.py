"""Writes that fill a contest: entries, the judges' panels with their assignments (and
the conflict rule, see ``conflicts``), and advancing to the next round. Each service checks
``can``, validates, locks and audits in one transaction; ``by=None`` is the system."""

from django.db import IntegrityError, transaction
from django.db.models import Max

from jiceng.core.audit import audit_record, changes_between
from jiceng.core.clean import clean_text
from jiceng.core.errors import ValidationFailed
from jiceng.core.models import Area, AreaKind, Person, RoleAssignment, User
from jiceng.core.roles import Role
from jiceng.party.models import PartyOrg

from ..conflicts import judge_streets, judge_streets_by_user, street_names
from ..models import (
    Contest,
    Entry,
    PresenterKind,
    Round,
    RoundEntry,
    RoundJudge,
    RoundStatus,
    ScoreSheet,
    SheetStatus,
)
from ..selectors import (
    first_secretary_village,
    person_holds_first_secretary_post,
    round_ranking,
)
from .common import lock_row, require_admin


def entry_create(
    *,
    by,
    contest: Contest,
    presenter_kind: str,
    title: str,
    summary: str = "",
    village: Area | None = None,
    presenter_person: Person | None = None,
    presenter_org: PartyOrg | None = None,
    presenter_name: str = "",
) -> Entry:
    """Register an entry. A 第一书记's village defaults to that of their post, a village
    branch's to the branch's own village; an enterprise names the village it works with."""
    require_admin(by, contest)
    title = clean_text(title, label="项目名称", field="title", max_length=200)
    summary = clean_text(
        summary, label="项目简介", field="summary", max_length=2000, required=False
    )
    presenter_name = (presenter_name or "").strip()
    match presenter_kind:
        case PresenterKind.FIRST_SECRETARY:
            if presenter_person is None:
                raise ValidationFailed("请选择作为参赛主体的第一书记。", field="presenter_person")
            if not person_holds_first_secretary_post(presenter_person):
                raise ValidationFailed(
                    f"{presenter_person.name}没有第一书记任职记录。", field="presenter_person"
                )
            village = village or first_secretary_village(presenter_person)
            presenter_org, presenter_name = None, ""
        case PresenterKind.VILLAGE_ORG:
            if presenter_org is None:
                raise ValidationFailed("请选择参赛的村党组织。", field="presenter_org")
            if presenter_org.area.kind != AreaKind.VILLAGE:
                raise ValidationFailed(
                    f"“{presenter_org.name}”不是村党组织。", field="presenter_org"
                )
            if village is not None and village.pk != presenter_org.area_id:
                raise ValidationFailed("所在村须为该村党组织所在的村。", field="village")
            village = presenter_org.area
            presenter_name = ""
        case PresenterKind.ENTERPRISE:
            presenter_name = clean_text(
                presenter_name, label="企业团体名称", field="presenter_name", max_length=100
            )
            presenter_person = presenter_org = None
        case _:
            raise ValidationFailed("参赛主体类型无效。", field="presenter_kind")
    if village is None:
        raise ValidationFailed("请选择项目所在的村。", field="village")
    if village.kind != AreaKind.VILLAGE or not village.code.startswith(contest.area.code):
        raise ValidationFailed(f"所在村须为{contest.area.name}的村。", field="village")
    with transaction.atomic():
        locked = lock_row(Contest, contest.pk)
        if locked.entries.filter(title=title).exists():
            raise ValidationFailed(f"本大赛已有名为“{title}”的项目。", field="title")
        number = (locked.entries.aggregate(m=Max("number"))["m"] or 0) + 1
        entry = Entry.objects.create(
            contest=locked,
            number=number,
            title=title,
            summary=summary,
            presenter_kind=presenter_kind,
            presenter_person=presenter_person,
            presenter_org=presenter_org,
            presenter_name=presenter_name,
            village=village,
        )
        audit_record(
            actor=by,
            action="contests.entry_create",
            obj=entry,
            changes=changes_between(
                {},
                {
                    "number": number,
                    "title": title,
                    "presenter_kind": presenter_kind,
                    "presenter": entry.presenter,
                    "village": village.code,
                },
            ),
        )
    return entry


def conflict_reason(judge: User, entry: Entry, streets: set[str] | None = None) -> str | None:
    """Why ``judge`` must stand aside from ``entry`` (Chinese), or None when they need not."""
    streets = judge_streets(judge) if streets is None else streets
    if entry.street_code not in streets:
        return None
    name = street_names([entry.street_code]).get(entry.street_code, entry.street_code)
    return (
        f"评委{judge.display_name}属于{name}，项目“{entry.title}”所在的{entry.village.name}"
        f"也在{name}，按回避规定不能评审本街道的项目。"
    )


def _is_judge(user: User) -> bool:
    return RoleAssignment.objects.active().filter(user=user, role=Role.JUDGE).exists()


def _create_sheet(*, by, round_entry: RoundEntry, judge: User) -> ScoreSheet:
    sheet = ScoreSheet.objects.create(round_entry=round_entry, judge=judge)
    audit_record(
        actor=by,
        action="contests.sheet_assign",
        obj=sheet,
        changes=changes_between({}, {"judge": judge.pk, "entry": round_entry.entry_id}),
    )
    return sheet


def round_judge_add(*, by, rnd: Round, judge: User) -> tuple[RoundJudge, list[Entry]]:
    """Put a judge on the round's panel and assign them every entry of the round except
    those of their own street. Returns the panel row and the entries they stand aside from."""
    require_admin(by, rnd.contest)
    if not _is_judge(judge):
        raise ValidationFailed(f"{judge.display_name}没有评委角色，不能加入评委组。", field="judge")
    with transaction.atomic():
        locked = lock_row(Round, rnd.pk)
        if locked.status == RoundStatus.CLOSED:
            raise ValidationFailed("本轮评分已结束，不能再增加评委。")
        if locked.panel.filter(judge=judge).exists():
            raise ValidationFailed(f"{judge.display_name}已在本轮评委组中。", field="judge")
        panel_row = RoundJudge.objects.create(round=locked, judge=judge)
        streets = judge_streets(judge)
        recused = []
        for re in locked.round_entries.select_related("entry__village").order_by("sequence"):
            if re.entry.street_code in streets:
                recused.append(re.entry)
            elif not re.sheets.filter(judge=judge).exists():
                _create_sheet(by=by, round_entry=re, judge=judge)
        audit_record(
            actor=by,
            action="contests.round_judge_add",
            obj=panel_row,
            changes=changes_between(
                {},
                {
                    "round": locked.pk,
                    "judge": judge.pk,
                    "recused": ",".join(str(e.number) for e in recused),
                },
            ),
        )
    return panel_row, recused


def sheet_assign(*, by, round_entry: RoundEntry, judge: User) -> ScoreSheet:
    """Assign one judge of the round's panel to one entry; refuses a judge of the entry's
    street with the reason."""
    rnd = round_entry.round
    require_admin(by, rnd.contest)
    if reason := conflict_reason(judge, round_entry.entry):
        raise ValidationFailed(reason, field="judge")
    with transaction.atomic():
        locked = lock_row(Round, rnd.pk)
        if locked.status == RoundStatus.CLOSED:
            raise ValidationFailed("本轮评分已结束，不能再分派评委。")
        if not locked.panel.filter(judge=judge).exists():
            raise ValidationFailed(
                f"{judge.display_name}不在本轮评委组中，请先将其加入评委组。", field="judge"
            )
        if round_entry.sheets.filter(judge=judge).exists():
            raise ValidationFailed(f"{judge.display_name}已分派评审该项目。", field="judge")
        return _create_sheet(by=by, round_entry=round_entry, judge=judge)


def sheet_unassign(*, by, sheet: ScoreSheet) -> None:
    """Take an entry away from a judge (absent, or assigned by mistake) before they submit."""
    require_admin(by, sheet.round_entry.round.contest)
    with transaction.atomic():
        locked = lock_row(ScoreSheet, sheet.pk)
        if locked.status == SheetStatus.SUBMITTED:
            raise ValidationFailed("该评委已提交评分，不能撤销分派。")
        audit_record(
            actor=by,
            action="contests.sheet_unassign",
            obj=locked,
            changes=changes_between(
                {"judge": locked.judge_id, "entry": sheet.round_entry.entry_id}, {}
            ),
        )
        locked.delete()


def round_entry_add(*, by, rnd: Round, entry: Entry) -> RoundEntry:
    """Add an entry to a round (last in order) and assign it to the round's judges, except
    those of its street."""
    require_admin(by, rnd.contest)
    if entry.contest_id != rnd.contest_id:
        raise ValidationFailed("该项目不属于本大赛。", field="entry")
    with transaction.atomic():
        locked = lock_row(Round, rnd.pk)
        if locked.status == RoundStatus.CLOSED:
            raise ValidationFailed("本轮评分已结束，不能再增加项目。")
        if locked.round_entries.filter(entry=entry).exists():
            raise ValidationFailed(f"项目“{entry.title}”已在本轮中。", field="entry")
        sequence = (locked.round_entries.aggregate(m=Max("sequence"))["m"] or 0) + 1
        try:
            with transaction.atomic():
                round_entry = RoundEntry.objects.create(
                    round=locked, entry=entry, sequence=sequence
                )
        except IntegrityError:
            raise ValidationFailed(f"项目“{entry.title}”已在本轮中。", field="entry") from None
        audit_record(
            actor=by,
            action="contests.round_entry_add",
            obj=round_entry,
            changes=changes_between({}, {"round": locked.pk, "entry": entry.pk, "order": sequence}),
        )
        panel = list(locked.panel.select_related("judge__person"))
        streets = judge_streets_by_user([p.judge_id for p in panel])
        for p in panel:
            if entry.street_code not in streets.get(p.judge_id, set()):
                _create_sheet(by=by, round_entry=round_entry, judge=p.judge)
    return round_entry


def round_advance(*, by, rnd: Round) -> list[RoundEntry]:
    """Put the round's best ``advance_count`` entries (ties at the cut all go through) into
    the next round, in order of rank. Needs every sheet of the round submitted."""
    require_admin(by, rnd.contest)
    if not rnd.advance_count:
        raise ValidationFailed("本轮没有设置晋级名额。")
    following = (
        Round.objects.filter(contest=rnd.contest, sequence__gt=rnd.sequence)
        .order_by("sequence")
        .first()
    )
    if following is None:
        raise ValidationFailed("没有下一轮，无法晋级。")
    ranking = round_ranking(user=None, rnd=rnd, everyone=True)
    if not ranking.complete:
        raise ValidationFailed("本轮还有评委未提交评分，不能确定晋级名单。")
    added = []
    with transaction.atomic():
        present = set(following.round_entries.values_list("entry_id", flat=True))
        for row in ranking.rows:
            if row.standing.rank is None or row.standing.rank > rnd.advance_count:
                continue
            if row.entry.pk not in present:
                added.append(round_entry_add(by=by, rnd=following, entry=row.entry))
        audit_record(
            actor=by,
            action="contests.round_advance",
            obj=rnd,
            changes=changes_between(
                {}, {"to_round": following.pk, "entries": ",".join(str(a.entry_id) for a in added)}
            ),
        )
    return added
