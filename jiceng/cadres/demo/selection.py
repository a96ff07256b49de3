"""Demo selection: 2024年度社区党委书记、副书记择优选配, one secretary and two deputy seats,
applicants of whom some fail the rules (each reason kept), scores, ranking and the
publicity period over the Dragon Boat Festival (公示 5 working days from 5 June 2024 ends on
12 June). It runs through the services, as the organization department would."""

from datetime import date, timedelta
from decimal import Decimal

from jiceng.core.models import Education, PostTitle

from .. import services
from ..models import ApplicationStatus, RoundStatus, SelectionRound
from ..models.selection import SelectionPost
from ..screening import full_years
from .common import current_posts, district, host_codes, rng
from .secondment import choose_secondees

NAME = "2024年度社区党委书记、副书记择优选配"
CLOSES_ON = date(2024, 5, 20)
PUBLICITY_FROM = date(2024, 6, 5)
TERM_ENDS = date(2026, 4, 30)
# Applicants per seat, drawn from deputies (for the secretary seat) and community workers.
APPLICANTS = {PostTitle.COMMUNITY_SECRETARY: 6, PostTitle.COMMUNITY_DEPUTY: 5}
RECORD_NOTE = "2022年受到党内警告处分，影响期未满"


def _round() -> tuple[SelectionRound, int]:
    selection = SelectionRound.objects.filter(area=district(), name=NAME).first()
    if selection is not None:
        return selection, 0
    selection = services.round_create(
        by=None,
        name=NAME,
        year=2024,
        area=district(),
        reference_date=CLOSES_ON,
        applications_close_on=CLOSES_ON,
        max_age=45,
        min_education=Education.COLLEGE,
        min_party_years=3,
        min_community_years=3,
        require_clean_record=True,
        written_weight=Decimal("0.40"),
        interview_weight=Decimal("0.60"),
        publicity_days=5,
    )
    return selection, 1


def _seats(selection: SelectionRound, excluded: set[str]) -> tuple[list[SelectionPost], int]:
    """A secretary seat and two deputy seats, at communities outside the secondment."""
    existing = list(selection.posts.select_related("area").order_by("id"))
    if existing:
        return existing, 0
    communities = sorted(
        {
            p.area.code: p.area for p in current_posts(PostTitle.COMMUNITY_SECRETARY, CLOSES_ON)
        }.items()
    )
    pool = [area for code, area in communities if code not in excluded]
    chosen = rng("selection-seats").sample(pool, 3)
    titles = (PostTitle.COMMUNITY_SECRETARY, PostTitle.COMMUNITY_DEPUTY, PostTitle.COMMUNITY_DEPUTY)
    seats = [
        services.selection_post_add(
            by=None, selection=selection, area=area, title=title, term_ends_on=TERM_ENDS
        )
        for area, title in zip(chosen, titles, strict=True)
    ]
    return seats, len(seats)


def _apply(selection: SelectionRound, seats: list[SelectionPost], excluded: set[str]) -> int:
    if selection.applications.exists():
        return 0
    r = rng("selection-applicants")
    seat_areas = {s.area.code for s in seats}
    pools = {
        PostTitle.COMMUNITY_SECRETARY: current_posts(PostTitle.COMMUNITY_DEPUTY, CLOSES_ON),
        PostTitle.COMMUNITY_DEPUTY: current_posts(PostTitle.COMMUNITY_WORKER, CLOSES_ON),
    }
    taken: set[int] = set()
    created = 0
    for seat in seats:
        pool = [
            p
            for p in pools[seat.title]
            if p.area.code not in excluded | seat_areas and p.person_id not in taken
        ]
        sample = r.sample(pool, APPLICANTS[seat.title])
        if seat.title == PostTitle.COMMUNITY_SECRETARY:
            # One deputy over the round's age limit applies too (and is screened out).
            older = [
                p
                for p in pool
                if p not in sample and full_years(p.person.birth_date, CLOSES_ON) > 45
            ]
            if older:
                sample[-1] = r.choice(older)
        for post in sample:
            taken.add(post.person_id)
            started = CLOSES_ON - timedelta(days=r.randint(400, 4000))
            record = created == 3  # one applicant declares a disciplinary record
            services.application_submit(
                by=None,
                post=seat,
                person=post.person,
                community_work_started_on=started,
                has_disciplinary_record=record,
                record_note=RECORD_NOTE if record else "",
                submitted_on=CLOSES_ON - timedelta(days=r.randint(1, 12)),
            )
            created += 1
    return created


def load_selection() -> int:
    selection, created = _round()
    if selection.status != RoundStatus.OPEN and created == 0:
        return 0
    hosts = host_codes()
    excluded = set(hosts) | {p.area.code for p in choose_secondees(hosts)}
    seats, n = _seats(selection, excluded)
    created += n
    created += _apply(selection, seats, excluded)
    services.round_screen(by=None, selection=selection)
    r = rng("selection-scores")
    for application in selection.applications.filter(status=ApplicationStatus.ELIGIBLE).order_by(
        "post__area__code", "person__name", "id"
    ):
        services.application_score(
            by=None,
            application=application,
            written=Decimal(r.randint(124, 186)) / 2,
            interview=Decimal(r.randint(1360, 1900)) / 20,
        )
    services.round_rank(by=None, selection=selection)
    services.round_publicize(by=None, selection=selection, starts_on=PUBLICITY_FROM)
    return created
