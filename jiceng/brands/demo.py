"""The demo's 一街一品: the 2024 campaign, 21 community brands and the panel's sheets.

The article names six brands' echelons (引领 乐山/舜华, 先行 睦和苑/建新, 跟进 英雄山/春元里)
and three brand names (建心家园, 同心春元, 商埠客厅 睦邻党建); the other fifteen brands are
spread so that each of the 17 streets represents at least one. Each brand has a target
score; the five panel members' sheets are drawn around it from a generator seeded with the
community's code, and the echelons then follow from the campaign's thresholds like any
other campaign's. Communities are found by name in the demo district; every row is looked
up by its natural key, so a second run creates nothing.
"""

import random
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from jiceng.core.demo.areas import DISTRICT_CODE
from jiceng.core.demo.common import SEED, DemoError
from jiceng.core.models import Area, AreaKind, RoleAssignment, User
from jiceng.core.roles import Role
from jiceng.core.services import role_assign, user_create

from .models import (
    Brand,
    Campaign,
    CampaignStatus,
    Criterion,
    Echelon,
    Evaluation,
    EvaluationScore,
    Focus,
    PanelMember,
)
from .services import DEFAULT_CRITERIA

YEAR = 2024
CAMPAIGN_NAME = "2024年“一街一品”集中攻坚行动"
CAMPAIGN_DESCRIPTION = (
    "指导各街道、社区围绕网格治理、物业建设、协商议事等方面，提炼品牌、打造亮点、突破攻坚，"
    "由区级评审组对各社区党建品牌集中评审，按得分建成引领、先行、跟进梯队。"
)
LEADING = Decimal("90")
PIONEERING = Decimal("80")
PANEL_PASSWORD = "Jiceng@2024"
# (username, name) of the panel's accounts beside the demo's district_admin and judge.
PANEL_ACCOUNTS = (("panel_zhou", "周文清"), ("panel_han", "韩立新"), ("panel_sun", "孙晓梅"))
# How far a member's sheet total may stray from the brand's target (they average out).
MEMBER_SPREAD = 3.0

F = Focus
E = Echelon


@dataclass(frozen=True)
class BrandSpec:
    community: str
    street: str
    name: str
    focus: str
    target: Decimal
    echelon: str
    description: str


def _spec(community, street, name, focus, target, echelon, description) -> BrandSpec:
    return BrandSpec(community, street, name, focus, Decimal(target), echelon, description)


BRANDS = (
    # The article's six.
    _spec(
        "乐山小区社区",
        "杆石桥街道",
        "乐在山中·红心物业",
        F.PROPERTY,
        "94.2",
        E.LEADING,
        "社区党委牵头推动物业服务企业党组织应建尽建，建立“社区党委+物业党支部+业委会”"
        "联席会议制度；红心管家每周入户走访，老旧小区物业服务实现全覆盖，居民反映的问题"
        "限时办结、回访满意。",
    ),
    _spec(
        "舜华社区",
        "舜耕街道",
        "舜华议事厅",
        F.CONSULTATION,
        "93.0",
        E.LEADING,
        "搭建“舜华议事厅”居民协商平台，推行“居民点单、党委派单、党员接单”，围绕加装电梯、"
        "停车治理、楼道改造等事项开展协商议事，议事结果公开公示、跟踪落实。",
    ),
    _spec(
        "睦和苑社区",
        "大观园街道",
        "商埠客厅 睦邻党建",
        F.CONSULTATION,
        "86.4",
        E.PIONEERING,
        "依托老商埠历史街区打造“商埠客厅”党群议事空间，联合辖区商户和驻区单位成立睦邻"
        "党建联盟，开展邻里节、商户议事会，把老街区的烦心事化为睦邻共治的客厅事。",
    ),
    _spec(
        "建新社区",
        "二七街道",
        "建心家园",
        F.GRID,
        "85.2",
        E.PIONEERING,
        "把党支部建在网格上，网格配齐网格管家和共享管家，推行“网格吹哨、部门报到”，"
        "以“建心”凝聚老旧小区居民，共建共治共享幸福家园。",
    ),
    _spec(
        "英雄山社区",
        "四里村街道",
        "英雄山下·红色网格",
        F.GRID,
        "75.4",
        E.FOLLOWING,
        "依托英雄山红色资源组建党员志愿服务队下沉网格，开展红色宣讲和“网格微服务”，"
        "常态化走访独居老人和困难家庭。",
    ),
    _spec(
        "春元里社区",
        "杆石桥街道",
        "同心春元",
        F.PROPERTY,
        "76.8",
        E.FOLLOWING,
        "推行“社区党组织—总管家—网格管家—共享管家”四级红色物业服务体系，聚焦老旧小区"
        "急难愁盼，同心解决居民身边的小事难事。",
    ),
    # One or two more per street, so that every street represents a brand.
    _spec(
        "舜玉社区",
        "舜玉路街道",
        "舜玉和鸣·同心议事",
        F.CONSULTATION,
        "91.8",
        E.LEADING,
        "建立“小区议事会—楼院议事组—楼栋议事员”三级协商体系，定期召开民主协商会，"
        "解决楼院公共空间改造等难题。",
    ),
    _spec(
        "兴隆山庄社区",
        "兴隆街道",
        "山庄红管家·物业联盟",
        F.PROPERTY,
        "92.4",
        E.LEADING,
        "联合辖区物业企业成立红色物业联盟，推行物业服务事项清单公开和季度“红黑榜”评议，"
        "业主诉求限时响应。",
    ),
    _spec(
        "原山首府社区",
        "白马山街道",
        "首府红管家",
        F.PROPERTY,
        "91.6",
        E.LEADING,
        "在新建商品房小区推动物业企业党支部与社区党委联建共建，红管家驻点服务，"
        "新市民融入社区有了“娘家人”。",
    ),
    _spec(
        "德贤社区",
        "七贤街道",
        "贤德善治·七贤议事",
        F.CONSULTATION,
        "87.6",
        E.PIONEERING,
        "传承七贤文化打造“贤德议事堂”，邀请老党员、乡贤能人参与社区协商，推进移风易俗、邻里和睦。",
    ),
    _spec(
        "馆驿街社区",
        "魏家庄街道",
        "馆驿老街·邻里议事坊",
        F.CONSULTATION,
        "84.0",
        E.PIONEERING,
        "以馆驿街历史文化街区为依托成立老街坊议事会，商户与居民共商街巷环境整治、"
        "停车秩序和夜间经营管理。",
    ),
    _spec(
        "王官庄社区",
        "王官庄街道",
        "王官庄·红心暖巢",
        F.PROPERTY,
        "83.4",
        E.PIONEERING,
        "针对开放式老旧小区无物业问题成立社区物业服务中心，党员楼长牵头开展楼院自治，"
        "补齐老旧小区服务短板。",
    ),
    _spec(
        "融汇城社区",
        "陡沟街道",
        "融汇同心·新区红管家",
        F.PROPERTY,
        "83.0",
        E.PIONEERING,
        "新建社区同步建立党组织和物业服务机制，网格管家与物业管家“双管家”联动，"
        "回应新区居民急难愁盼。",
    ),
    _spec(
        "卧龙社区",
        "七里山街道",
        "卧龙先锋·网格连心",
        F.GRID,
        "82.6",
        E.PIONEERING,
        "组建“卧龙先锋”党员网格服务队，网格员每日巡查、党员每周走访，小事不出网格、大事不出社区。",
    ),
    _spec(
        "兴济河社区",
        "十六里河街道",
        "兴济河畔·红色网格",
        F.GRID,
        "81.8",
        E.PIONEERING,
        "沿兴济河划分网格，组织党员巡河护河，网格管家联动物业、商户共同维护河畔环境。",
    ),
    _spec(
        "睿贤社区",
        "七贤街道",
        "睿贤网格·智治先锋",
        F.GRID,
        "78.2",
        E.FOLLOWING,
        "运用网格化服务管理平台，网格管家随手拍、随时报，问题发现、派单、办结全程闭环。",
    ),
    _spec(
        "普利街社区",
        "泺源街道",
        "普利红心·老街新韵",
        F.GRID,
        "78.0",
        E.FOLLOWING,
        "聚焦泉城老街区划细网格、配强力量，网格员与沿街商户结对共治，守护老街烟火气。",
    ),
    _spec(
        "玉函北区社区",
        "六里山街道",
        "玉函红邻·物业共治",
        F.PROPERTY,
        "77.4",
        E.FOLLOWING,
        "推动老旧小区引入专业化物业，建立社区党委领导下的物业服务评议机制，"
        "居民满意度纳入物业考核。",
    ),
    _spec(
        "丘山社区",
        "党家街道",
        "丘山红韵·村居共治",
        F.GRID,
        "74.2",
        E.FOLLOWING,
        "村改居社区推行网格化管理，社区“两委”干部包片联户，推动村改居后的治理融合。",
    ),
    _spec(
        "东红庙社区",
        "白马山街道",
        "红庙议事会",
        F.CONSULTATION,
        "73.8",
        E.FOLLOWING,
        "回迁安置小区成立居民议事会，协商解决物业收费、公共设施维护等回迁居民关心的问题。",
    ),
    _spec(
        "秀文社区",
        "十六里河街道",
        "秀文书香·邻里客厅",
        F.CONSULTATION,
        "72.6",
        E.FOLLOWING,
        "打造书香邻里客厅，以读书会、议事会凝聚居民，推动小区公共事务协商解决。",
    ),
)

HALF = Decimal("0.5")


def _to_half(value: float) -> Decimal:
    return (Decimal(str(value)) / HALF).quantize(Decimal(1), rounding=ROUND_HALF_UP) * HALF


def sheet_values(
    target: Decimal, maxes: list[Decimal], members: int, rng: random.Random
) -> list[list[Decimal]]:
    """``members`` sheets of per-criterion scores (steps of 0.5, within each criterion's
    full marks) whose totals scatter around ``target`` with a mean within 0.25 of it."""
    full = sum(maxes)
    offsets = [rng.uniform(-MEMBER_SPREAD, MEMBER_SPREAD) for _ in range(members)]
    mean = sum(offsets) / members
    sheets = []
    for offset in offsets:
        total = min(_to_half(float(target) + offset - mean), full)
        share = float(total / full)
        raw = [float(m) * min(1.0, max(0.0, share + rng.uniform(-0.05, 0.05))) for m in maxes]
        values = [min(_to_half(r), m) for r, m in zip(raw, maxes, strict=True)]
        # Move half points to or from the criteria with room until the total is exact.
        diff = total - sum(values)
        order = sorted(range(len(maxes)), key=lambda i: -maxes[i])
        while diff:
            step = HALF if diff > 0 else -HALF
            for i in order:
                if Decimal(0) <= values[i] + step <= maxes[i]:
                    values[i] += step
                    diff -= step
                    break
            else:
                raise DemoError("演示评分无法凑成目标总分。")
        sheets.append(values)
    return sheets


def _communities() -> dict[str, Area]:
    names = [spec.community for spec in BRANDS]
    found = {
        a.name: a
        for a in Area.objects.subtree(DISTRICT_CODE)
        .filter(kind=AreaKind.COMMUNITY, name__in=names)
        .select_related("parent")
    }
    missing = [n for n in names if n not in found]
    if missing:
        raise DemoError(f"演示区划中找不到这些社区：{'、'.join(missing)}")
    for spec in BRANDS:
        if found[spec.community].parent.name != spec.street:
            raise DemoError(f"{spec.community}不在{spec.street}。")
    return found


def _panel_users() -> tuple[list[User], int]:
    created = 0
    district = Area.objects.get(code=DISTRICT_CODE)
    users = [User.objects.get(username=Role.DISTRICT_ADMIN.value)]
    users.append(User.objects.get(username=Role.JUDGE.value))
    for username, name in PANEL_ACCOUNTS:
        user = User.objects.filter(username=username).first()
        if user is None:
            user = user_create(by=None, username=username, password=PANEL_PASSWORD, full_name=name)
            created += 1
        if not RoleAssignment.objects.filter(user=user, role=Role.JUDGE, area=district).exists():
            role_assign(by=None, user=user, role=Role.JUDGE, area=district)
            created += 1
        users.append(user)
    return users, created


def load_brands_demo() -> int:
    """Create what is missing of the 2024 campaign; return how many rows were created."""
    created = 0
    communities = _communities()
    campaign = Campaign.objects.filter(year=YEAR).first()
    if campaign is None:
        campaign = Campaign.objects.create(
            year=YEAR,
            name=CAMPAIGN_NAME,
            description=CAMPAIGN_DESCRIPTION,
            status=CampaignStatus.CLOSED,
            leading_threshold=LEADING,
            pioneering_threshold=PIONEERING,
        )
        created += 1
    have = set(campaign.criteria.values_list("name", flat=True))
    new_criteria = [
        Criterion(campaign=campaign, name=name, max_score=max_score, order=i)
        for i, (name, max_score) in enumerate(DEFAULT_CRITERIA, start=1)
        if name not in have
    ]
    Criterion.objects.bulk_create(new_criteria)
    created += len(new_criteria)
    criteria = list(campaign.criteria.order_by("order", "id"))
    maxes = [c.max_score for c in criteria]

    users, accounts = _panel_users()
    created += accounts
    members = []
    for user in users:
        member, new = PanelMember.objects.get_or_create(campaign=campaign, user=user)
        members.append(member)
        created += new

    for spec in BRANDS:
        area = communities[spec.community]
        brand, new = Brand.objects.get_or_create(
            campaign=campaign,
            area=area,
            defaults={"name": spec.name, "focus": spec.focus, "description": spec.description},
        )
        created += new
        rng = random.Random(f"{SEED}-brands-{YEAR}-{area.code}")
        sheets = sheet_values(spec.target, maxes, len(members), rng)
        scored = set(Evaluation.objects.filter(brand=brand).values_list("member_id", flat=True))
        for member, values in zip(members, sheets, strict=True):
            if member.pk in scored:
                continue
            sheet = Evaluation.objects.create(brand=brand, member=member)
            EvaluationScore.objects.bulk_create(
                EvaluationScore(evaluation=sheet, criterion=c, value=v)
                for c, v in zip(criteria, values, strict=True)
            )
            created += 1 + len(values)
        if new:
            brand = Brand.objects.with_score().select_related("campaign").get(pk=brand.pk)
            if brand.echelon != spec.echelon:
                raise DemoError(
                    f"{spec.name}得分 {brand.score}，未落入{Echelon(spec.echelon).label}梯队。"
                )
    return created
