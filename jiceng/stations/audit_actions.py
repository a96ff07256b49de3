"""The stations' audit actions in Chinese (see ``jiceng.core.audit_labels``)."""

from jiceng.core.audit_labels import register_audit_actions

register_audit_actions(
    {
        "stations.appoint": "聘任兼职网格员",
        "stations.appointment_end": "结束聘任",
        "stations.checkin": "驿站签到",
        "stations.points_grant": "发放积分",
        "stations.recognition_award": "评选表彰",
        "stations.rider_register": "骑手登记",
        "stations.rider_update": "修改骑手信息",
        "stations.station_create": "新建暖心驿站",
        "stations.station_update": "修改暖心驿站",
        "stations.export": "导出骑手与驿站",
    }
)
