from jiceng.core.indicator_registry import CURRENT, UNTIL_YEAR, Figure, register

THEME = "红色物业·两新"


@register("party_orgs", "党组织数", unit="个", theme="基本情况", reads=CURRENT, order=6)
def party_orgs(*, area, period, user) -> Figure:
    from .selectors.orgs import party_org_list_visible_to

    return Figure(party_org_list_visible_to(user=user, under=area).count())


# ---- 红色物业 and 两新 coverage, demonstration points ------------------------------------------
# Coverage is a stock (the register as it stands), so the period does not narrow it; the
# demonstration points count those designated up to the period's year.


def _coverage(group: str):
    def compute(*, area, period, user) -> Figure:
        from .selectors.organizations import coverage_counts

        cell = coverage_counts(user=user, under=area, group=group)
        return Figure.share(cell.covered, cell.total)

    return compute


register(
    "property_party_coverage",
    "物业企业党组织覆盖率",
    unit="%",
    theme=THEME,
    reads=CURRENT,
    order=200,
)(_coverage("property"))
register(
    "two_new_party_coverage",
    "两新组织党组织覆盖率",
    unit="%",
    theme=THEME,
    reads=CURRENT,
    order=201,
)(_coverage("two_new"))


def _points(level: str | None):
    def compute(*, area, period, user) -> Figure:
        from .selectors.organizations import point_list_visible_to

        points = point_list_visible_to(
            user=user, under=area, level=level or "", until_year=period.year
        )
        return Figure(points.count())

    return compute


register(
    "demonstration_points",
    "两新组织党建工作示范点",
    unit="个",
    theme=THEME,
    reads=UNTIL_YEAR,
    order=202,
)(_points(None))
register(
    "demonstration_points_province",
    "省级示范点",
    unit="个",
    theme=THEME,
    reads=UNTIL_YEAR,
    order=203,
)(_points("province"))
register(
    "demonstration_points_city", "市级示范点", unit="个", theme=THEME, reads=UNTIL_YEAR, order=204
)(_points("city"))
register(
    "demonstration_points_district",
    "区级示范点",
    unit="个",
    theme=THEME,
    reads=UNTIL_YEAR,
    order=205,
)(_points("district"))
