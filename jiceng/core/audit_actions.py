"""The core's audit actions and the pages an auditor may follow from the log."""

from django.urls import reverse

from .audit_labels import register_audit_actions, register_audit_fields, register_audit_link
from .permissions import can

register_audit_actions(
    {
        "auth.login": "登录",
        "auth.login_failed": "登录失败",
        "auth.logout": "退出登录",
        "account.create": "新建账号",
        "account.activate": "启用/停用账号",
        "account.password_change": "修改密码",
        "account.password_reset": "重置密码",
        "account.role_assign": "授予角色",
        "account.role_end": "收回角色",
        "account.unlock": "解除锁定",
        "area.create": "新建区域",
        "area.update": "修改区域",
        "area.import": "导入区划",
        "person.create": "新建人员",
        "person.update": "修改人员",
        "person.reveal": "查看明文",
        "post.create": "任职登记",
        "post.end": "离任登记",
        "core.export": "导出 Excel（人员与账号）",
        "core.import": "Excel 导入",
        "demo.load": "加载演示数据",
        "account.person_lookup": "按身份证号查找人员",
        "account.proposal_create": "提出账号变更",
        "account.proposal_approve": "批准账号变更",
        "account.proposal_reject": "驳回账号变更",
        "account.proposal_withdraw": "撤回账号变更",
        "person.search_by_identifier": "按证件号/手机号查询",
        "auth.otp_enrol": "绑定身份验证器",
        "auth.otp_enrol_failed": "绑定身份验证器失败",
        "auth.otp_verified": "动态验证码通过",
        "auth.otp_failed": "动态验证码错误",
        "auth.otp_recovery_used": "使用恢复码",
        "auth.otp_recovery_regenerated": "重新生成恢复码",
        "auth.otp_reset": "重置身份验证器",
        "crypto.reencrypt": "重新加密字段",
    }
)

register_audit_fields(
    {
        "field": "查看字段",
        "rows": "行数",
        "list": "列表",
        "key": "列表",
        "params": "筛选条件",
        "created": "新建",
        "before": "之前",
        "after": "之后",
        "username": "用户名",
        "role": "角色",
        "scope": "范围",
        "reason": "原因",
        # What ``demo.load`` counts, by kind of row and by demo part.
        "areas": "区划",
        "streets": "街道",
        "communities": "社区",
        "villages": "村",
        "grids": "网格",
        "compounds": "小区",
        "buildings": "楼栋",
        "aliases": "小区别名",
        "people": "人员",
        "posts": "职务",
        "party_orgs": "党组织",
        "users": "账号",
        "role_assignments": "角色授权",
        "coverage": "覆盖记录",
        "appeals": "接诉即办",
        "party": "红色物业·两新",
        "rural": "乡村振兴",
        "cadres": "队伍建设",
        "brands": "一街一品",
        "contests": "项目路演大赛",
        "stations": "暖心驿站",
    }
)

register_audit_link(
    "core.user",
    url=lambda pk: reverse("core:account_detail", args=[pk]),
    visible=lambda user: can(user, "manage_accounts"),
)
register_audit_link(
    "core.person",
    url=lambda pk: reverse("core:person_detail", args=[pk]),
    visible=lambda user: can(user, "view_business"),
)
