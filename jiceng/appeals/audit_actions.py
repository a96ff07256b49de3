"""The appeals' audit actions in Chinese (see ``jiceng.core.audit_labels``)."""

from jiceng.core.audit_labels import register_audit_actions

register_audit_actions(
    {
        "appeals.submit": "提交诉求",
        "appeal.reveal_phone": "查看诉求人电话",
        "appeals.dispatch": "派单",
        "appeals.claim": "认领诉求",
        "appeals.accept": "接单",
        "appeals.contact": "已联系诉求人",
        "appeals.hand": "转交共享管家",
        "appeals.pause": "挂起",
        "appeals.resume": "恢复办理",
        "appeals.add_info": "补充信息",
        "appeals.note": "办理备注",
        "appeals.resolve": "办结",
        "appeals.reject": "退回",
        "appeals.rate": "群众评价",
        "appeals.reopen": "重新办理",
        "appeals.close": "关闭诉求",
        "appeals.warn": "临期预警",
        "appeals.escalate": "升级督办",
        "appeals.import": "导入诉求",
        "appeals.export": "导出诉求",
        "appeals.roster_create": "新建值班表",
        "appeals.roster_update": "修改值班表",
        "appeals.token_issue": "签发接口令牌",
    }
)
