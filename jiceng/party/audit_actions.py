"""The party app's audit actions in Chinese (see ``jiceng.core.audit_labels``)."""

from jiceng.core.audit_labels import register_audit_actions

register_audit_actions(
    {
        "party.activity.checkin": "活动签到",
        "party.activity.create": "新建活动",
        "party.activity.signup": "活动报名",
        "party.center.create": "新建党群服务中心",
        "party.center.update": "修改党群服务中心",
        "party.measure.add": "添加创建措施",
        "party.measure.progress": "更新措施进度",
        "party.organization.create": "新建党组织",
        "party.organization.update": "修改党组织",
        "party_org.create": "新建党组织",
        "party_org.update": "修改党组织",
        "party.point.designate": "命名示范点",
        "party.point.update": "修改示范点",
        "party.export": "导出党组织",
    }
)
