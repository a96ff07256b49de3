"""The party organizations as a spreadsheet (see ``jiceng.core.exports``): the tree page's
selector, with each organization's level below the top one the user sees."""

from jiceng.core.exports import Column, ListExport, register_export

from .permissions import can
from .selectors import orgs as selectors


def _orgs(*, user, params):
    orgs = selectors.party_org_tree_visible_to(user=user)
    top = min((org.depth for org in orgs), default=0)
    for org in orgs:
        org.indent = org.depth - top
    return orgs


register_export(
    ListExport(
        key="party.orgs",
        title="党组织",
        columns=(
            Column("名称", lambda o: o.name),
            Column("层级", lambda o: o.indent + 1),
            Column("类型", lambda o: o.get_kind_display()),
            Column("所在区域", lambda o: o.area.name if o.area else ""),
            Column("区域编码", lambda o: o.area.code if o.area else ""),
            Column("下级组织", lambda o: o.child_count),
        ),
        rows=_orgs,
        allowed=lambda user: can(user, "view"),
    )
)


# ---- the two-new organizations register and its coverage (organizations/) ---------------


def _organizations(*, user, params):
    from . import filters
    from .selectors.organizations import organization_list_visible_to

    area = filters.area_of(user=user, params=params)
    return organization_list_visible_to(
        user=user, under=area, **filters.organization_filters(params)
    )


register_export(
    ListExport(
        key="party.organizations",
        title="两新组织与物业企业名册",
        columns=(
            Column("名称", lambda o: o.name),
            Column("类型", lambda o: o.get_kind_display()),
            Column("统一社会信用代码", lambda o: o.credit_code),
            Column("注册区域", lambda o: o.area.name),
            Column("注册地址", lambda o: o.address),
            Column("从业人员", lambda o: o.employees),
            Column("正式党员", lambda o: o.full_members),
            Column("党组织状态", lambda o: o.get_party_status_display()),
            Column("所属党组织", lambda o: o.party_org.name if o.party_org_id else ""),
            Column("按规定覆盖", lambda o: "是" if o.is_covered else "否"),
            Column("应单独建立党组织", lambda o: "是" if o.must_build_own_branch else "否"),
        ),
        rows=_organizations,
        allowed=lambda user: can(user, "view"),
    )
)


def _coverage(*, user, params):
    from . import filters
    from .selectors.organizations import coverage_by_street

    rows, total = coverage_by_street(user=user, under=filters.area_of(user=user, params=params))
    return [*rows, total]


def _cell(group: str, attr: str):
    return lambda r: getattr(r.cells[group], attr)


register_export(
    ListExport(
        key="party.coverage",
        title="党组织覆盖情况",
        columns=(
            Column("街道", lambda r: r.area.name if r.area else "合计"),
            Column("物业企业", _cell("property", "total")),
            Column("物业企业已覆盖", _cell("property", "covered")),
            Column("物业企业覆盖率", _cell("property", "percent")),
            Column("两新组织", _cell("two_new", "total")),
            Column("两新组织已覆盖", _cell("two_new", "covered")),
            Column("两新组织覆盖率", _cell("two_new", "percent")),
            Column(
                "应单独建立党组织",
                lambda r: r.cells["property"].must_build + r.cells["two_new"].must_build,
            ),
            Column(
                "未被党组织覆盖",
                lambda r: r.cells["property"].uncovered + r.cells["two_new"].uncovered,
            ),
        ),
        rows=_coverage,
        allowed=lambda user: can(user, "view"),
    )
)
