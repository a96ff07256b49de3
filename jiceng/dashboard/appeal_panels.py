"""The appeals' panels of the cockpit: volume, categories, three rates, hot spots, the grid
heat map, overdue and supervised appeals, stewards' workload.

The counts behind the rates, volume, categories and hot spots come from the rollups
through ``jiceng.appeals.stats.selectors``; the open-appeal lists and the workload from
``jiceng.appeals.selectors`` (bounded: open appeals only, indexed). Each build function
takes the acting user and reads only through those scoped selectors.
"""

from collections import defaultdict
from datetime import date

from django.urls import reverse
from django.utils import timezone

from jiceng.appeals import selectors as appeal_selectors
from jiceng.appeals.permissions import AREA_ROLES, STEWARD_ROLES
from jiceng.appeals.permissions import can as appeals_can
from jiceng.appeals.stats import selectors as stats
from jiceng.core.models import AreaKind
from jiceng.core.roles import Role
from jiceng.core.scope import scope_of

from .panels import chart, empty, figures, grid_map, percent, register_panel, table
from .periods import bucket_label, bucket_of, bucket_start, buckets

LIST_ROWS = 8
CATEGORY_SLICES = 8
RANKING_ROLES = frozenset(
    {Role.DISTRICT_ADMIN, Role.STREET_STAFF, Role.COMMUNITY_STAFF, Role.CHIEF_STEWARD}
)
# Areas whose children are ranked: below a community the grids are the map's business.
RANKED_KINDS = {AreaKind.DISTRICT, AreaKind.STREET, AreaKind.COMMUNITY, AreaKind.VILLAGE}
NO_APPEALS = "本期暂无诉求数据"


def _sees_area_stats(user) -> bool:
    return scope_of(user).has_role(*AREA_ROLES)


def _sees_rankings(user) -> bool:
    return scope_of(user).has_role(*RANKING_ROLES)


def _sees_open_work(user) -> bool:
    return appeals_can(user, "view")


def _sees_workload(user) -> bool:
    return scope_of(user).has_role(*(AREA_ROLES | STEWARD_ROLES))


def _rate_text(value) -> str:
    pct = percent(value)
    return "—" if pct is None else f"{pct:.1f}"


def _day(value: date | str) -> date:
    return value if isinstance(value, date) else date.fromisoformat(str(value))


# ---- the builds ---------------------------------------------------------------------------


def rates_panel(*, user, area, period) -> dict:
    r = stats.rates_for(user=user, area=area, period=period)
    return figures(
        [
            ("受理诉求", r.received, "件"),
            ("响应率", _rate_text(r.response_rate), "%"),
            ("解决率", _rate_text(r.resolution_rate), "%"),
            ("满意率", _rate_text(r.satisfaction_rate), "%"),
            (
                "综合得分",
                "—" if r.composite_score is None else f"{float(r.composite_score):.1f}",
                "分",
            ),
            ("超期诉求", r.overdue, "件"),
        ]
    )


def volume_panel(*, user, area, period) -> dict:
    rows = stats.volume_series(user=user, area=area, start=period.start, end=period.end)
    if not rows:
        return empty(NO_APPEALS)
    bucket = bucket_of(period)
    days = buckets(period)
    index = {d: i for i, d in enumerate(days)}
    counts: dict[str, list[int]] = defaultdict(lambda: [0] * len(days))
    for row in rows:
        start = bucket_start(_day(row["day"]), bucket)
        if start in index:
            counts[row["key"]][index[start]] += row["count"]
    ordered = sorted(counts.items(), key=lambda kv: -sum(kv[1]))
    return chart(
        {
            "tooltip": {"trigger": "axis"},
            "legend": {"type": "scroll", "top": 0},
            "grid": {"left": 40, "right": 16, "top": 52, "bottom": 28},
            "xAxis": {"type": "category", "data": [bucket_label(d, bucket) for d in days]},
            "yAxis": {"type": "value", "name": "件", "minInterval": 1},
            "series": [
                {"name": key, "type": "bar", "stack": "total", "data": values}
                for key, values in ordered
            ],
        }
    )


def categories_panel(*, user, area, period) -> dict:
    totals = [
        (label, n) for label, n in stats.category_totals(user=user, area=area, period=period) if n
    ]
    if not totals:
        return empty(NO_APPEALS)
    head, rest = totals[:CATEGORY_SLICES], totals[CATEGORY_SLICES:]
    data = [{"name": label, "value": n} for label, n in head]
    if rest:
        data.append({"name": "其他", "value": sum(n for _, n in rest)})
    return chart(
        {
            "tooltip": {"trigger": "item", "formatter": "{b}：{c} 件（{d}%）"},
            "legend": {"type": "scroll", "orient": "vertical", "right": 0, "top": "middle"},
            "series": [
                {
                    "name": "诉求分类",
                    "type": "pie",
                    "radius": ["38%", "68%"],
                    "center": ["36%", "52%"],
                    "label": {"show": False},
                    "data": data,
                }
            ],
        }
    )


def rates_by_area_panel(*, user, area, period) -> dict:
    if area.kind not in RANKED_KINDS:
        return empty("网格一级不再分区域排名，请查看网格热力图。")
    rows = [
        (child, r)
        for child, r in stats.rates_by_child(user=user, area=area, period=period)
        if r.received
    ]
    if not rows:
        return empty(NO_APPEALS)
    # "春元里社区第1网格" under 春元里社区 reads "第1网格": the axis has little room.
    names = [child.name.removeprefix(area.name) or child.name for child, _ in rows]
    series = [
        ("响应率", [percent(r.response_rate) for _, r in rows]),
        ("解决率", [percent(r.resolution_rate) for _, r in rows]),
        ("满意率", [percent(r.satisfaction_rate) for _, r in rows]),
    ]
    return chart(
        {
            "tooltip": {"trigger": "axis"},
            "legend": {"top": 0},
            "grid": {"left": 40, "right": 16, "top": 36, "bottom": 64},
            "xAxis": {
                "type": "category",
                "data": names,
                "axisLabel": {
                    "interval": 0,
                    "rotate": 40 if len(names) > 4 or max(map(len, names)) > 5 else 0,
                },
            },
            "yAxis": {
                "type": "value",
                "min": 0,
                "max": 100,
                "axisLabel": {"formatter": "{value}%"},
            },
            "dataZoom": [{"type": "inside"}] if len(names) > 20 else [],
            "series": [{"name": n, "type": "bar", "data": d} for n, d in series],
        }
    )


def grid_map_panel(*, user, area, period) -> dict:
    if area.kind == AreaKind.GRID:
        rows = [(area, stats.rates_for(user=user, area=area, period=period))]
    else:
        rows = stats.rates_by_child(user=user, area=area, period=period, kind=AreaKind.GRID)
    if not rows:
        return empty("本区域暂无网格")
    data = [{"name": grid.code, "value": r.received, "title": grid.name} for grid, r in rows]
    top = max((d["value"] for d in data), default=0)
    return grid_map(
        f"grids-{area.code}",
        f"{reverse('dashboard:geo')}?area={area.code}",
        {
            "tooltip": {"trigger": "item"},
            "visualMap": {
                "min": 0,
                "max": max(top, 1),
                "left": 8,
                "bottom": 8,
                "text": ["多", "少"],
                "calculable": True,
                "inRange": {"color": ["#e0f3f8", "#fee090", "#f46d43", "#a50026"]},
            },
            "series": [
                {
                    "name": "诉求量",
                    "type": "map",
                    "map": f"grids-{area.code}",
                    "roam": True,
                    "label": {"show": False},
                    "itemStyle": {"borderColor": "#6c757d", "borderWidth": 0.5},
                    "emphasis": {"label": {"show": False}},
                    "data": data,
                }
            ],
        },
    )


def hot_spots_panel(*, user, area, period) -> dict:
    rows = stats.hot_spots(user=user, area=area, period=period, limit=10)
    if not rows:
        return empty("本期没有比上期诉求增多的网格或分类")
    kinds = {"compound": "小区", "grid": "网格", "community": "社区", "category": "分类"}
    return table(
        ["类型", "名称", "本期", "上期", "增加"],
        [
            [kinds.get(r["kind"], r["kind"]), r["label"], r["count"], r["previous"], r["rise"]]
            for r in rows
        ],
        note="与上一同长度统计期相比",
    )


def overdue_panel(*, user, area, period) -> dict:
    """Overdue and supervised appeals open now (the period does not apply to open work)."""
    now = timezone.now()
    overdue = appeal_selectors.appeal_list_visible_to(
        user=user, queue="overdue", area=area, now=now
    )
    supervised = appeal_selectors.appeal_list_visible_to(
        user=user, queue="supervised", area=area, now=now
    )
    n_overdue, n_supervised = overdue.count(), supervised.count()
    if not n_overdue and not n_supervised:
        return empty("当前没有超期或督办中的诉求")
    seen, rows = set(), []
    for label, qs in (("超期", overdue), ("督办", supervised)):
        for a in qs[:LIST_ROWS]:
            if a.pk in seen:
                continue
            seen.add(a.pk)
            due = a.resolve_due_at or a.response_due_at
            rows.append(
                [
                    f"{label}·督办" if label == "超期" and a.supervised else label,
                    a.code,
                    a.title or a.description[:20],
                    a.area.name,
                    a.owner.name if a.owner_id else "—",
                    timezone.localtime(due).strftime("%m-%d %H:%M") if due else "—",
                ]
            )
    return table(
        ["类别", "受理编号", "标题", "属地", "承办人", "期限"],
        rows,
        note=f"当前超期 {n_overdue} 件，督办中 {n_supervised} 件",
    )


def workload_panel(*, user, area, period) -> dict:
    rows = appeal_selectors.workload_by_owner(user=user, area=area, limit=15)
    if not rows:
        return empty("当前没有在办诉求")
    rows = list(reversed(rows))  # ECharts draws a category axis bottom-up
    return chart(
        {
            "tooltip": {"trigger": "axis", "axisPointer": {"type": "shadow"}},
            "legend": {"top": 0},
            "grid": {"left": 8, "right": 24, "top": 30, "bottom": 8, "containLabel": True},
            "xAxis": {"type": "value", "minInterval": 1},
            "yAxis": {"type": "category", "data": [r.name for r in rows]},
            "series": [
                {"name": "在办", "type": "bar", "data": [r.open for r in rows]},
                {"name": "其中超期", "type": "bar", "data": [r.overdue for r in rows]},
            ],
        }
    )


def register_appeal_panels() -> None:
    register_panel(
        "appeal_rates", "三率概览", 10, _sees_area_stats, rates_panel, screen_slot="left1"
    )
    register_panel(
        "appeal_volume",
        "诉求量走势（按渠道）",
        30,
        _sees_area_stats,
        volume_panel,
        wide=True,
        screen_slot="centre3",
    )
    register_panel(
        "appeal_grid_map",
        "网格诉求热力图",
        40,
        _sees_area_stats,
        grid_map_panel,
        screen_slot="centre",
    )
    register_panel(
        "appeal_categories",
        "诉求分类分布",
        20,
        _sees_area_stats,
        categories_panel,
        screen_slot="left2",
    )
    register_panel(
        "appeal_rates_by_area",
        "三率对比（下级区域）",
        50,
        _sees_rankings,
        rates_by_area_panel,
        screen_slot="left3",
    )
    register_panel(
        "appeal_hot_spots",
        "热点：诉求上升的网格和分类",
        60,
        _sees_area_stats,
        hot_spots_panel,
        screen_slot="right1",
    )
    register_panel(
        "appeal_overdue",
        "超期与督办诉求",
        70,
        _sees_open_work,
        overdue_panel,
        screen_slot="right2",
    )
    register_panel(
        "appeal_workload",
        "管家工作量（在办诉求）",
        80,
        _sees_workload,
        workload_panel,
        screen_slot="right3",
    )
