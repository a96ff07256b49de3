"""The cadres' audit actions in Chinese (see ``jiceng.core.audit_labels``)."""

from jiceng.core.audit_labels import register_audit_actions

register_audit_actions(
    {
        "cadres.application_appoint": "任命人选",
        "cadres.application_score": "选配评分",
        "cadres.application_submit": "提交报名",
        "cadres.assessment_record": "登记考核",
        "cadres.attendance_record": "登记培训出勤",
        "cadres.batch_create": "新建挂职批次",
        "cadres.criterion_add": "添加评分项",
        "cadres.enrolment_create": "培训报名",
        "cadres.mentor_task_add": "添加帮带任务",
        "cadres.mentor_task_update": "更新帮带任务",
        "cadres.programme_create": "新建培训计划",
        "cadres.review_record": "登记评议",
        "cadres.round_appoint": "任命拟任人选",
        "cadres.round_create": "新建选配轮次",
        "cadres.round_publicize": "发布公示",
        "cadres.round_rank": "选配排名",
        "cadres.round_screen": "资格筛查",
        "cadres.scheme_create": "新建评分方案",
        "cadres.secondee_add": "添加挂职干部",
        "cadres.selection_post_add": "添加选配岗位",
        "cadres.session_create": "新建培训场次",
        "cadres.study_item_add": "添加学习计划项",
        "cadres.study_item_update": "更新学习计划项",
        "cadres.training_hours_export": "导出培训学时",
        "cadres.export": "导出队伍建设",
    }
)
