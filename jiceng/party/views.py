"""Pages of party organizations: the visible tree and one organization's facts."""

from django.shortcuts import render

from jiceng.core.scope import scope_of
from jiceng.core.views.base import AppView

from . import selectors
from .permissions import can


class PartyView(AppView):
    denied_message = "审计管理员和安全管理员不能查看党组织数据。"

    def allowed(self, user) -> bool:
        return can(user, "view")


class PartyOrgTreeView(PartyView):
    def get(self, request):
        orgs = selectors.party_org_tree_visible_to(user=request.user)
        # Indent from the shallowest visible organization, not from the district's root.
        top = min((org.depth for org in orgs), default=0)
        for org in orgs:
            org.indent = org.depth - top
        return render(request, "party/org_tree.html", {"orgs": orgs})


class PartyOrgDetailView(PartyView):
    def get(self, request, pk):
        user = request.user
        org = selectors.party_org_get_for(user=user, pk=pk)
        scope = scope_of(user)
        covered = [
            {"area": area, "visible": scope.covers_area(area.code)}
            for area in org.covered_areas.all()
        ]
        return render(
            request,
            "party/org_detail.html",
            {
                "org": org,
                "parent_visible": bool(
                    selectors.party_org_visible_ids(user=user, ids=[org.parent_id])
                ),
                "children": org.children.all(),
                "covered": covered,
                "posts": org.posts.all(),
            },
        )
