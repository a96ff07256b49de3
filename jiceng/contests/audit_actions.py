"""The contests' audit actions in Chinese (see ``jiceng.core.audit_labels``)."""

from jiceng.core.audit_labels import register_audit_actions

register_audit_actions(
    {
        "contests.award_band_add": "添加奖项档次",
        "contests.award_band_delete": "删除奖项档次",
        "contests.contest_create": "新建路演大赛",
        "contests.criterion_add": "添加评分项",
        "contests.criterion_delete": "删除评分项",
        "contests.entry_create": "新建参赛项目",
        "contests.export": "导出大赛成绩",
        "contests.round_add": "新建比赛轮次",
        "contests.round_advance": "晋级下一轮",
        "contests.round_entry_add": "项目加入轮次",
        "contests.round_judge_add": "添加评委",
        "contests.round_status": "变更轮次状态",
        "contests.sheet_assign": "分配评分表",
        "contests.sheet_correct": "更正评分",
        "contests.sheet_save": "保存评分",
        "contests.sheet_submit": "提交评分",
        "contests.sheet_unassign": "撤回评分表",
        "contests.tie_break_set": "设定并列名次",
    }
)
