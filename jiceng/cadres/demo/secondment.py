"""Demo secondment: 2024年度第一批区内挂职交流, 8 community secretaries and deputies, each
hosted by an excellent secretary who mentors them, with task lists and study plans in
progress on the reference date (30 June 2024) and the mid-term review done."""

from datetime import date, timedelta
from decimal import Decimal

from jiceng.core.models import PostTitle, User

from ..models import (
    MentorTask,
    MentorTaskKind,
    ReviewStage,
    Secondee,
    SecondmentBatch,
    SecondmentReview,
    StudyItem,
    WorkStatus,
)
from ..services.secondment import batch_name
from .common import (
    BATCH_ENDS,
    BATCH_STARTS,
    DEMO_COMMUNITY,
    REFERENCE_DATE,
    current_posts,
    district,
    host_codes,
    rng,
)

PLAN_DOCUMENT = "关于开展2024年度城市社区党组织书记及专职副书记区内挂职交流的工作方案"
SECONDEES = 8
MIDTERM_ON = date(2024, 6, 14)

FOCUS = (
    "跟班学习“红色物业 金牌管家”服务模式，提升诉求办理和群众工作能力",
    "学习网格化治理和“进院、进楼、进户”走访机制",
    "学习协商议事和居民自治经验，补齐社区议事短板",
    "学习社区党建品牌打造和两新组织党建工作",
)

# (kind, title, description, due date): drawn from the host community's strengths.
MENTOR_TASKS = (
    (
        MentorTaskKind.TASK,
        "跟班总管家参与“红色物业 金牌管家”日常运行",
        "全程参与诉求受理、派单、办理和回访各环节",
        date(2024, 4, 12),
    ),
    (
        MentorTaskKind.TASK,
        "随网格管家开展“进院、进楼、进户”走访",
        "每月不少于 2 次，形成走访台账",
        date(2024, 5, 17),
    ),
    (
        MentorTaskKind.PROJECT,
        "协助推进老旧小区加装电梯协商议事项目",
        "参与方案征询、协商会议和施工协调",
        date(2024, 6, 21),
    ),
    (
        MentorTaskKind.TASK,
        "牵头组织一次居民议事协商会",
        "从议题征集到结果公示全流程主持",
        date(2024, 7, 19),
    ),
    (
        MentorTaskKind.PROJECT,
        "参与社区党建品牌提炼和阵地提升",
        "结合“一街一品”行动，撰写品牌案例",
        date(2024, 8, 23),
    ),
)
EVIDENCE = (
    "跟班记录 12 次，参与办理诉求 27 件，回访满意率 100%",
    "走访台账 2 册，收集问题 18 条，已办结 15 条",
    "协商会议纪要 3 份，居民签字确认书 1 份",
)

# (title, the home community's weakness it addresses, due date)
STUDY_ITEMS = (
    ("梳理本社区物业服务短板，形成问题清单", "老旧小区无物业覆盖、服务响应慢", date(2024, 4, 26)),
    (
        "学习诉求分级办理流程，制定本社区改进方案",
        "群众诉求办理时限长、回访不到位",
        date(2024, 6, 7),
    ),
    ("撰写网格化治理调研报告", "网格员队伍力量薄弱、走访频次低", date(2024, 7, 26)),
    ("挂职期满形成挂职工作总结并在本社区推广", "", date(2024, 8, 30)),
)
REFLECTIONS = (
    "通过对照检查，找准了本社区物业管理“无人管、管不好”的症结，已形成 9 条问题清单。",
    "导师社区“接诉—派单—回访”闭环值得借鉴，回社区后拟推行诉求办理周例会制度。",
)
REVIEW_COMMENTS = (
    "挂职期间态度端正，主动担当，帮带任务推进有力。",
    "能够结合本社区实际学以致用，学习计划执行较好。",
    "深入网格一线，群众工作方法进步明显，建议加强项目统筹能力。",
)


def _status(due: date, r) -> tuple[str, date | None]:
    """Progress as of the reference date: what fell due is mostly done."""
    if due <= REFERENCE_DATE:
        if r.random() < 0.85:
            return WorkStatus.DONE, due - timedelta(days=r.randint(0, 6))
        return WorkStatus.IN_PROGRESS, None
    if due - REFERENCE_DATE < timedelta(days=40):
        return WorkStatus.IN_PROGRESS, None
    return (WorkStatus.IN_PROGRESS if r.random() < 0.4 else WorkStatus.PLANNED), None


def choose_secondees(hosts: list[str]) -> list:
    """The 春元里 chief steward's account first (so that login sees its own page), then
    secretaries and deputies of other communities, four of each in all."""
    secretaries = current_posts(PostTitle.COMMUNITY_SECRETARY, BATCH_STARTS)
    deputies = current_posts(PostTitle.COMMUNITY_DEPUTY, BATCH_STARTS)
    mentors = {p.person_id for p in secretaries if p.area.code in hosts}
    chief = User.objects.filter(username="chief_steward").values_list("person_id", flat=True)
    chief_id = chief[0] if chief else None
    first = next(
        (p for p in secretaries + deputies if p.person_id == chief_id),
        next(p for p in secretaries if p.area.code == DEMO_COMMUNITY),
    )
    chosen = [first]
    used_areas = {first.area.code, *hosts}
    r = rng("secondees")
    pools = {PostTitle.COMMUNITY_SECRETARY: secretaries, PostTitle.COMMUNITY_DEPUTY: deputies}
    wanted = {PostTitle.COMMUNITY_SECRETARY: 4, PostTitle.COMMUNITY_DEPUTY: 4}
    wanted[first.title] -= 1
    for title, count in wanted.items():
        pool = [
            p for p in pools[title] if p.area.code not in used_areas and p.person_id not in mentors
        ]
        for post in r.sample(pool, count):
            chosen.append(post)
            used_areas.add(post.area.code)
    return chosen


def load_secondment() -> int:
    batch, new = SecondmentBatch.objects.get_or_create(
        area=district(),
        year=2024,
        number=1,
        defaults={
            "name": batch_name(2024, 1),
            "plan_document": f"《{PLAN_DOCUMENT}》",
            "starts_on": BATCH_STARTS,
            "ends_on": BATCH_ENDS,
        },
    )
    created = int(new)
    hosts = host_codes()
    mentors = {
        p.area.code: p
        for p in current_posts(PostTitle.COMMUNITY_SECRETARY, BATCH_STARTS)
        if p.area.code in hosts
    }
    present = {s.person_id: s for s in batch.secondees.all()}
    for i, (home, host) in enumerate(zip(choose_secondees(hosts), hosts, strict=True)):
        secondee = present.get(home.person_id)
        if secondee is None:
            secondee = Secondee.objects.create(
                batch=batch,
                person=home.person,
                home_area=home.area,
                home_title=home.title,
                host_area=mentors[host].area,
                mentor=mentors[host].person,
                starts_on=BATCH_STARTS,
                ends_on=BATCH_ENDS,
                focus=FOCUS[i % len(FOCUS)],
            )
            created += 1
        created += _plans(secondee, i)
    return created


def _plans(secondee: Secondee, i: int) -> int:
    r = rng("secondee-plans", secondee.host_area.code, secondee.person.name)
    created = 0
    have = set(secondee.mentor_tasks.values_list("title", flat=True))
    tasks = [t for j, t in enumerate(MENTOR_TASKS) if j != (i % len(MENTOR_TASKS)) or i % 2]
    for n, (kind, title, description, due) in enumerate(tasks):
        if title in have:
            continue
        status, completed = _status(due, r)
        MentorTask.objects.create(
            secondee=secondee,
            kind=kind,
            title=title,
            description=description,
            due_on=due,
            status=status,
            completed_on=completed,
            evidence=EVIDENCE[n % len(EVIDENCE)] if status == WorkStatus.DONE else "",
        )
        created += 1
    have = set(secondee.study_items.values_list("title", flat=True))
    for n, (title, gap, due) in enumerate(STUDY_ITEMS):
        if title in have:
            continue
        status, completed = _status(due, r)
        StudyItem.objects.create(
            secondee=secondee,
            title=title,
            gap=gap,
            due_on=due,
            status=status,
            completed_on=completed,
            reflection=REFLECTIONS[n % len(REFLECTIONS)] if status == WorkStatus.DONE else "",
        )
        created += 1
    if not secondee.reviews.filter(stage=ReviewStage.MIDTERM).exists():
        SecondmentReview.objects.create(
            secondee=secondee,
            stage=ReviewStage.MIDTERM,
            reviewed_on=MIDTERM_ON,
            score=Decimal(r.randint(172, 190)) / 2,
            comment=REVIEW_COMMENTS[i % len(REVIEW_COMMENTS)],
        )
        created += 1
    return created
