"""The stations' lists as spreadsheets (see ``jiceng.core.exports``): the warm stations and
the riders, each through the page's own selector and filters. Phones are masked as on the
page; the station's private contact is not exported."""

from django.utils import timezone

from jiceng.core.exports import Column, ListExport, register_export
from jiceng.core.masking import mask_phone

from .forms import rider_filters, station_filters
from .permissions import can
from .selectors import rider_list_visible_to, station_list_visible_to


def _street(station) -> str:
    area = station.area
    return area.parent.name if area.parent_id and len(area.code) > 9 else area.name


def _open_now(station) -> str:
    return "是" if station.is_open_at(timezone.now()) else "否"


register_export(
    ListExport(
        key="stations.stations",
        title="暖心驿站",
        columns=(
            Column("驿站名称", lambda s: s.name),
            Column("街道", _street),
            Column("所在区域", lambda s: s.area.name),
            Column("地址", lambda s: s.address),
            Column("经度", lambda s: s.lng),
            Column("纬度", lambda s: s.lat),
            Column("开放时间", lambda s: "；".join(f"{d} {h}" for d, h in s.hours_rows())),
            Column("当前开放", _open_now),
            Column("服务设施", lambda s: "、".join(label for _, label in s.amenity_labels())),
            Column("承办单位", lambda s: s.host_name),
            Column("对外服务电话", lambda s: s.public_phone),
            Column("启用", lambda s: "是" if s.active else "否"),
            Column("今日签到", lambda s: s.checkins_today),
        ),
        rows=lambda *, user, params: station_list_visible_to(user=user, **station_filters(params)),
        allowed=lambda user: can(user, "view"),
    )
)

register_export(
    ListExport(
        key="stations.riders",
        title="骑士兼职网格员",
        columns=(
            Column("姓名", lambda r: r.name),
            Column("手机号", lambda r: mask_phone(r.phone)),
            Column("平台", lambda r: r.get_platform_display()),
            Column("所属区域", lambda r: r.area.name),
            Column("兼职网格", lambda r: r.grid_name or ""),
            Column("聘任日期", lambda r: r.grid_since),
            Column("累计积分", lambda r: r.points_total),
            Column("在册", lambda r: "是" if r.active else "否"),
        ),
        rows=lambda *, user, params: rider_list_visible_to(user=user, **rider_filters(params)),
        allowed=lambda user: can(user, "view"),
    )
)
