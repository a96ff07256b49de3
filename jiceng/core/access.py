"""The role matrix: which modules each role may read, at which reach, and what it may do.

This is the single source of who reads what (issue 17, least privilege). ``Scope`` asks it
which of an account's assignments open a module's rows area-wide, the apps' permission
policies derive their reading roles from it, the sidebar and the cockpit follow those
policies, and ``docs/scope.md`` carries the same table (``manage.py access_matrix`` prints
it; a test fails when the two differ). The URL × role walk checks every route against it.

Reach:
- ``area``: every row of the module in the role's assigned area subtree;
- ``own``: only rows tied to the account itself (a judge's sheets, a rider's reports, the
  appeals handed to a shared steward), whatever area the assignment names;
- ``all``: the system roles' own modules (audit log, accounts), which have no area.
A module absent from a role's row is closed to it: the pages and exports answer 403 or 404
and the sidebar does not show it.
"""

from dataclasses import dataclass

from .roles import Role

AREA = "area"
OWN = "own"
ALL = "all"

REACH_LABELS = {AREA: "辖区", OWN: "本人", ALL: "全部"}


@dataclass(frozen=True)
class Module:
    key: str
    label: str
    # What the module's reads are: pages, exports, API and chart data.
    reads: str
    # URL name prefixes (namespace:name_prefix) of the module's routes, for the walk.
    routes: tuple[str, ...] = ()
    # Export keys ("app.list") that belong to the module.
    exports: tuple[str, ...] = ()


MODULES: tuple[Module, ...] = (
    Module(
        "areas",
        "区域",
        "区域树、区域详情与指标、区域切换、区域导出",
        routes=("core:area_", "core:home_figures"),
        exports=("core.areas",),
    ),
    Module(
        "people",
        "人员",
        "人员名单、人员详情、任职、人员导出与导入",
        routes=("core:person_", "core:post_"),
        exports=("core.people",),
    ),
    Module(
        "party",
        "党组织",
        "党组织树与详情、两新组织、示范点、党群服务中心与活动、相关导出",
        routes=("party:",),
        exports=("party.",),
    ),
    Module(
        "appeals",
        "接诉即办",
        "诉求列表、待办、详情、三率与排名、走访、诉求导出",
        routes=("appeals:",),
        exports=("appeals.",),
    ),
    Module(
        "rural",
        "乡村振兴",
        "村集体经济台账、项目、第一书记、联建与结对、相关导出",
        routes=("rural:",),
        exports=("rural.",),
    ),
    Module(
        "contests",
        "项目路演",
        "大赛、参赛项目、评分表、结果",
        routes=("contests:",),
        exports=("contests.",),
    ),
    Module(
        "cadres",
        "队伍建设",
        "培训、挂职、择优选配、考核、相关导出",
        routes=("cadres:",),
        exports=("cadres.",),
    ),
    Module(
        "brands",
        "一街一品",
        "品牌墙、品牌详情、评审与评分表、品牌导出",
        routes=("brands:",),
        exports=("brands.",),
    ),
    Module(
        "stations",
        "暖心驿站",
        "驿站、骑士、积分、报告、相关导出（公开的驿站查询不需登录）",
        routes=("stations:",),
        exports=("stations.",),
    ),
    Module(
        "dashboard",
        "驾驶舱",
        "驾驶舱、大屏、图表数据",
        routes=("dashboard:",),
    ),
    Module(
        "api",
        "接口",
        "以令牌提交诉求（/api/v1/appeals 与 Open311 写入）",
        routes=("api:",),
    ),
    Module(
        "audit",
        "审计日志",
        "审计日志、链校验、审计导出",
        routes=("core:audit_",),
        exports=("core.audit",),
    ),
    Module(
        "accounts",
        "账号",
        "账号、授权、密码重置、账号导出",
        routes=("core:account_",),
        exports=("core.accounts",),
    ),
    Module(
        "proposals",
        "授权审批",
        "三员分立的授权与密码重置申请：一人提出、另一人批准",
        routes=("core:proposal_",),
    ),
)
MODULE_KEYS = tuple(m.key for m in MODULES)

_STAFF = {m: AREA for m in ("areas", "people", "party")}

# role -> module -> reach. The reading half of the matrix.
READS: dict[str, dict[str, str]] = {
    Role.DISTRICT_ADMIN: {
        **_STAFF,
        "appeals": AREA,
        "rural": AREA,
        "contests": AREA,
        "cadres": AREA,
        "brands": AREA,
        "stations": AREA,
        "dashboard": AREA,
        "api": AREA,
        "proposals": ALL,
    },
    Role.STREET_STAFF: {
        **_STAFF,
        "appeals": AREA,
        "rural": AREA,
        "contests": AREA,
        "cadres": AREA,
        "brands": AREA,
        "stations": AREA,
        "dashboard": AREA,
        "api": AREA,
    },
    Role.COMMUNITY_STAFF: {
        **_STAFF,
        "appeals": AREA,
        "rural": AREA,
        "contests": AREA,
        "cadres": AREA,
        "brands": AREA,
        "stations": AREA,
        "dashboard": AREA,
        "api": AREA,
    },
    Role.CHIEF_STEWARD: {
        **_STAFF,
        "appeals": AREA,
        "contests": AREA,
        "cadres": AREA,
        "brands": AREA,
        "stations": AREA,
        "dashboard": AREA,
        "api": AREA,
    },
    Role.GRID_STEWARD: {
        **_STAFF,
        "appeals": AREA,
        "contests": AREA,
        "cadres": AREA,
        "brands": AREA,
        "stations": AREA,
        "dashboard": AREA,
        "api": AREA,
    },
    Role.FIRST_SECRETARY: {
        **_STAFF,
        "rural": AREA,
        "contests": AREA,
        "cadres": AREA,
        "brands": AREA,
        "dashboard": AREA,
    },
    Role.SHARED_STEWARD: {"appeals": OWN},
    Role.RIDER: {"appeals": OWN, "stations": OWN},
    Role.JUDGE: {"contests": OWN, "brands": OWN},
    Role.AUDITOR: {"audit": ALL},
    Role.SECURITY_ADMIN: {"accounts": ALL, "proposals": ALL},
}

# role -> what it may do (the writing half; each app's permissions.py enforces it).
DOES: dict[str, str] = {
    Role.DISTRICT_ADMIN: "全区配置；编辑区域、人员、任职；派单、督办、接口令牌；"
    "大赛与品牌评选的设置；乡村、队伍、驿站的全部登记",
    Role.STREET_STAFF: "本街道：编辑区域与人员；派单、督办；乡村与队伍的组织工作；驿站登记",
    Role.COMMUNITY_STAFF: "本社区/村：编辑区域与人员；受理与派单；村台账；驿站登记",
    Role.CHIEF_STEWARD: "本社区：受理、派单、升级、排班；委派骑士到网格",
    Role.GRID_STEWARD: "本网格：受理、认领、办理诉求、走访",
    Role.FIRST_SECRETARY: "本村：项目登记；查看台账与培训",
    Role.SHARED_STEWARD: "办理交给自己的诉求（接单、处理、回复）",
    Role.RIDER: "上报问题；查看自己的报告、积分与驿站",
    Role.JUDGE: "为分配给自己的参赛项目与品牌评分",
    Role.AUDITOR: "查看并校验审计日志",
    Role.SECURITY_ADMIN: "管理账号、授权与密码策略（不看业务数据）",
}

# Routes every signed-in account may open whatever its modules (its own pages).
COMMON_ROUTES = (
    "core:home",
    "core:login",
    "core:logout",
    "core:password_change",
    "core:password_change_done",
    "core:otp_setup",
    "core:otp_verify",
    "core:export_jobs",
    "core:export_job_progress",
    "core:export_job_download",
    "core:list_export",
    "core:import_home",
    "core:import",
    "core:import_template",
)


def reach(role: str, module: str) -> str | None:
    """The reach of ``role`` over ``module``, or None when the module is closed to it."""
    if module not in MODULE_KEYS:
        raise ValueError(f"unknown module {module!r}")
    return READS.get(role, {}).get(module)


def area_roles(module: str) -> frozenset[str]:
    """Roles whose area assignment opens ``module``'s rows in that area subtree."""
    return frozenset(r for r in READS if reach(r, module) == AREA)


def reading_roles(module: str) -> frozenset[str]:
    """Roles that may open ``module`` at all (at any reach)."""
    return frozenset(r for r in READS if reach(r, module) is not None)


# Roles whose assignment opens area-wide reads in some module: the default of the scope's
# area queries. A judge, a rider and a shared steward are not among them, whatever area
# their assignment names.
AREA_ROLES = frozenset(r for r in READS if AREA in READS[r].values())


def module_of_route(name: str) -> Module | None:
    """The module that owns the URL name ``namespace:name`` (longest prefix wins)."""
    best, length = None, -1
    for module in MODULES:
        for prefix in module.routes:
            if name.startswith(prefix) and len(prefix) > length:
                best, length = module, len(prefix)
    return best


def module_of_export(key: str) -> Module | None:
    for module in MODULES:
        for prefix in module.exports:
            if key == prefix or (prefix.endswith(".") and key.startswith(prefix)):
                return module
    return None


def markdown_table() -> str:
    """The matrix as the Markdown tables of docs/scope.md: the modules, then the roles."""
    modules = ["| 模块 | 读取内容（页面、导出、接口、图表） |", "|---|---|"]
    modules += [f"| {m.label}（`{m.key}`） | {m.reads} |" for m in MODULES]
    head = "| 角色 | " + " | ".join(m.label for m in MODULES) + " | 可以做 |"
    rule = "|" + "---|" * (len(MODULES) + 2)
    lines = [head, rule]
    for role in Role:
        cells = [REACH_LABELS.get(READS.get(role, {}).get(m.key), "—") for m in MODULES]
        row = [f"{role.label}（`{role.value}`）", *cells, DOES[role]]
        lines.append("| " + " | ".join(row) + " |")
    return "\n".join(modules) + "\n\n" + "\n".join(lines)
