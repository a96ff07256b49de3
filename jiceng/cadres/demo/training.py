"""Demo training of the first half of 2024: the district's 经纬雁阵 course for community
secretaries and deputies, the fortnightly training of first secretaries and village
secretaries, and 杆石桥街道's course for its grid stewards; attendance drawn with the seed
(mostly present, some on leave, a few absent).

The sign-up lists take whoever holds the audience's posts on the reference date, so the
fortnightly course also enrols the first secretaries that the rural part posts (it runs
before this part, at a lower order)."""

from datetime import date, timedelta
from decimal import Decimal

from jiceng.core.models import Area, AreaKind, Post, PostTitle

from ..models import (
    Attendance,
    AttendanceStatus,
    Audience,
    Enrolment,
    TrainingProgramme,
    TrainingSession,
)
from .common import DEMO_STREET, REFERENCE_DATE, district, rng

LEADERS_COURSE = "2024年“经纬雁阵”社区书记能力提升培训班"
LEADERS_SESSIONS = (
    (date(2024, 3, 15), "党建引领基层治理专题辅导", "区委党校报告厅", "区委党校 刘教授", "3.0"),
    (
        date(2024, 3, 29),
        "“红色物业”建设实务",
        "杆石桥街道党群服务中心",
        "乐山小区社区党委书记",
        "3.0",
    ),
    (date(2024, 4, 19), "网格化治理与诉求办理", "区委党校报告厅", "区委社会工作部", "3.5"),
    (date(2024, 5, 17), "社区协商议事方法", "舜耕街道舜华社区", "舜华社区党委书记", "3.0"),
    (date(2024, 6, 7), "社区党建品牌提炼与打造", "区委党校报告厅", "市委党校 王副教授", "3.0"),
    (date(2024, 6, 21), "群众工作方法与舆情应对", "区委党校报告厅", "区委宣传部", "2.5"),
)
FIRST_SECRETARY_COURSE = "2024年第一书记业务技能集中培训（每两周一次）"
FIRST_SECRETARY_TOPICS = (
    "乡村振兴政策解读",
    "村集体经济“五种模式”案例",
    "农村土地流转实务",
    "“跨村联建”经验交流",
    "项目谋划与路演",
    "村级财务规范管理",
    "农村矛盾纠纷化解",
)
GRID_COURSE = "杆石桥街道网格管家业务培训"
GRID_SESSIONS = (
    (date(2024, 4, 10), "网格管家职责与走访规范", "杆石桥街道党群服务中心", "街道平安办", "2.0"),
    (date(2024, 5, 8), "诉求受理、派单与回访", "杆石桥街道党群服务中心", "春元里社区总管家", "2.0"),
    (date(2024, 6, 12), "安全隐患排查与应急处置", "杆石桥街道党群服务中心", "区应急管理局", "2.0"),
)


def _fortnightly() -> list[tuple]:
    first = date(2024, 1, 12)
    sessions = []
    n = 0
    while (day := first + timedelta(days=14 * n)) <= REFERENCE_DATE:
        topic = FIRST_SECRETARY_TOPICS[n % len(FIRST_SECRETARY_TOPICS)]
        sessions.append((day, f"第{n + 1}期：{topic}", "区委党校第二教室", "区委农办", "2.0"))
        n += 1
    return sessions


def _programme(
    name, area, organizer, audience, closes, description
) -> tuple[TrainingProgramme, int]:
    programme, new = TrainingProgramme.objects.get_or_create(
        area=area,
        name=name,
        defaults={
            "year": 2024,
            "organizer": organizer,
            "audience": audience,
            "signup_closes_on": closes,
            "description": description,
        },
    )
    return programme, int(new)


def _sessions(programme: TrainingProgramme, plan) -> tuple[list[TrainingSession], int]:
    present = {(s.held_on, s.topic): s for s in programme.sessions.all()}
    new = [
        TrainingSession(
            programme=programme, held_on=d, topic=t, place=p, trainer=tr, hours=Decimal(h)
        )
        for d, t, p, tr, h in plan
        if (d, t) not in present
    ]
    TrainingSession.objects.bulk_create(new)
    return list(programme.sessions.order_by("held_on", "id")), len(new)


def _enrol(programme: TrainingProgramme, posts, enrolled_on: date) -> tuple[list[Enrolment], int]:
    present = set(programme.enrolments.values_list("person_id", flat=True))
    new, seen = [], set(present)
    for post in posts:
        if post.person_id in seen:
            continue
        seen.add(post.person_id)
        new.append(
            Enrolment(
                programme=programme,
                person=post.person,
                area_id=post.person.area_id,
                enrolled_on=enrolled_on,
            )
        )
    Enrolment.objects.bulk_create(new)
    return list(programme.enrolments.select_related("person").order_by("id")), len(new)


def _attend(sessions, enrolments) -> int:
    present = set(
        Attendance.objects.filter(session__in=sessions).values_list("session_id", "enrolment_id")
    )
    rows = []
    for session in sessions:
        for enrolment in enrolments:
            if (session.pk, enrolment.pk) in present:
                continue
            r = rng(
                "attendance",
                session.programme.name,
                session.held_on,
                enrolment.person.name,
                enrolment.area_id,
            )
            roll = r.random()
            status = (
                AttendanceStatus.ATTENDED
                if roll < 0.9
                else AttendanceStatus.LEAVE
                if roll < 0.96
                else AttendanceStatus.ABSENT
            )
            rows.append(Attendance(session=session, enrolment=enrolment, status=status))
    Attendance.objects.bulk_create(rows, batch_size=1000)
    return len(rows)


def _holders(titles, under: str = "") -> list[Post]:
    qs = Post.objects.current(REFERENCE_DATE).filter(title__in=titles)
    if under:
        qs = qs.filter(area__code__startswith=under)
    return list(qs.select_related("person").order_by("area__code", "title", "person__name", "id"))


def load_training() -> int:
    created = 0
    plans = (
        (
            (
                LEADERS_COURSE,
                district(),
                "区委组织部",
                Audience.COMMUNITY_LEADERS,
                date(2024, 3, 8),
                "“经纬雁阵”系列计划的头雁培训：党建引领、红色物业、网格治理、协商议事。",
            ),
            LEADERS_SESSIONS,
            _holders([PostTitle.COMMUNITY_SECRETARY, PostTitle.COMMUNITY_DEPUTY]),
            date(2024, 3, 6),
        ),
        (
            (
                FIRST_SECRETARY_COURSE,
                district(),
                "区委组织部、区委农办",
                Audience.VILLAGE_CADRES,
                date(2024, 1, 10),
                "育强用好第一书记：每两周一次业务技能集中培训，村党组织书记一同参训。",
            ),
            _fortnightly(),
            _holders([PostTitle.FIRST_SECRETARY, PostTitle.VILLAGE_SECRETARY]),
            date(2024, 1, 8),
        ),
        (
            (
                GRID_COURSE,
                Area.objects.get(code=DEMO_STREET, kind=AreaKind.STREET),
                "杆石桥街道党工委",
                Audience.GRID_STEWARDS,
                date(2024, 4, 5),
                "“总管家—网格管家—共享管家”架构下网格管家的业务能力培训。",
            ),
            GRID_SESSIONS,
            _holders([PostTitle.GRID_STEWARD], under=DEMO_STREET),
            date(2024, 4, 3),
        ),
    )
    for programme_args, session_plan, holders, enrolled_on in plans:
        programme, n = _programme(*programme_args)
        created += n
        sessions, n = _sessions(programme, session_plan)
        created += n
        enrolments, n = _enrol(programme, holders, enrolled_on)
        created += n
        created += _attend(sessions, enrolments)
    return created
