"""The demo's 红色物业 and 两新 organizations, demonstration points and the 梦享家 center.

- Property companies: each urban street has a few, serving most of its compounds. Every
  one is covered as the rule wants (the article's 物业企业党组织覆盖率 100%): those with 3 or
  more full members have their own 物业企业党支部, the smaller ones sit in the street's
  物业企业联合党支部.
- Two-new organizations: enterprises and social organizations in every street, most
  covered, some left as gaps to close (3+ members in a joint branch, or no party
  organization at all).
- 36 demonstration points (省 6, 市 12, 区 18) among the covered ones, the article's
  山东数字产业大厦 and 济南超意兴餐饮有限公司 first, each with its 一企一策/一社一策 plan.
- The 梦享家 party-mass service center (700 m², 山东数字产业大厦) with a year of activities,
  and the 春元里 community center (seen by the demo's street and community logins), both
  with sign-ups and check-ins.

Everything derives from a generator seeded with the demo's seed and is looked up by its
natural key (credit code, party-org path, names), so a second run creates nothing. Credit
codes are fictitious but valid (their check character is computed by GB 32100).
"""

import random
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal

from django.utils import timezone
from stdnum.cn import uscc

from jiceng.core.demo.areas import DISTRICT_CODE
from jiceng.core.demo.common import SEED, DemoError
from jiceng.core.models import Area, AreaKind, Person, PoliticalStatus

from .models import (
    PATH_STEP,
    Activity,
    ActivityKind,
    CheckinMethod,
    DemoLevel,
    DemonstrationPoint,
    MeasureStatus,
    Organization,
    OrganizationKind,
    Participation,
    PartyOrg,
    PartyOrgKind,
    PlanMeasure,
    ServiceCenter,
)

# Streets without urban compounds worth a property company of their own.
RURAL_STREETS = {"370103021", "370103022"}
# Branches of the demo sit under their street's 党工委 from this child number on, clear of
# the communities' and villages' committees numbered from 1.
BRANCH_BASE = 9000

PROPERTY_WORDS = (
    "安居",
    "泉城",
    "舜德",
    "和顺",
    "嘉园",
    "锦程",
    "恒信",
    "佳和",
    "鲁润",
    "同泰",
    "瑞和",
    "诚邦",
    "天润",
    "鸿福",
    "康居",
    "明湖",
    "海岱",
    "齐鲁",
    "华庭",
    "金泉",
)
ENTERPRISE_WORDS = (
    "数智",
    "云启",
    "鲁信",
    "泉兴",
    "舜天",
    "齐发",
    "瀚海",
    "博远",
    "中和",
    "鼎新",
    "领航",
    "九州",
    "华誉",
    "宏业",
    "凯德",
    "景泰",
    "融通",
    "创联",
    "英才",
    "汇金",
)
ENTERPRISE_TRADES = (
    "信息技术有限公司",
    "商贸有限公司",
    "餐饮管理有限公司",
    "文化传媒有限公司",
    "建设工程有限公司",
    "科技发展有限公司",
    "物流有限公司",
    "健康管理有限公司",
)
SOCIAL_NAMES = (
    "社会工作服务中心",
    "志愿者协会",
    "养老服务中心",
    "青少年发展中心",
    "邻里互助协会",
    "律师协会分会",
    "文化艺术促进会",
    "商会",
)

# (name, kind, full members, level, year, citation): the article's two first.
NAMED_POINTS = (
    (
        "山东数字产业大厦运营管理有限公司",
        OrganizationKind.ENTERPRISE,
        46,
        DemoLevel.PROVINCE,
        2022,
        "全国“2021年度百个两新党建优秀案例”（“梦享家”党建品牌）",
    ),
    (
        "济南超意兴餐饮有限公司",
        OrganizationKind.ENTERPRISE,
        38,
        DemoLevel.CITY,
        2021,
        "济南市两新组织党建工作示范点",
    ),
)
LEVEL_SPLIT = {DemoLevel.PROVINCE: 6, DemoLevel.CITY: 12, DemoLevel.DISTRICT: 18}
CITATIONS = {
    DemoLevel.PROVINCE: "山东省两新组织党建工作示范点",
    DemoLevel.CITY: "济南市两新组织党建工作示范点",
    DemoLevel.DISTRICT: "市中区两新组织党建工作示范点",
}
MEASURES = {
    "enterprise": (
        "规范“三会一课”，每月开展主题党日",
        "建立党员先锋岗和责任区",
        "党组织书记与企业负责人“双向进入、交叉任职”",
        "把骨干培养成党员、把党员培养成骨干",
        "开展“红色引擎”党建联建项目",
    ),
    "social": (
        "党组织参与重大事项决策",
        "建立党员志愿服务队",
        "承接社区公益服务项目",
        "开展党建业务融合培训",
    ),
}

CENTER_NAME = "“梦享家”党群服务中心"
CENTER_STREET = "370103016"  # 舜耕街道


@dataclass(frozen=True)
class CenterSpec:
    name: str
    street: str
    area_name: str  # the street itself or one of its communities
    address: str
    floor_space: str
    facilities: str
    opening_hours: str
    invitation: str
    seed: str
    months: tuple[int, ...]
    step: int  # every ``step``-th of ACTIVITIES each month (3: two a month, 6: one)
    signups: tuple[int, int]


CENTERS = (
    CenterSpec(
        CENTER_NAME,
        CENTER_STREET,
        "舜耕街道",
        "山东数字产业大厦",
        "700.0",
        "党员活动室\n红色书屋\n共享会议室\n职工之家\n路演厅\n母婴室",
        "周一至周五 9:00–21:00，周末 9:00–17:00",
        "欢迎楼宇内两新组织党员参加。",
        "party-center",
        tuple(range(1, 13)),
        3,
        (18, 40),
    ),
    CenterSpec(
        "春元里社区党群服务中心",
        "370103003",
        "春元里社区",
        "春元里社区居委会一楼",
        "260.0",
        "党员活动室\n议事协商室\n红色物业服务站\n暖心驿站",
        "周一至周日 8:30–18:00",
        "欢迎辖区物业企业和商户党员参加。",
        "party-center-chunyuanli",
        (3, 4, 5, 6, 7, 8),
        6,
        (6, 14),
    ),
)
ACTIVITIES = (
    ("“三会一课”主题党日", ActivityKind.ORG_LIFE),
    ("两新组织党务干部培训", ActivityKind.TRAINING),
    ("“红色引擎”项目路演", ActivityKind.EVENT),
    ("新就业群体暖心座谈会", ActivityKind.EVENT),
    ("数字经济专题学习", ActivityKind.TRAINING),
    ("楼宇党员志愿服务", ActivityKind.ORG_LIFE),
)


def _code(rng: random.Random, kind: str) -> str:
    """A valid, fictitious unified social credit code of a Jinan Shizhong organization."""
    head = "91" if kind != OrganizationKind.SOCIAL else "52"
    alphabet = "0123456789ABCDEFGHJKLMNPQRTUWXY"
    body = head + DISTRICT_CODE + "".join(rng.choice(alphabet) for _ in range(9))
    return body + uscc.calc_check_digit(body)


def _branch(street_org: PartyOrg, n: int, name: str, kind: str, area: Area) -> tuple:
    path = street_org.path + str(BRANCH_BASE + n).zfill(PATH_STEP)
    org = PartyOrg.objects.filter(path=path).first()
    if org is not None:
        if org.name != name:
            raise DemoError(f"党组织路径 {path} 已被{org.name}占用。")
        return org, 0
    org = PartyOrg.objects.create(path=path, name=name, kind=kind, area=area, parent=street_org)
    return org, 1


def _org(rng, *, name, kind, area, employees, members, party_org, compounds=()):
    code = _code(rng, kind)
    address = f"{area.name}{rng.randrange(1, 300)}号"
    org = Organization.objects.filter(credit_code=code).first()
    if org is not None:
        return org, 0
    org = Organization.objects.create(
        name=name,
        kind=kind,
        credit_code=code,
        area=area,
        address=address,
        employees=employees,
        full_members=members,
        party_org=party_org,
    )
    if compounds:
        org.compounds.set(compounds)
    return org, 1


def load_party_demo() -> int:
    district = Area.objects.filter(code=DISTRICT_CODE).first()
    if district is None:
        raise DemoError("请先生成区划。")
    streets = list(Area.objects.filter(parent=district, kind=AreaKind.STREET).order_by("code"))
    committees = {
        o.area.code: o
        for o in PartyOrg.objects.filter(
            kind=PartyOrgKind.WORKING_COMMITTEE, area__in=streets
        ).select_related("area")
    }
    missing = [s.name for s in streets if s.code not in committees]
    if missing:
        raise DemoError(f"缺少街道党工委：{'、'.join(missing)}")
    created = 0
    two_new: list[Organization] = []
    for s_index, street in enumerate(streets):
        rng = random.Random(f"{SEED}:party-orgs:{street.code}")
        committee = committees[street.code]
        short = street.name.removesuffix("街道")
        n_branch = 0
        # -- property companies --
        if street.code not in RURAL_STREETS:
            compounds = list(
                Area.objects.filter(kind=AreaKind.COMPOUND, code__startswith=street.code)
                .order_by("code")
                .only("pk", "code", "name")
            )
            n_companies = 3 + s_index % 3
            joint, c = _branch(
                committee, 0, f"{short}街道物业企业联合党支部", PartyOrgKind.JOINT_BRANCH, street
            )
            created += c
            served = compounds[: len(compounds) * 4 // 5]
            by_code = {a.code: a for a in Area.objects.filter(parent=street)}
            for i in range(n_companies):
                word = PROPERTY_WORDS[(s_index * 5 + i) % len(PROPERTY_WORDS)]
                name = f"济南{short}{word}物业服务有限公司"
                members = rng.choice((1, 2, 3, 4, 5, 7))
                party_org = joint
                if members >= 3:
                    n_branch += 1
                    party_org, c = _branch(
                        committee,
                        n_branch,
                        f"中共{name}支部委员会",
                        PartyOrgKind.ENTERPRISE_BRANCH,
                        street,
                    )
                    created += c
                mine = served[i::n_companies]
                # Registered in the community of the first compound it serves.
                home = by_code.get(mine[0].code[:12], street) if mine else street
                _, c = _org(
                    rng,
                    name=name,
                    kind=OrganizationKind.PROPERTY,
                    area=home,
                    employees=rng.randrange(30, 260),
                    members=members,
                    party_org=party_org,
                    compounds=mine,
                )
                created += c
        # -- two-new organizations --
        joint, c = _branch(
            committee, 100, f"{short}街道两新组织联合党支部", PartyOrgKind.JOINT_BRANCH, street
        )
        created += c
        communities = list(
            Area.objects.filter(parent=street).order_by("code").only("pk", "code", "name")
        ) or [street]
        for i in range(6):
            social = i >= 4
            kind = OrganizationKind.SOCIAL if social else OrganizationKind.ENTERPRISE
            if social:
                name = f"市中区{short}{SOCIAL_NAMES[(s_index + i) % len(SOCIAL_NAMES)]}"
            else:
                # n runs over 0..67; (word, trade) pairs never repeat.
                n = s_index * 4 + i
                word = ENTERPRISE_WORDS[n % len(ENTERPRISE_WORDS)]
                trade = ENTERPRISE_TRADES[(n // 20 + n) % len(ENTERPRISE_TRADES)]
                name = f"山东{word}{trade}"
            if s_index == 0 and i == 0:
                name, kind, members = NAMED_POINTS[1][:3]
            elif street.code == CENTER_STREET and i == 0:  # the building of 梦享家
                name, kind, members = NAMED_POINTS[0][:3]
            else:
                members = rng.choice((0, 1, 2, 3, 4, 6, 9))
            # The gaps: every fourth street leaves one organization uncovered, and one in
            # six with 3+ members stays in the joint branch.
            uncovered = s_index % 4 == 1 and i == 5
            keep_in_joint = members >= 3 and (s_index + i) % 6 == 2
            if uncovered:
                party_org = None
            elif members >= 3 and not keep_in_joint:
                n_branch += 1
                party_org, c = _branch(
                    committee,
                    n_branch,
                    f"中共{name}{'支部委员会' if members < 30 else '委员会'}",
                    PartyOrgKind.COMMITTEE
                    if members >= 30
                    else PartyOrgKind.BRANCH
                    if social
                    else PartyOrgKind.ENTERPRISE_BRANCH,
                    street,
                )
                created += c
            else:
                party_org = joint
            org, c = _org(
                rng,
                name=name,
                kind=kind,
                area=communities[i % len(communities)],
                employees=max(members * 3, rng.randrange(8, 400)),
                members=members,
                party_org=party_org,
            )
            created += c
            two_new.append(org)
    created += _points(two_new)
    created += _center(committees)
    return created


def _points(orgs: list[Organization]) -> int:
    rng = random.Random(f"{SEED}:party-points")
    by_name = {o.name: o for o in orgs}
    chosen: list[tuple[Organization, str, int, str]] = []
    for name, _, _, level, year, citation in NAMED_POINTS:
        chosen.append((by_name[name], level, year, citation))
    named = {n[0] for n in NAMED_POINTS}
    candidates = sorted(
        (o for o in orgs if o.is_covered and o.name not in named),
        key=lambda o: (-o.full_members, o.credit_code),
    )
    remaining = dict(LEVEL_SPLIT)
    for _, level, _, _ in chosen:
        remaining[level] -= 1
    levels = [
        lv
        for lv in (DemoLevel.PROVINCE, DemoLevel.CITY, DemoLevel.DISTRICT)
        for _ in range(remaining[lv])
    ]
    if len(candidates) < len(levels):
        raise DemoError("两新组织不足以产生 36 个示范点。")
    for org, level in zip(candidates, levels, strict=False):
        chosen.append((org, level, rng.randrange(2019, 2025), CITATIONS[level]))
    created = 0
    for org, level, year, citation in chosen:
        point = DemonstrationPoint.objects.filter(organization=org, level=level).first()
        if point is not None:
            continue
        label = "一社一策" if org.kind == OrganizationKind.SOCIAL else "一企一策"
        point = DemonstrationPoint.objects.create(
            organization=org,
            level=level,
            year=year,
            citation=citation,
            plan_goal=f"{label}：以党建引领{org.name}发展，建成党员先锋示范阵地，"
            "带动周边两新组织共驻共建。",
        )
        created += 1
        titles = MEASURES["social" if org.kind == OrganizationKind.SOCIAL else "enterprise"]
        for title in rng.sample(titles, 3):
            percent = rng.choice((0, 30, 60, 80, 100, 100))
            status = (
                MeasureStatus.DONE
                if percent == 100
                else MeasureStatus.IN_PROGRESS
                if percent
                else MeasureStatus.PLANNED
            )
            PlanMeasure.objects.create(
                point=point,
                title=title,
                percent=percent,
                status=status,
                due_on=datetime(year + 1, 12, 31).date(),
            )
            created += 1
    return created


def _center(committees: dict[str, PartyOrg]) -> int:
    created = 0
    for spec in CENTERS:
        area = Area.objects.filter(name=spec.area_name, code__startswith=spec.street).first()
        if area is None:
            raise DemoError(f"区划中没有{spec.area_name}，无法建立{spec.name}。")
        created += _center_with_activities(spec, area, committees[spec.street])
    return created


def _center_with_activities(spec: "CenterSpec", area: Area, committee: PartyOrg) -> int:
    created = 0
    center = ServiceCenter.objects.filter(name=spec.name).first()
    if center is None:
        center = ServiceCenter.objects.create(
            name=spec.name,
            area=area,
            address=spec.address,
            floor_space=Decimal(spec.floor_space),
            facilities=spec.facilities,
            opening_hours=spec.opening_hours,
            party_org=committee,
        )
        created += 1
    rng = random.Random(f"{SEED}:{spec.seed}")
    members = list(
        Person.objects.filter(
            area__code__startswith=area.code,
            political_status__in=(PoliticalStatus.MEMBER, PoliticalStatus.PROBATIONARY),
        )
        .exclude(phone="")
        .order_by("pk")[:120]
    )
    orgs = list(
        Organization.objects.filter(area__code__startswith=spec.street).order_by("credit_code")
    )
    if not members:
        return created
    tz = timezone.get_current_timezone()
    for month in spec.months:
        for k, (title, kind) in enumerate(ACTIVITIES[(month % 3) :: spec.step]):
            starts = datetime(2024, month, 6 + 9 * k, 14 + k, 30, tzinfo=tz)
            full_title = f"{month}月{title}"
            activity = Activity.objects.filter(center=center, title=full_title).first()
            if activity is None:
                code = f"{rng.randrange(10**6):06d}"
                while Activity.objects.filter(checkin_code=code).exists():
                    code = f"{rng.randrange(10**6):06d}"
                activity = Activity.objects.create(
                    center=center,
                    title=full_title,
                    kind=kind,
                    starts_at=starts,
                    ends_at=starts + timedelta(hours=2),
                    capacity=60,
                    description=f"{spec.name}{ActivityKind(kind).label}，{spec.invitation}",
                    checkin_code=code,
                )
                created += 1
            if activity.participations.exists():
                continue
            rows = []
            low, high = spec.signups
            for person in rng.sample(members, min(len(members), rng.randrange(low, high))):
                attended = rng.random() < 0.82
                method = rng.choice(
                    (
                        CheckinMethod.LINK,
                        CheckinMethod.LINK,
                        CheckinMethod.CODE,
                        CheckinMethod.STAFF,
                    )
                )
                rows.append(
                    Participation(
                        activity=activity,
                        person=person,
                        organization=rng.choice(orgs) if orgs else None,
                        signed_up_at=starts - timedelta(days=rng.randrange(1, 6)),
                        attended_at=starts + timedelta(minutes=rng.randrange(-40, 20))
                        if attended
                        else None,
                        checkin_method=method if attended else "",
                    )
                )
            Participation.objects.bulk_create(rows)
            created += len(rows)
    return created
