"""The demo's live appeals: a fixed set of open work in 春元里, dated relative to the load.

The twelve months of history end at the demo's reference date, so without these every
queue is empty when the demo is loaded today, and the SLA sweep of ``make demo`` would find
only appeals two years late. This set is what a steward opens on a working morning: fresh
dispatches to accept, work accepted, in hand, paused, handed to a shared steward, reopened
after a 不满意, one past its limit (escalated to the 总管家), one under the street's
supervision (督办), appeals of the other grids for the 总管家's re-dispatch and one in the
community's pool.

The choice: everything about these appeals is fixed by the seed (codes, texts, residents, owners,
states, the order and spacing of their events) except the moment they are anchored to,
which is the load time rounded down to the minute. The deadlines are computed from that
anchor by the same SLA code as a real submission (the late ones use the hour-based urgent
policy, so whether they are late does not depend on the weekday or holidays). Rows are
keyed by their tracking codes: a second run creates nothing, whenever it runs, and the
rows of an earlier load simply age (the sweep then warns and escalates them as it would
real work). None of them is resolved, so 春元里's resolved count stays at 1,053.
"""

import random
import re
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.utils import timezone

from jiceng.core.demo.common import SEED
from jiceng.core.demo.names import surname
from jiceng.core.demo.people import DEMO_COMMUNITY, MOBILE_PREFIXES
from jiceng.core.models import Area, Person, Post, PostTitle

from . import sla
from .models import (
    CODE_ALPHABET,
    CODE_LENGTH,
    Appeal,
    AppealEvent,
    Channel,
    Escalation,
    Kind,
    Notification,
    NotificationKind,
    Rating,
    Rung,
    Status,
    Urgency,
)


@dataclass(frozen=True)
class Live:
    """One live appeal: where, what, and the state it is in when the demo loads."""

    state: str
    grid: int  # index into the community's grids (0 is the demo grid steward's)
    leaf: str
    text: str
    age_minutes: int  # submitted this long before the anchor
    urgency: str = Urgency.NORMAL
    kind: str = Kind.HELP
    channel: str = Channel.WECHAT
    reason: str = ""


# The order is part of the seed: append, never reorder.
LIVE = [
    Live("dispatched", 0, "电梯故障", "{place}电梯今天早上又停了，八楼的老人下不了楼。", 25),
    Live("dispatched", 0, "楼道照明", "{place}三单元楼道灯全坏了，晚上上楼只能打手电。", 95),
    Live("accepted", 0, "垃圾清运", "{road}东门垃圾桶满了两天没人清运，气味很大。", 180),
    Live(
        "in_progress",
        0,
        "噪音扰民",
        "{place}楼上装修每天早上七点就开始砸墙，周末也不停。",
        60 * 26,
        kind=Kind.COMPLAINT,
        channel=Channel.PHONE,
    ),
    Live(
        "paused",
        0,
        "漏水纠纷",
        "{place}楼上卫生间漏水，协商多次无果，请社区调解。",
        60 * 50,
        channel=Channel.WINDOW,
        reason="等待楼上住户出差回来后现场查看",
    ),
    Live("handed", 0, "楼道堆物", "{place}楼道里堆满杂物和纸箱，存在消防隐患。", 60 * 5),
    Live(
        "reopened",
        0,
        "下水管道",
        "{place}下水道堵塞，污水返到一楼院子里。",
        60 * 30,
        channel=Channel.HOTLINE,
    ),
    Live(
        "overdue",
        0,
        "飞线充电",
        "{place}有人从楼上拉线给电动车充电，很危险。",
        60 * 30,
        urgency=Urgency.URGENT,
        kind=Kind.REPORT,
    ),
    Live(
        "supervised",
        0,
        "消防通道",
        "{road}消防通道被私家车堵死，出了事消防车进不来。",
        60 * 40,
        urgency=Urgency.URGENT,
        kind=Kind.COMPLAINT,
        channel=Channel.HOTLINE,
    ),
    Live("dispatched", 1, "冬季供暖", "{place}暖气不热，室温只有十四五度，家里有老人孩子。", 40),
    Live("dispatched", 2, "路灯照明", "{road}路灯不亮好几盏，晚上一片漆黑。", 130),
    Live("accepted", 3, "停车纠纷", "{road}小区车位被外来车辆长期占用，业主停不进去。", 300),
    Live(
        "in_progress",
        1,
        "养老服务",
        "{place}独居老人行动不便，希望社区帮忙联系助餐服务。",
        60 * 20,
        channel=Channel.VISIT,
    ),
    Live(
        "pool",
        0,
        "社保医保",
        "想咨询灵活就业人员的医保怎么缴纳，住在春元里附近。",
        15,
        kind=Kind.CONSULT,
        channel=Channel.WEB,
    ),
]


@dataclass
class Built:
    appeal: Appeal
    events: list[AppealEvent] = field(default_factory=list)
    escalations: list[Escalation] = field(default_factory=list)
    notify: list[tuple[int, str, str]] = field(default_factory=list)  # person, kind, text


def anchor_now() -> datetime:
    return timezone.now().replace(second=0, microsecond=0)


def _code(rng: random.Random, taken: set[str]) -> str:
    while True:
        code = "".join(rng.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))
        if code not in taken:
            taken.add(code)
            return code


def _people(community: Area, grids: list[Area]) -> tuple[dict, int | None, int | None, dict]:
    """(grid code -> grid steward id, chief id, shared steward id of the first grid, names)."""
    posts = (
        Post.objects.filter(
            area__code__startswith=community.code,
            title__in=[PostTitle.GRID_STEWARD, PostTitle.CHIEF_STEWARD, PostTitle.SHARED_STEWARD],
        )
        .order_by("starts_on", "id")
        .values_list("title", "area__code", "person_id")
    )
    stewards, chief, shared = {}, None, None
    for title, code, person_id in posts:
        if title == PostTitle.CHIEF_STEWARD and code == community.code:
            chief = chief or person_id
        elif title == PostTitle.GRID_STEWARD:
            stewards.setdefault(code, person_id)
        elif title == PostTitle.SHARED_STEWARD and grids and code == grids[0].code:
            shared = shared or person_id
    ids = {*stewards.values(), chief, shared} - {None}
    names = dict(Person.objects.filter(pk__in=ids).values_list("pk", "name"))
    return stewards, chief, shared, names


def plan_live(*, policies: dict, leaves: dict, taken: set[str], now: datetime) -> list[Built]:
    """The live appeals of the demo community, anchored at ``now``. Empty when the
    community or its stewards are missing."""
    community = Area.objects.filter(code=DEMO_COMMUNITY).first()
    if community is None:
        return []
    grids = list(Area.objects.filter(code__startswith=DEMO_COMMUNITY, kind="grid").order_by("code"))
    if not grids:
        return []
    compounds: dict[str, list[str]] = {}
    for code, name in (
        Area.objects.filter(code__startswith=DEMO_COMMUNITY, kind="compound")
        .order_by("code")
        .values_list("code", "name")
    ):
        compounds.setdefault(code[:15], []).append(name)
    stewards, chief, shared, names = _people(community, grids)
    rng = random.Random(f"{SEED}:appeals:live")
    out = []
    for spec in LIVE:
        grid = grids[spec.grid % len(grids)]
        owner = stewards.get(grid.code) or chief
        code = _code(rng, taken)
        compound = rng.choice(compounds.get(grid.code) or [grid.name])
        place = f"{compound}{rng.randint(1, 12)}号楼"
        name = surname(rng) + rng.choice(["先生", "女士"])
        phone = rng.choice(MOBILE_PREFIXES) + f"{rng.randrange(10**8):08d}"
        if owner is None or (spec.state == "handed" and shared is None):
            continue
        out.append(
            _build(
                spec,
                code=code,
                grid=grid,
                community=community,
                place=place,
                road=compound,
                resident=(name, phone),
                owner=owner,
                chief=chief,
                shared=shared,
                names=names,
                policies=policies,
                leaves=leaves,
                now=now,
            )
        )
    return out


def _build(
    spec: Live,
    *,
    code,
    grid,
    community,
    place,
    road,
    resident,
    owner,
    chief,
    shared,
    names,
    policies,
    leaves,
    now,
) -> Built:
    category = leaves[spec.leaf]
    policy = policies.get((category.pk, spec.urgency)) or policies[(None, spec.urgency)]
    t0 = now - timedelta(minutes=spec.age_minutes)
    text = spec.text.format(place=place, road=road)
    pool = spec.state == "pool"
    a = Appeal(
        code=code,
        kind=spec.kind,
        channel=spec.channel,
        category=category,
        urgency=spec.urgency,
        title=re.split(r"[，。]", text)[0][:30],
        description=text,
        address="" if pool else place,
        address_normalized="" if pool else place,
        area=community if pool else grid,
        grid=None if pool else grid,
        routing_method="community" if pool else "building",
        routing_confidence=0.5 if pool else 0.98,
        resident_name=resident[0],
        phone=resident[1],
        status=Status.SUBMITTED,
        submitted_at=t0,
        sla_policy=policy,
        **sla.deadlines(policy, t0),
    )
    b = Built(a)
    steward = f"网格管家{names.get(owner, '')}"

    def ev(minutes, action, to, actor, note, data=None, public=True):
        b.events.append(
            AppealEvent(
                at=t0 + timedelta(minutes=minutes),
                actor_name=actor,
                action=action,
                from_status=a.status,
                to_status=to,
                note=note,
                data=data or {},
                public=public,
            )
        )
        a.status = to

    ev(0, "submit", Status.SUBMITTED, "诉求人", f"经{Channel(spec.channel).label}提交")
    if pool:
        return b
    a.owner_id = owner
    ev(0, "dispatch", Status.DISPATCHED, "系统", f"自动派单至 {names.get(owner, '')}")
    if spec.state == "dispatched":
        b.notify.append((owner, NotificationKind.DISPATCHED, f"新诉求 {a.code}：{a.title}"))
        return b
    ev(12, "accept", Status.ACCEPTED, steward, "已接单")
    if spec.state == "accepted":
        return b
    if spec.state == "handed":
        shared_name = names.get(shared, "")
        a.handed_by_id, a.owner_id = owner, shared
        ev(30, "hand", Status.DISPATCHED, steward, f"转交共享管家 {shared_name}")
        ev(45, "accept", Status.ACCEPTED, f"共享管家{shared_name}", "已接单")
        a.contacted_at = t0 + timedelta(minutes=70)
        ev(
            70,
            "contact",
            Status.IN_PROGRESS,
            f"共享管家{shared_name}",
            "已联系诉求人，约定上门清理",
        )
        return b
    a.contacted_at = t0 + timedelta(minutes=50)
    ev(50, "contact", Status.IN_PROGRESS, steward, "已联系诉求人，正在办理")
    if spec.state == "in_progress":
        ev(180, "note", Status.IN_PROGRESS, steward, "已现场查看，正在协调相关单位", public=False)
        return b
    if spec.state == "paused":
        a.paused_at = t0 + timedelta(minutes=240)
        a.pause_reason = spec.reason
        ev(240, "pause", Status.PAUSED, steward, f"挂起：{spec.reason}")
        return b
    if spec.state == "reopened":
        resolved = t0 + timedelta(hours=6)
        minutes = (resolved - t0).total_seconds() / 60
        ev(
            minutes,
            "resolve",
            Status.RESOLVED,
            steward,
            "办结（解决）：已疏通",
            {"result": "solved"},
        )
        ev(
            minutes + 90,
            "rate",
            Status.RATED,
            "诉求人",
            "诉求人评价：不满意，又堵了",
            {"rating": Rating.UNSATISFIED},
        )
        reopened = resolved + timedelta(minutes=90)
        ev(minutes + 90, "reopen", Status.REOPENED, "系统", "诉求人不满意，重启办理（优先）")
        a.priority, a.reopen_count, a.contacted_at = True, 1, None
        for key, value in sla.deadlines(policy, reopened).items():
            setattr(a, key, value)
        b.notify.append((owner, NotificationKind.REOPENED, f"诉求重启 {a.code}（不满意）"))
        return b
    # Late: warned at the warning share, escalated to the 总管家 past the limit and, for
    # "supervised", put under the street's supervision past the supervision share.
    a.warned_at = a.warn_at
    ev(
        (a.warn_at - t0).total_seconds() / 60,
        "warn",
        Status.IN_PROGRESS,
        "系统",
        "办理时限即将到期，已提醒承办人",
        public=False,
    )
    chief_at = a.resolve_due_at + timedelta(minutes=1)
    b.escalations.append(
        Escalation(
            rung=Rung.CHIEF,
            reason="超过办结时限",
            to_person_id=chief,
            to_area=community,
            at=chief_at,
        )
    )
    ev(
        (chief_at - t0).total_seconds() / 60,
        "escalate",
        Status.IN_PROGRESS,
        "系统",
        "升级至总管家：超过办结时限",
        {"rung": Rung.CHIEF},
    )
    a.escalation_level = Rung.CHIEF
    if chief is not None:
        b.notify.append(
            (chief, NotificationKind.ESCALATED, f"诉求 {a.code} 超过办结时限，已升级至总管家")
        )
    if spec.state == "supervised":
        sup_at = a.supervise_at + timedelta(minutes=1)
        b.escalations.append(
            Escalation(
                rung=Rung.STREET,
                reason="超时未办结，街道督办",
                to_area_id=community.parent_id,
                at=sup_at,
            )
        )
        ev(
            (sup_at - t0).total_seconds() / 60,
            "escalate",
            Status.IN_PROGRESS,
            "系统",
            "升级至街道督办：超时未办结，街道督办",
            {"rung": Rung.STREET},
        )
        a.escalation_level, a.supervised = Rung.STREET, True
    return b


def save_live(built: list[Built]) -> int:
    """Insert the planned live appeals not present yet (by code) with their rows."""
    from jiceng.core.models import User

    present = set(
        Appeal.objects.filter(code__in=[b.appeal.code for b in built]).values_list(
            "code", flat=True
        )
    )
    new = [b for b in built if b.appeal.code not in present]
    if not new:
        return 0
    Appeal.objects.bulk_create([b.appeal for b in new])
    ids = dict(
        Appeal.objects.filter(code__in=[b.appeal.code for b in new]).values_list("code", "pk")
    )
    users: dict[int, list[int]] = {}
    people = {p for b in new for p, _, _ in b.notify}
    for user_id, person_id in User.objects.filter(person_id__in=people, is_active=True).values_list(
        "pk", "person_id"
    ):
        users.setdefault(person_id, []).append(user_id)
    events, escalations, notes = [], [], []
    for b in new:
        pk = ids[b.appeal.code]
        for e in b.events:
            e.appeal_id = pk
            events.append(e)
        for x in b.escalations:
            x.appeal_id = pk
            escalations.append(x)
        for person_id, kind, text in b.notify:
            notes += [
                Notification(recipient_id=u, kind=kind, appeal_id=pk, text=text)
                for u in users.get(person_id, [])
            ]
    AppealEvent.objects.bulk_create(events)
    Escalation.objects.bulk_create(escalations)
    Notification.objects.bulk_create(notes)
    return len(new) + len(events) + len(escalations) + len(notes)
