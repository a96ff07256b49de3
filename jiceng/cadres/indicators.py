"""The cadres app's indicators: secondees serving and training hours attended."""

from jiceng.core.indicator_registry import Figure, register

THEME = "队伍建设"


@register("secondees", "挂职交流人员", unit="人", theme=THEME, order=400)
def secondees(*, area, period, user) -> Figure:
    """Secondees hosted under ``area`` whose secondment (the batch's dates) overlaps the
    period; withdrawn ones are not counted."""
    from .selectors import secondee_list_visible_to

    return Figure(secondee_list_visible_to(user=user, under=area, period=period).count())


@register("training_hours", "培训学时", unit="学时", theme=THEME, order=410)
def training_hours(*, area, period, user) -> Figure:
    """Hours of the sessions held in the period that people of ``area`` attended."""
    from .selectors import training_hours_total

    return Figure(training_hours_total(user=user, area=area, period=period))
