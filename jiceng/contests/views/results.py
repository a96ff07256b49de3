"""Results: the ranking page, the live big screen (1920×1080, polled by htmx) and the
Excel export. A street sees its own entries' rows; a judge sees none of this."""

from urllib.parse import urlencode

from django.http import HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from jiceng.core.errors import PermissionDenied
from jiceng.core.excel import xlsx_file_response
from jiceng.core.views.base import is_htmx

from .. import selectors, services
from ..permissions import can
from .common import ContestsView

# The big screen asks for the board this often (milliseconds are not needed: htmx takes
# "every Ns").
SCREEN_POLL_SECONDS = 3
# Rows the 1080-pixel-high screen holds; more entries scroll off the bottom, best first.
SCREEN_ROWS = 16


class _ResultsView(ContestsView):
    def _round(self, request, pk):
        rnd = selectors.round_get_for(user=request.user, pk=pk)
        if not selectors.ranking_visible_to(user=request.user, rnd=rnd):
            raise PermissionDenied(_("评委只能查看分配给自己的评审项目，不能查看排名。"))
        return rnd


class RankingView(_ResultsView):
    def get(self, request, pk):
        rnd = self._round(request, pk)
        ranking = selectors.round_ranking(user=request.user, rnd=rnd)
        return render(
            request,
            "contests/ranking.html",
            {
                "round": rnd,
                "contest": rnd.contest,
                "ranking": ranking,
                "is_admin": can(request.user, "manage", rnd.contest),
            },
        )


def _screen_context(request, rnd) -> dict:
    ranking = selectors.round_ranking(user=request.user, rnd=rnd)
    return {
        "round": rnd,
        "contest": rnd.contest,
        "ranking": ranking,
        "rows": ranking.rows[:SCREEN_ROWS],
        "poll": SCREEN_POLL_SECONDS,
    }


class ScreenView(_ResultsView):
    def get(self, request, pk):
        rnd = self._round(request, pk)
        return render(request, "contests/screen.html", _screen_context(request, rnd))


@method_decorator(never_cache, name="dispatch")
class ScreenBoardView(_ResultsView):
    """The board of the big screen alone, for htmx to swap in every few seconds."""

    def dispatch(self, request, *args, **kwargs):
        # Polled after the session ran out, the board would swap the login form into the
        # screen; send the whole page to the login instead, and back here after it.
        if not request.user.is_authenticated and is_htmx(request):
            screen = reverse("contests:screen", kwargs=kwargs)
            response = HttpResponse(status=204)
            response["HX-Redirect"] = f"{reverse('core:login')}?{urlencode({'next': screen})}"
            return response
        return super().dispatch(request, *args, **kwargs)

    def get(self, request, pk):
        rnd = self._round(request, pk)
        return render(request, "contests/_screen_board.html", _screen_context(request, rnd))


class ExportView(_ResultsView):
    http_method_names = ["post"]

    def post(self, request, pk):
        rnd = self._round(request, pk)
        filename, content = services.ranking_export(by=request.user, rnd=rnd)
        return xlsx_file_response(filename=filename, content=content)
