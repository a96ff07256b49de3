"""The rural app's audit actions in Chinese (see ``jiceng.core.audit_labels``)."""

from jiceng.core.audit_labels import register_audit_actions

register_audit_actions(
    {
        "rural.alliance_create": "新建服务联盟",
        "rural.alliance_member_add": "联盟加入成员",
        "rural.alliance_member_remove": "联盟移除成员",
        "rural.contribution_add": "登记项目贡献",
        "rural.first_secretary_dispatch": "选派第一书记",
        "rural.first_secretary_recall": "召回第一书记",
        "rural.income_create": "登记集体收入",
        "rural.income_delete": "删除集体收入",
        "rural.income_update": "修改集体收入",
        "rural.ledger_export": "导出集体经济台账",
        "rural.ledger_import": "导入集体经济台账",
        "rural.milestone_create": "添加项目节点",
        "rural.milestone_progress": "更新节点进度",
        "rural.pairing_create": "新建结对",
        "rural.pairing_end": "结束结对",
        "rural.project_create": "新建引进项目",
        "rural.project_note": "项目备注",
        "rural.project_photo_add": "上传项目照片",
        "rural.project_status": "变更项目状态",
        "rural.project_update": "修改引进项目",
        "rural.supporter_create": "新建帮扶单位",
        "rural.training_attendance": "登记培训出勤",
        "rural.training_schedule": "安排培训",
        "rural.village_profile_save": "保存村情",
        "rural.export": "导出乡村振兴",
    }
)
