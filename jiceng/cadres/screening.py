"""The rules of a selection round, pure: which rules an applicant fails (every one, each as a
Chinese reason) and how scored applicants rank. No database access here."""

from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from jiceng.core.models import Education, PoliticalStatus

EDUCATION_ORDER = list(Education.values)


@dataclass(frozen=True)
class Rules:
    reference_date: date
    max_age: int | None = None
    min_education: str = ""
    min_party_years: int | None = None
    min_community_years: int | None = None
    require_clean_record: bool = False


@dataclass(frozen=True)
class Facts:
    birth_date: date | None
    education: str
    political_status: str
    party_joined_on: date | None
    community_work_started_on: date | None
    has_disciplinary_record: bool = False
    record_note: str = ""


def cn_date(d: date) -> str:
    return f"{d.year}年{d.month}月{d.day}日"


def full_years(start: date, on: date) -> int:
    """Whole years from ``start`` to ``on`` (an age: a birthday on ``on`` counts; someone
    born on 29 February has their birthday on 1 March in other years)."""
    years = on.year - start.year - ((on.month, on.day) < (start.month, start.day))
    return max(years, 0)


def screen(rules: Rules, facts: Facts) -> list[str]:
    """Every rule the applicant fails, in the order the round lists them; empty = eligible."""
    on = rules.reference_date
    when = cn_date(on)
    reasons: list[str] = []
    if rules.max_age is not None:
        if facts.birth_date is None:
            reasons.append("未登记出生日期，无法核验年龄条件")
        else:
            age = full_years(facts.birth_date, on)
            if age > rules.max_age:
                reasons.append(
                    f"年龄超过{rules.max_age}周岁：截至{when}已满{age}周岁"
                    f"（{cn_date(facts.birth_date)}出生）"
                )
    if rules.min_education:
        wanted = Education(rules.min_education).label
        if not facts.education:
            reasons.append(f"未登记学历，无法核验学历条件（要求{wanted}及以上）")
        elif EDUCATION_ORDER.index(facts.education) < EDUCATION_ORDER.index(rules.min_education):
            reasons.append(
                f"学历不符合要求：本人为{Education(facts.education).label}，要求{wanted}及以上"
            )
    if rules.min_party_years is not None:
        reasons += _party_reasons(rules.min_party_years, facts, on)
    if rules.min_community_years is not None:
        started = facts.community_work_started_on
        if started is None:
            reasons.append("未填写参加社区工作时间，无法核验社区工作年限")
        else:
            years = full_years(started, on)
            if years < rules.min_community_years:
                reasons.append(
                    f"社区工作年限不足{rules.min_community_years}年：截至{when}为{years}年"
                    f"（{cn_date(started)}参加社区工作）"
                )
    if rules.require_clean_record and facts.has_disciplinary_record:
        note = f"：{facts.record_note}" if facts.record_note else ""
        reasons.append(f"有党纪政务处分记录{note}")
    return reasons


def _party_reasons(minimum: int, facts: Facts, on: date) -> list[str]:
    status = facts.political_status
    if status not in (PoliticalStatus.MEMBER, PoliticalStatus.PROBATIONARY):
        label = PoliticalStatus(status).label if status else "未登记"
        return [f"非中共党员（政治面貌：{label}），不符合党龄要求"]
    if status == PoliticalStatus.PROBATIONARY:
        # 党龄 counts from the day a probationary member becomes a full member.
        return [f"系中共预备党员，党龄自转正之日起计算，不满{minimum}年"]
    if facts.party_joined_on is None:
        return ["未登记入党时间，无法核验党龄"]
    years = full_years(facts.party_joined_on, on)
    if years < minimum:
        return [
            f"党龄不足{minimum}年：截至{cn_date(on)}为{years}年"
            f"（{cn_date(facts.party_joined_on)}入党）"
        ]
    return []


# ---- scores and ranking --------------------------------------------------------------------

CENT = Decimal("0.01")


def weighted_total(
    written: Decimal, interview: Decimal, written_weight: Decimal, interview_weight: Decimal
) -> Decimal:
    total = Decimal(written) * written_weight + Decimal(interview) * interview_weight
    return total.quantize(CENT, rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class Entry:
    key: int
    total: Decimal
    interview: Decimal
    written: Decimal


def rank(entries: list[Entry]) -> dict[int, int]:
    """Key -> rank: by total, then the interview score, then the written score, highest
    first; entries equal on all three share a rank and the next rank is skipped (1, 2, 2, 4)."""
    ordered = sorted(entries, key=lambda e: (-e.total, -e.interview, -e.written, e.key))
    ranks: dict[int, int] = {}
    previous = None
    for position, entry in enumerate(ordered, start=1):
        sort_key = (entry.total, entry.interview, entry.written)
        if sort_key != previous:
            current = position
            previous = sort_key
        ranks[entry.key] = current
    return ranks
