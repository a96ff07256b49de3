"""The appeals' demo part: categories, SLA policies and twelve months of appeals.

Twelve months up to the demo's reference date, for every community and village, each
unit drawing from its own generator (seeded with its code). Outcomes follow what a working
district sees: most solved in time, some partly solved or returned, some late and
escalated, a few reopened after a 不满意. 春元里社区 gets exactly ``CHUNYUANLI_SOLVED``
appeals solved since the steward model started (the article's 1,053), counted from the
rows by the ``appeals_resolved`` indicator. Rows are written in bulk, keyed by their
tracking codes, so a second run creates nothing. After the history comes a fixed set of
open appeals anchored at the load time, so the queues have work today (``demo_live``).
"""

import calendar
import random
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.utils import timezone

from jiceng.core.demo.common import BATCH_SIZE, REFERENCE_DATE, SEED, bulk_create_missing, existing
from jiceng.core.demo.names import surname
from jiceng.core.demo.people import DEMO_COMMUNITY, MOBILE_PREFIXES, STEWARDS_FROM
from jiceng.core.models import Area, AreaKind, Post, PostTitle

from . import sla
from .demo_live import anchor_now, plan_live, save_live
from .models import (
    CODE_ALPHABET,
    CODE_LENGTH,
    Appeal,
    AppealEvent,
    Category,
    Channel,
    Escalation,
    Kind,
    Rating,
    Result,
    Rung,
    SlaPolicy,
    SlaUnit,
    Status,
    Urgency,
)
from .stats.maintain import rollups_rebuild

CHUNYUANLI_SOLVED = 1053
MONTHS = 12
PERIOD_END = REFERENCE_DATE
PERIOD_START = date(2023, 7, 1)  # the twelve months that end on the reference date
assert PERIOD_START >= STEWARDS_FROM

# Category tree: first level, then (leaf, urgency weight, description templates).
# "{place}" is the compound and building, "{road}" the compound's road or name.
CATEGORIES = {
    "物业管理": [
        (
            "电梯故障",
            [
                "{place}电梯经常停运，老人上下楼很困难，请尽快维修。",
                "{place}电梯按键失灵，困人两次了，希望物业检修。",
            ],
        ),
        (
            "楼道照明",
            [
                "{place}楼道声控灯坏了一个多月，晚上上下楼看不见。",
                "{place}单元门口的灯不亮，夜里回家不安全。",
            ],
        ),
        (
            "冬季供暖",
            [
                "{place}暖气不热，室温只有十四五度，家里有老人孩子。",
                "{place}暖气管道漏水，楼下邻居家天花板湿了。",
            ],
        ),
        (
            "物业服务",
            [
                "{place}物业长期不打扫楼道，垃圾堆在门口没人管。",
                "{place}门禁坏了半个月，陌生人随便进出。",
            ],
        ),
    ],
    "环境卫生": [
        (
            "垃圾清运",
            [
                "{road}垃圾桶满了好几天没人清运，气味很大。",
                "{place}附近建筑垃圾乱堆，希望尽快清理。",
            ],
        ),
        (
            "楼道堆物",
            [
                "{place}楼道里堆满杂物和纸箱，存在消防隐患。",
                "{place}有住户在楼道里养鸽子，卫生很差。",
            ],
        ),
        (
            "绿化养护",
            ["{road}小区树木枝杈伸进窗户，希望修剪。", "{road}绿地被人占用种菜，请社区协调。"],
        ),
    ],
    "市政设施": [
        (
            "道路破损",
            [
                "{road}路面坑洼，下雨天积水，电动车容易滑倒。",
                "{road}人行道砖松动翘起，老人走路绊倒过。",
            ],
        ),
        (
            "下水管道",
            ["{place}下水道堵塞，污水返到一楼院子里。", "{road}雨水井盖破损，晚上很危险。"],
        ),
        ("路灯照明", ["{road}路灯不亮好几盏，晚上一片漆黑。"]),
    ],
    "邻里纠纷": [
        (
            "噪音扰民",
            [
                "{place}楼上装修每天早上七点就开始砸墙，周末也不停。",
                "{road}附近广场舞音响声音太大，影响休息。",
            ],
        ),
        ("漏水纠纷", ["{place}楼上卫生间漏水，协商多次无果，请社区调解。"]),
        ("停车纠纷", ["{road}小区车位被外来车辆长期占用，业主停不进去。"]),
    ],
    "民生服务": [
        (
            "社保医保",
            [
                "想咨询灵活就业人员的医保怎么缴纳，在{road}住。",
                "老人的养老金资格认证怎么办理？家住{place}。",
            ],
        ),
        (
            "养老服务",
            [
                "{place}独居老人行动不便，希望社区帮忙联系助餐服务。",
                "家里老人需要上门护理，想了解社区有什么政策。",
            ],
        ),
        ("就业帮扶", ["失业半年了，想问社区有没有公益岗位或技能培训。"]),
    ],
    "安全隐患": [
        (
            "飞线充电",
            [
                "{place}有人从楼上拉线给电动车充电，很危险。",
                "{place}电动车推进楼道充电，担心起火。",
            ],
        ),
        ("消防通道", ["{road}消防通道被私家车堵死，出了事消防车进不来。"]),
    ],
}
REPLIES = {
    Result.SOLVED: [
        "网格管家已现场查看并联系相关单位处理完毕，已向您电话反馈。",
        "已协调物业公司维修完成，网格管家回访确认恢复正常。",
        "经社区调解，双方已达成一致，问题已解决。",
    ],
    Result.PARTLY: ["已做临时处置，彻底整改需纳入明年维修计划，社区将持续跟进。"],
    Result.UNSOLVED: ["涉及产权单位，经多次协调暂未解决，已上报街道协调。"],
}
KIND_WEIGHTS = [
    (Kind.HELP, 40),
    (Kind.COMPLAINT, 25),
    (Kind.CONSULT, 15),
    (Kind.SUGGESTION, 12),
    (Kind.REPORT, 8),
]
CHANNEL_WEIGHTS = [
    (Channel.PHONE, 25),
    (Channel.WECHAT, 30),
    (Channel.WINDOW, 15),
    (Channel.VISIT, 12),
    (Channel.HOTLINE, 12),
    (Channel.RIDER, 6),
]


def _pick(rng: random.Random, weighted):
    return rng.choices([v for v, _ in weighted], [w for _, w in weighted])[0]


def _categories() -> tuple[int, dict[str, Category]]:
    """The tree, created once; returns (rows created, leaf name -> category)."""
    created = 0
    leaves = {}
    for i, (top, children) in enumerate(CATEGORIES.items(), start=1):
        parent, made = Category.objects.get_or_create(path=f"{i:03d}", defaults={"name": top})
        created += made
        for j, (leaf, _) in enumerate(children, start=1):
            row, made = Category.objects.get_or_create(
                path=f"{i:03d}{j:03d}", defaults={"name": leaf, "parent": parent}
            )
            created += made
            leaves[leaf] = row
    return created, leaves


def _policies(leaves: dict[str, Category]) -> int:
    specs = [
        (None, Urgency.NORMAL, SlaUnit.WORKDAYS, 1, 5),
        (None, Urgency.URGENT, SlaUnit.HOURS, 2, 24),
        (None, Urgency.CRITICAL, SlaUnit.HOURS, 1, 8),
        (leaves["冬季供暖"], Urgency.NORMAL, SlaUnit.HOURS, 4, 48),
        (leaves["电梯故障"], Urgency.NORMAL, SlaUnit.HOURS, 2, 48),
        (leaves["社保医保"], Urgency.NORMAL, SlaUnit.WORKDAYS, 1, 3),
    ]
    created = 0
    for category, urgency, unit, response, resolve in specs:
        _, made = SlaPolicy.objects.get_or_create(
            category=category,
            urgency=urgency,
            defaults={"unit": unit, "response_limit": response, "resolve_limit": resolve},
        )
        created += made
    return created


@dataclass
class Unit:
    area: Area
    grids: list[Area]
    compounds: dict[str, list[str]]  # grid code -> compound names
    stewards: dict[str, int]  # grid code -> person id
    chief: int | None


def _units() -> list[Unit]:
    units = {
        a.code: Unit(a, [], {}, {}, None)
        for a in Area.objects.filter(kind__in=[AreaKind.COMMUNITY, AreaKind.VILLAGE])
    }
    for grid in Area.objects.filter(kind=AreaKind.GRID).order_by("code"):
        if grid.code[:12] in units:
            units[grid.code[:12]].grids.append(grid)
    for code, name in Area.objects.filter(kind=AreaKind.COMPOUND).values_list("code", "name"):
        unit = units.get(code[:12])
        if unit is not None:
            unit.compounds.setdefault(code[:15], []).append(name)
    posts = (
        Post.objects.filter(
            title__in=[PostTitle.GRID_STEWARD, PostTitle.CHIEF_STEWARD], area__isnull=False
        )
        .order_by("starts_on", "id")
        .values_list("title", "area__code", "person_id")
    )
    for title, code, person_id in posts:
        unit = units.get(code[:12])
        if unit is None:
            continue
        if title == PostTitle.CHIEF_STEWARD:
            unit.chief = unit.chief or person_id
        else:
            unit.stewards.setdefault(code, person_id)
    return [u for _, u in sorted(units.items()) if u.grids]


def _code(rng: random.Random) -> str:
    return "".join(rng.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


def _at(d: date, rng: random.Random) -> datetime:
    t = time(rng.randint(7, 20), rng.randint(0, 59), rng.randint(0, 59))
    return timezone.make_aware(datetime.combine(d, t))


def _outcomes(rng: random.Random, count: int, solved: int | None) -> list[str]:
    """One outcome per appeal: solved, partly, unsolved, rejected. With ``solved`` given,
    exactly that many are solved."""
    if solved is None:
        return [
            _pick(rng, [("solved", 86), ("partly", 6), ("unsolved", 3), ("rejected", 5)])
            for _ in range(count)
        ]
    others = [
        _pick(rng, [("partly", 45), ("unsolved", 20), ("rejected", 35)])
        for _ in range(count - solved)
    ]
    out = ["solved"] * solved + others
    rng.shuffle(out)
    return out


@dataclass
class Plan:
    appeals: list[Appeal]
    events: dict[str, list[AppealEvent]]
    escalations: dict[str, list[Escalation]]


def _ev(code_events, at, action, frm, to, actor, note="", data=None, public=True):
    code_events.append(
        AppealEvent(
            at=at,
            actor_name=actor,
            action=action,
            from_status=frm,
            to_status=to,
            note=note,
            data=data or {},
            public=public,
        )
    )


def _unit_plan(unit: Unit, leaves, policies, plan: Plan, codes: set[str], *, now: datetime) -> None:
    """The article's twelve months of the unit, then every month since, up to ``now``."""
    rng = random.Random(f"{SEED}:appeals:{unit.area.code}")
    is_village = unit.area.kind == AreaKind.VILLAGE
    if unit.area.code == DEMO_COMMUNITY:
        count = CHUNYUANLI_SOLVED + 140
        solved = CHUNYUANLI_SOLVED
    else:
        per_month = rng.randint(1, 4) if is_village else rng.randint(3, 10)
        count = per_month * MONTHS
        solved = None
    outcomes = _outcomes(rng, count, solved)
    # The target unit's appeals all start a week before the year ends, so that each one it
    # counts as solved is contacted and solved within the year.
    days = (PERIOD_END - PERIOD_START).days + 1 - (7 if solved is not None else 0)
    dates = sorted(PERIOD_START + timedelta(days=rng.randrange(days)) for _ in range(count))
    _appeals_of(unit, leaves, policies, plan, codes, rng, dates, outcomes, solved, now=now)
    # Since the article: each month drawn from its own generator, so a month's appeals are
    # the same rows whenever the demo is loaded; the running month stops at ``now``.
    month = PERIOD_END + timedelta(days=1)
    today = timezone.localdate(now)
    while month <= today:
        rng = random.Random(f"{SEED}:appeals:{unit.area.code}:{month:%Y-%m}")
        if unit.area.code == DEMO_COMMUNITY:
            count = rng.randint(40, 60)
        else:
            count = rng.randint(1, 2) if is_village else rng.randint(2, 6)
        outcomes = _outcomes(rng, count, None)
        length = calendar.monthrange(month.year, month.month)[1]
        dates = sorted(month + timedelta(days=rng.randrange(length)) for _ in range(count))
        # Dates are sorted: dropping the days after today leaves the earlier draws alone.
        kept = [(d, o) for d, o in zip(dates, outcomes, strict=True) if d <= today]
        _appeals_of(
            unit,
            leaves,
            policies,
            plan,
            codes,
            rng,
            [d for d, _ in kept],
            [o for _, o in kept],
            None,
            now=now,
        )
        month = (month + timedelta(days=length)).replace(day=1)


def _as_of(a: Appeal, ev: list[AppealEvent], esc: list[Escalation], now: datetime) -> None:
    """Cut an appeal's story at ``now``: what has not happened yet is dropped, and the
    appeal is in the state its remaining events leave it in (open work of this week, or
    closed history). Fields follow the last event of their kind that is kept."""
    ev[:] = [e for e in ev if e.at <= now]
    esc[:] = [x for x in esc if x.at <= now]
    a.status = ev[-1].to_status
    kept = {e.action: e for e in ev}  # the last event of each action
    if "contact" not in kept:
        a.contacted_at = None
    if resolve := kept.get("resolve"):
        a.resolved_at, a.result = resolve.at, resolve.data.get("result", a.result)
    else:
        a.resolved_at, a.result, a.explanation = None, "", ""
    if rate := kept.get("rate"):
        a.rated_at, a.rating = rate.at, rate.data.get("rating", a.rating)
    elif "close" not in kept:
        a.rated_at, a.rating = None, ""
    if a.status not in (Status.CLOSED, Status.REJECTED):
        a.closed_at = None
    a.escalation_level = len(esc)
    a.supervised = any(x.rung == Rung.STREET for x in esc)
    if "reopen" not in kept:
        a.reopen_count, a.priority = 0, False


def _appeals_of(
    unit: Unit,
    leaves,
    policies,
    plan: Plan,
    codes: set[str],
    rng: random.Random,
    dates: list[date],
    outcomes: list[str],
    solved: int | None,
    *,
    now: datetime,
) -> None:
    is_village = unit.area.kind == AreaKind.VILLAGE
    leaf_rows = [(cat, texts) for children in CATEGORIES.values() for cat, texts in children]
    for d, outcome in zip(dates, outcomes, strict=True):
        grid = rng.choice(unit.grids)
        steward = unit.stewards.get(grid.code) or unit.chief
        if steward is None:
            continue
        code = _code(rng)
        while code in codes:
            code = _code(rng)
        codes.add(code)
        leaf, texts = rng.choice(leaf_rows)
        category = leaves[leaf]
        compounds = unit.compounds.get(grid.code) or [grid.name]
        compound = rng.choice(compounds)
        building = "" if is_village else f"{rng.randint(1, 12)}号楼"
        place = f"{compound}{building}"
        text = rng.choice(texts).format(place=place, road=compound)
        urgency = _pick(rng, [(Urgency.NORMAL, 85), (Urgency.URGENT, 12), (Urgency.CRITICAL, 3)])
        policy = policies.get((category.pk, urgency)) or policies[(None, urgency)]
        submitted = _at(d, rng)
        due = sla.deadlines(policy, submitted)
        channel = _pick(rng, CHANNEL_WEIGHTS)
        anonymous = rng.random() < 0.08
        a = Appeal(
            code=code,
            kind=_pick(rng, KIND_WEIGHTS),
            channel=channel,
            category=category,
            urgency=urgency,
            title=text[:24],
            description=text,
            address=place,
            address_normalized=place,
            area=grid,
            grid=grid,
            routing_method="building" if building else "compound",
            routing_confidence=0.98 if building else 0.95,
            resident_name="" if anonymous else surname(rng) + rng.choice(["先生", "女士"]),
            phone="" if anonymous else rng.choice(MOBILE_PREFIXES) + f"{rng.randrange(10**8):08d}",
            anonymous=anonymous,
            owner_id=steward,
            submitted_at=submitted,
            sla_policy=policy,
            **due,
        )
        ev: list[AppealEvent] = []
        esc: list[Escalation] = []
        _ev(
            ev,
            submitted,
            "submit",
            "",
            Status.SUBMITTED,
            "诉求人",
            f"经{Channel(channel).label}提交",
        )
        _ev(ev, submitted, "dispatch", Status.SUBMITTED, Status.DISPATCHED, "系统", "自动派单")
        late = rng.random() < 0.08
        limit = (due["resolve_due_at"] - submitted).total_seconds()
        accepted = submitted + timedelta(minutes=rng.randint(5, 90))
        _ev(ev, accepted, "accept", Status.DISPATCHED, Status.ACCEPTED, "网格管家", "已接单")
        if outcome == "rejected":
            a.status, a.reject_reason = (
                Status.REJECTED,
                "不属于社区职责，已告知诉求人向有关部门反映",
            )
            a.closed_at = accepted + timedelta(hours=1)
            _ev(
                ev,
                a.closed_at,
                "reject",
                Status.ACCEPTED,
                Status.REJECTED,
                "网格管家",
                f"退回：{a.reject_reason}",
            )
            if submitted > now:
                continue
            if a.closed_at > now:
                a.reject_reason = ""
                _as_of(a, ev, [], now)
            plan.appeals.append(a)
            plan.events[code] = ev
            continue
        response_limit = (due["response_due_at"] - submitted).total_seconds()
        contacted = submitted + timedelta(seconds=response_limit * rng.uniform(0.05, 0.9))
        a.contacted_at = contacted
        _ev(
            ev,
            contacted,
            "contact",
            Status.ACCEPTED,
            Status.IN_PROGRESS,
            "网格管家",
            "已联系诉求人，正在办理",
        )
        share = rng.uniform(1.05, 1.8) if late else rng.uniform(0.1, 0.95)
        resolved = submitted + timedelta(seconds=limit * share)
        if late:
            chief_at = due["resolve_due_at"] + timedelta(minutes=1)
            esc.append(
                Escalation(
                    rung=Rung.CHIEF,
                    reason="超过办结时限",
                    to_person_id=unit.chief,
                    to_area=unit.area,
                    at=chief_at,
                )
            )
            _ev(
                ev,
                chief_at,
                "escalate",
                Status.IN_PROGRESS,
                Status.IN_PROGRESS,
                "系统",
                "升级至总管家：超过办结时限",
                {"rung": 1},
            )
            a.escalation_level = 1
            if resolved > due["supervise_at"]:
                sup_at = due["supervise_at"] + timedelta(minutes=1)
                esc.append(
                    Escalation(
                        rung=Rung.STREET,
                        reason="超时未办结，街道督办",
                        to_area_id=unit.area.parent_id,
                        at=sup_at,
                    )
                )
                _ev(
                    ev,
                    sup_at,
                    "escalate",
                    Status.IN_PROGRESS,
                    Status.IN_PROGRESS,
                    "系统",
                    "升级至街道督办",
                    {"rung": 2},
                )
                a.escalation_level, a.supervised = 2, True
        if solved is not None:
            # The target unit's solved count is exact: each solved appeal ends in the year.
            end = timezone.make_aware(datetime.combine(PERIOD_END, time(23, 30)))
            resolved = min(resolved, max(end, contacted + timedelta(minutes=10)))
        result = {"solved": Result.SOLVED, "partly": Result.PARTLY, "unsolved": Result.UNSOLVED}[
            outcome
        ]
        if outcome == "solved" and rng.random() < 0.04:
            # Solved at the second attempt: the first answer left the resident unsatisfied.
            first = resolved - timedelta(seconds=limit * 0.05)
            _ev(
                ev,
                first,
                "resolve",
                Status.IN_PROGRESS,
                Status.RESOLVED,
                "网格管家",
                "办结（解决）：已处理",
                {"result": Result.SOLVED},
            )
            _ev(
                ev,
                first + timedelta(minutes=30),
                "rate",
                Status.RESOLVED,
                Status.RATED,
                "诉求人",
                "诉求人评价：不满意",
                {"rating": Rating.UNSATISFIED},
            )
            _ev(
                ev,
                first + timedelta(minutes=30),
                "reopen",
                Status.RATED,
                Status.REOPENED,
                "系统",
                "诉求人不满意，重启办理（优先）",
            )
            _ev(
                ev,
                first + timedelta(minutes=40),
                "accept",
                Status.REOPENED,
                Status.ACCEPTED,
                "网格管家",
                "已接单",
            )
            _ev(
                ev,
                first + timedelta(minutes=50),
                "contact",
                Status.ACCEPTED,
                Status.IN_PROGRESS,
                "网格管家",
                "已再次联系诉求人",
            )
            a.reopen_count, a.priority = 1, True
            resolved += timedelta(hours=2)
        a.resolved_at = resolved
        a.result = result
        a.explanation = rng.choice(REPLIES[result])
        _ev(
            ev,
            resolved,
            "resolve",
            Status.IN_PROGRESS,
            Status.RESOLVED,
            "网格管家",
            f"办结（{Result(result).label}）：{a.explanation}",
            {"result": result},
        )
        rating = _pick(
            rng,
            [
                (Rating.SATISFIED, 78),
                (Rating.BASIC, 14),
                (Rating.UNSATISFIED, 2),
                (Rating.UNRATED, 6),
            ],
        )
        if result != Result.SOLVED and rating == Rating.SATISFIED:
            rating = Rating.BASIC
        a.rating = rating
        if rating == Rating.UNRATED:
            a.closed_at = resolved + timedelta(days=7)
            _ev(
                ev,
                a.closed_at,
                "close",
                Status.RESOLVED,
                Status.CLOSED,
                "系统",
                "超过评价期限，按未评价关闭",
            )
        else:
            a.rated_at = resolved + timedelta(hours=rng.randint(1, 48))
            _ev(
                ev,
                a.rated_at,
                "rate",
                Status.RESOLVED,
                Status.RATED,
                "诉求人",
                f"诉求人评价：{Rating(rating).label}",
                {"rating": rating},
            )
            a.closed_at = resolved + timedelta(days=7, minutes=1)
            _ev(ev, a.closed_at, "close", Status.RATED, Status.CLOSED, "系统", "评价期满，办结归档")
        a.status = Status.CLOSED
        if submitted > now:
            continue
        _as_of(a, ev, esc, now)
        plan.appeals.append(a)
        plan.events[code] = ev
        plan.escalations[code] = esc


def load_appeals_demo(*, now: datetime | None = None) -> int:
    """The history, then the live appeals anchored at ``now`` (default: the load time);
    see ``demo_live``."""
    made, leaves = _categories()
    made += _policies(leaves)
    policies = {(p.category_id, p.urgency): p for p in SlaPolicy.objects.all()}
    now = now or anchor_now()
    plan = Plan([], {}, {})
    codes: set[str] = set()
    for unit in _units():
        _unit_plan(unit, leaves, policies, plan, codes, now=now)
    live = plan_live(policies=policies, leaves=leaves, taken=codes, now=now)
    made += save_live(live)
    present = existing(Appeal, "code", [a.code for a in plan.appeals])
    new = [a for a in plan.appeals if a.code not in present]
    if not new:
        rollups_rebuild()  # the live appeals above may have been written in bulk
        return made
    made += bulk_create_missing(Appeal, new, "code")
    ids = existing(Appeal, "code", [a.code for a in new])
    events, escalations = [], []
    for a in new:
        pk = ids[a.code]
        for e in plan.events.get(a.code, []):
            e.appeal_id = pk
            events.append(e)
        for x in plan.escalations.get(a.code, []):
            x.appeal_id = pk
            escalations.append(x)
    AppealEvent.objects.bulk_create(events, batch_size=BATCH_SIZE)
    Escalation.objects.bulk_create(escalations, batch_size=BATCH_SIZE)
    # Bulk rows bypass the services and so the rollups' receiver: recount them all.
    rollups_rebuild()
    return made + len(events) + len(escalations)
