"""The cadres home: one card per module of 经纬雁阵."""

from django.shortcuts import render
from django.utils import timezone

from .. import selectors
from ..models import RoundStatus
from ..permissions import can
from .base import CadresView


class CadresHomeView(CadresView):
    def get(self, request):
        user = request.user
        personnel = can(user, "view_personnel")
        programmes = list(selectors.programme_list_visible_to(user=user)[:6])
        batches = list(selectors.batch_list_visible_to(user=user)[:3])
        latest = batches[0] if batches else None
        secondees = selectors.secondee_list_for_batch(user=user, batch=latest) if latest else []
        progress = round(sum(s.progress for s in secondees) / len(secondees)) if secondees else None
        context = {
            "programmes": programmes,
            "recent_sessions": selectors.session_recent_for(user=user, on=timezone.localdate()),
            "batches": batches,
            "latest_batch": latest,
            "latest_secondees": secondees,
            "latest_progress": progress,
            "personnel": personnel,
        }
        if personnel:
            rounds = list(selectors.round_list_visible_to(user=user)[:5])
            context["rounds"] = rounds
            context["publicity_rounds"] = [r for r in rounds if r.status == RoundStatus.PUBLICITY]
            context["schemes"] = list(selectors.scheme_list_visible_to(user=user))
        return render(request, "cadres/home.html", context)
