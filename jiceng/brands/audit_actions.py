"""The brands' audit actions in Chinese (see ``jiceng.core.audit_labels``)."""

from jiceng.core.audit_labels import register_audit_actions

register_audit_actions(
    {
        "brands.brand_create": "新建社区党建品牌",
        "brands.brand_update": "修改社区党建品牌",
        "brands.campaign_create": "新建一街一品活动",
        "brands.campaign_update": "修改一街一品活动",
        "brands.campaign_status": "变更活动阶段",
        "brands.criterion_add": "添加评价指标",
        "brands.criterion_remove": "删除评价指标",
        "brands.evaluation_submit": "提交品牌评价",
        "brands.panel_add": "添加评审",
        "brands.panel_remove": "移除评审",
        "brands.photo_add": "上传品牌照片",
        "brands.photo_remove": "删除品牌照片",
        "brands.export": "导出品牌",
    }
)
