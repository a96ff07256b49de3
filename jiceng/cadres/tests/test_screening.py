"""The selection rules, pure: every failed rule is a Chinese reason; ages and years are
counted on the round's reference date; ranking by weighted total with ties."""

from datetime import date
from decimal import Decimal

import pytest

from jiceng.cadres.screening import Entry, Facts, Rules, full_years, rank, screen, weighted_total
from jiceng.core.models import Education, PoliticalStatus

ON = date(2024, 5, 20)
RULES = Rules(
    reference_date=ON,
    max_age=45,
    min_education=Education.COLLEGE,
    min_party_years=3,
    min_community_years=3,
    require_clean_record=True,
)


def facts(**changes) -> Facts:
    values = {
        "birth_date": date(1985, 6, 1),
        "education": Education.BACHELOR,
        "political_status": PoliticalStatus.MEMBER,
        "party_joined_on": date(2010, 7, 1),
        "community_work_started_on": date(2015, 3, 1),
        "has_disciplinary_record": False,
        "record_note": "",
    }
    return Facts(**{**values, **changes})


def test_an_applicant_meeting_every_rule_has_no_reason():
    assert screen(RULES, facts()) == []


# ---- age: counted in full years on the reference date ------------------------------------


@pytest.mark.parametrize(
    ("born", "eligible"),
    [
        (date(1978, 5, 21), True),  # turns 46 the day after the reference date: still 45
        (date(1978, 5, 20), False),  # turns 46 on the reference date itself
        (date(1978, 5, 19), False),
        (date(1979, 5, 20), True),  # exactly 45
    ],
)
def test_age_limit_is_counted_on_the_reference_date(born, eligible):
    reasons = screen(RULES, facts(birth_date=born))
    assert (reasons == []) is eligible
    if not eligible:
        assert reasons == [
            f"年龄超过45周岁：截至2024年5月20日已满46周岁（{born.year}年{born.month}月{born.day}日出生）"
        ]


def test_someone_born_on_29_february_has_their_birthday_on_1_march_in_other_years():
    assert full_years(date(1980, 2, 29), date(2023, 2, 28)) == 42
    assert full_years(date(1980, 2, 29), date(2023, 3, 1)) == 43
    assert full_years(date(1980, 2, 29), date(2024, 2, 29)) == 44


def test_unknown_birth_date_is_a_reason_not_a_pass():
    assert screen(RULES, facts(birth_date=None)) == ["未登记出生日期，无法核验年龄条件"]


# ---- education ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("education", "eligible"),
    [
        (Education.COLLEGE, True),
        (Education.BACHELOR, True),
        (Education.DOCTOR, True),
        (Education.SENIOR, False),
        (Education.JUNIOR, False),
    ],
)
def test_minimum_education(education, eligible):
    reasons = screen(RULES, facts(education=education))
    assert (reasons == []) is eligible
    if not eligible:
        assert reasons == [f"学历不符合要求：本人为{Education(education).label}，要求大专及以上"]


def test_unknown_education_is_a_reason():
    assert screen(RULES, facts(education="")) == ["未登记学历，无法核验学历条件（要求大专及以上）"]


# ---- party membership ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("joined", "eligible"),
    [(date(2021, 5, 20), True), (date(2021, 5, 21), False)],
)
def test_party_years_boundary(joined, eligible):
    reasons = screen(RULES, facts(party_joined_on=joined))
    assert (reasons == []) is eligible
    if not eligible:
        assert reasons == ["党龄不足3年：截至2024年5月20日为2年（2021年5月21日入党）"]


@pytest.mark.parametrize(
    ("status", "reason"),
    [
        (PoliticalStatus.MASSES, "非中共党员（政治面貌：群众），不符合党龄要求"),
        (PoliticalStatus.LEAGUE, "非中共党员（政治面貌：共青团员），不符合党龄要求"),
        (PoliticalStatus.PROBATIONARY, "系中共预备党员，党龄自转正之日起计算，不满3年"),
    ],
)
def test_non_members_and_probationary_members_fail_the_party_rule(status, reason):
    joined = None if status != PoliticalStatus.PROBATIONARY else date(2023, 12, 1)
    assert screen(RULES, facts(political_status=status, party_joined_on=joined)) == [reason]


def test_member_without_joining_date_cannot_be_checked():
    assert screen(RULES, facts(party_joined_on=None)) == ["未登记入党时间，无法核验党龄"]


# ---- community work and record ------------------------------------------------------------


@pytest.mark.parametrize(
    ("started", "eligible"),
    [(date(2021, 5, 20), True), (date(2021, 5, 21), False), (None, False)],
)
def test_community_years_boundary(started, eligible):
    reasons = screen(RULES, facts(community_work_started_on=started))
    assert (reasons == []) is eligible
    if started and not eligible:
        assert reasons == [
            "社区工作年限不足3年：截至2024年5月20日为2年（2021年5月21日参加社区工作）"
        ]
    if started is None:
        assert reasons == ["未填写参加社区工作时间，无法核验社区工作年限"]


def test_disciplinary_record_fails_with_its_note():
    reasons = screen(RULES, facts(has_disciplinary_record=True, record_note="2022年党内警告"))
    assert reasons == ["有党纪政务处分记录：2022年党内警告"]


def test_a_record_is_no_reason_when_the_round_does_not_ask():
    rules = Rules(reference_date=ON, require_clean_record=False)
    assert screen(rules, facts(has_disciplinary_record=True)) == []


def test_rules_left_unset_are_not_checked():
    assert screen(Rules(reference_date=ON), facts(birth_date=date(1950, 1, 1))) == []


def test_an_applicant_failing_several_rules_gets_every_reason_in_rule_order():
    reasons = screen(
        RULES,
        facts(
            birth_date=date(1970, 1, 1),
            education=Education.SENIOR,
            political_status=PoliticalStatus.MASSES,
            party_joined_on=None,
            community_work_started_on=date(2023, 1, 1),
            has_disciplinary_record=True,
        ),
    )
    assert len(reasons) == 5
    assert reasons[0].startswith("年龄超过45周岁：截至2024年5月20日已满54周岁")
    assert reasons[1].startswith("学历不符合要求")
    assert reasons[2].startswith("非中共党员")
    assert reasons[3].startswith("社区工作年限不足3年：截至2024年5月20日为1年")
    assert reasons[4] == "有党纪政务处分记录"


# ---- scores and ranking -------------------------------------------------------------------


def test_weighted_total_rounds_half_up_to_cents():
    assert weighted_total(Decimal("80"), Decimal("90"), Decimal("0.4"), Decimal("0.6")) == Decimal(
        "86.00"
    )
    assert weighted_total(
        Decimal("80.25"), Decimal("90.5"), Decimal("0.35"), Decimal("0.65")
    ) == Decimal("86.91")


def test_weights_decide_the_order():
    written_strong = (Decimal("95"), Decimal("80"))
    interview_strong = (Decimal("80"), Decimal("92"))

    def order(ww, iw):
        entries = [
            Entry(k, weighted_total(w, i, ww, iw), i, w)
            for k, (w, i) in enumerate([written_strong, interview_strong], start=1)
        ]
        ranks = rank(entries)
        return sorted(ranks, key=ranks.get)

    assert order(Decimal("0.7"), Decimal("0.3")) == [1, 2]
    assert order(Decimal("0.3"), Decimal("0.7")) == [2, 1]


def test_ties_on_total_are_broken_by_interview_then_written():
    entries = [
        Entry(1, Decimal("85"), Decimal("85"), Decimal("85")),
        Entry(2, Decimal("85"), Decimal("88"), Decimal("80.5")),
        Entry(3, Decimal("90"), Decimal("90"), Decimal("90")),
    ]
    assert rank(entries) == {3: 1, 2: 2, 1: 3}


def test_entries_equal_on_everything_share_a_rank_and_the_next_is_skipped():
    same = (Decimal("85"), Decimal("85"), Decimal("85"))
    entries = [
        Entry(1, Decimal("90"), Decimal("90"), Decimal("90")),
        Entry(2, *same),
        Entry(3, *same),
        Entry(4, Decimal("70"), Decimal("70"), Decimal("70")),
    ]
    assert rank(entries) == {1: 1, 2: 2, 3: 2, 4: 4}
