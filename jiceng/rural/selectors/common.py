"""What every rural read shares: the scope condition, the ledger year of a period and the
date as of which a year's team facts are read."""

from datetime import date

from django.db.models import Q
from django.utils import timezone

from jiceng.core.indicator_registry import Period
from jiceng.core.scope import scope_of

from ..permissions import RURAL_ROLES


def rural_q(user, field: str = "area__code") -> Q:
    """Rows whose area lies in the scope of the user's rural roles."""
    return scope_of(user).areas_q(field, roles=RURAL_ROLES)


def year_end(year: int) -> date:
    """The day a year's facts (teams, designations) are read on: 31 December, or today
    while the year is still running."""
    return min(date(year, 12, 31), timezone.localdate())


def age_on(born: date, on: date) -> int:
    return on.year - born.year - ((on.month, on.day) < (born.month, born.day))


def ledger_year_of(period: Period, latest: int | None) -> int | None:
    """The ledger year a period selects. The ledger is yearly: YYYY and YYYY-MM both select
    that year; all time selects the latest year with data (``latest``)."""
    if period.is_all_time:
        return latest
    return period.start.year


def rural_area_for(*, user, code: str | None):
    """The area a rural page looks at: ``code`` when it lies in the user's rural scope,
    else the first root of that scope (the district for a superuser); None without one."""
    from jiceng.core.models import Area

    visible = Area.objects.filter(rural_q(user, "code"))
    if code:
        area = visible.filter(code=code).first()
        if area is not None:
            return area
    scope = scope_of(user)
    if scope.is_superuser:
        return Area.objects.filter(parent__isnull=True).order_by("code").first()
    roots = scope.area_codes(RURAL_ROLES)
    return Area.objects.filter(code__in=roots).order_by("code").first()


def area_choices(*, user, roles=RURAL_ROLES, kinds=None):
    """Areas of the given kinds (default: district, street, village) in the scope of
    ``roles``, for selects."""
    from jiceng.core.models import Area, AreaKind

    kinds = kinds or (AreaKind.DISTRICT, AreaKind.STREET, AreaKind.VILLAGE)
    return (
        Area.objects.filter(scope_of(user).areas_q("code", roles=roles))
        .filter(kind__in=kinds)
        .only("code", "name", "kind", "parent_id")
        .order_by("code")
    )


def area_get_visible(*, user, code: str):
    """The area with this code in the user's rural scope, else ``NotFound``."""
    from jiceng.core.errors import NotFound
    from jiceng.core.models import Area

    area = Area.objects.filter(rural_q(user, "code")).filter(code=code).first()
    if area is None:
        raise NotFound("区域不存在或不在您的管辖范围内。")
    return area
