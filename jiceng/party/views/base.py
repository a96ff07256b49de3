"""What every party page shares: who may see party data and the query-string filters."""

from jiceng.core.models import Area
from jiceng.core.views.base import AppView

from .. import filters
from ..permissions import can


class PartyView(AppView):
    denied_message = "审计管理员和安全管理员不能查看党组织数据。"

    def allowed(self, user) -> bool:
        return can(user, "view")


def area_from_query(request) -> Area | None:
    """The ``area`` of the query string, within the user's scope (404 otherwise)."""
    return filters.area_of(user=request.user, params=request.GET)


def year_from_query(text: str) -> int | None:
    return int(text) if len(text) == 4 and text.isascii() and text.isdigit() else None
