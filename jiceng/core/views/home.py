"""The home page of each role."""

from django.shortcuts import render

from .. import selectors
from ..context_processors import CURRENT_AREA_SESSION_KEY
from ..permissions import can
from .base import AppView


class HomeView(AppView):
    def get(self, request):
        user = request.user
        context = {
            "business": can(user, "view_business"),
            "auditor": can(user, "view_audit"),
            "security": can(user, "manage_accounts"),
        }
        if context["business"]:
            area = selectors.area_current_for(
                user=user, code=request.session.get(CURRENT_AREA_SESSION_KEY)
            )
            context["area"] = area
            if area is not None:
                context["breadcrumbs"] = selectors.area_breadcrumbs(user=user, area=area)
                context["shortcuts"] = list(
                    selectors.area_children_visible_to(user=user, area=area)[:24]
                )
            context["my_posts"] = list(selectors.post_list_of_user(user=user))
        if context["auditor"]:
            context["recent_audit"] = list(selectors.audit_list_visible_to(user=user)[:10])
        if context["security"]:
            context["accounts"] = selectors.account_summary(user=user)
        return render(request, "core/home.html", context)
