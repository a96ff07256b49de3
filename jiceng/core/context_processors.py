"""What every page's layout needs: the sidebar, the user's role and the area switcher.

The sidebar is a registry. A module adds its entry once, from its ``AppConfig.ready``::

    from jiceng.core.context_processors import SidebarEntry, register_sidebar_entry

    register_sidebar_entry(SidebarEntry(
        key="appeals", label="接诉即办", url_name="appeals:list", order=40,
        visible=lambda user: appeals_can(user, "view"),
    ))

Entries are sorted by ``order`` (core uses 0–30 for business modules and 900+ for system
ones) and shown only to users for whom ``visible(user)`` is true.
"""

from collections.abc import Callable
from dataclasses import dataclass
from functools import cached_property

from django.urls import reverse

from .permissions import can
from .roles import Role
from .scope import primary_role, scope_of

# The code of the area the user chose with the switcher (see views.area_switch).
CURRENT_AREA_SESSION_KEY = "jiceng_area_code"

BUSINESS_GROUP = "业务"
SYSTEM_GROUP = "系统管理"


@dataclass(frozen=True)
class SidebarEntry:
    key: str
    label: str
    url_name: str
    visible: Callable
    order: int = 100
    group: str = BUSINESS_GROUP
    # Only the home entry is matched exactly; the others own every path under their URL.
    exact: bool = False


_SIDEBAR: dict[str, SidebarEntry] = {}


def register_sidebar_entry(entry: SidebarEntry) -> None:
    _SIDEBAR[entry.key] = entry


def sidebar_entries() -> list[SidebarEntry]:
    return sorted(_SIDEBAR.values(), key=lambda e: e.order)


def _takes_part_in_proposals(user) -> bool:
    from .account_proposals import may_take_part

    return may_take_part(user)


for _entry in (
    SidebarEntry("home", "首页", "core:home", lambda u: True, order=0, group="", exact=True),
    *(
        SidebarEntry(key, label, url_name, lambda u, m=key: can(u, "read", m), order=order)
        for key, label, url_name, order in (
            ("areas", "区域", "core:area_tree", 10),
            ("people", "人员", "core:person_list", 20),
            ("party", "党组织", "party:org_tree", 30),
        )
    ),
    SidebarEntry(
        "audit",
        "审计日志",
        "core:audit_list",
        lambda u: can(u, "view_audit"),
        order=900,
        group=SYSTEM_GROUP,
    ),
    SidebarEntry(
        "accounts",
        "账号",
        "core:account_list",
        lambda u: can(u, "manage_accounts"),
        order=910,
        group=SYSTEM_GROUP,
    ),
    SidebarEntry(
        "proposals",
        "账号变更审批",
        "core:proposal_list",
        lambda u: _takes_part_in_proposals(u),
        order=915,
        group=SYSTEM_GROUP,
    ),
    SidebarEntry(
        "admin", "管理后台", "admin:index", lambda u: u.is_superuser, order=990, group=SYSTEM_GROUP
    ),
):
    register_sidebar_entry(_entry)


class Shell:
    """The layout's data for one request, each part computed only if the page uses it."""

    def __init__(self, request):
        self.request = request
        self.user = request.user

    @cached_property
    def role_label(self) -> str:
        if self.user.is_superuser:
            return "超级管理员"
        role = primary_role(self.user)
        if role is None:
            return "未分配角色"
        label = Role(role).label
        others = len(scope_of(self.user).roles) - 1
        return f"{label} 等{others + 1}个角色" if others > 0 else label

    @cached_property
    def sidebar(self) -> list[dict]:
        path = self.request.path
        visible = [(e, reverse(e.url_name)) for e in sidebar_entries() if e.visible(self.user)]
        # Only the entry whose URL is the longest prefix of the path lights up: /party/ and
        # /party/organizations/ are two entries, and a page of the second is not the first's.
        matching = [
            (len(url), e.key)
            for e, url in visible
            if (path == url if e.exact else path.startswith(url))
        ]
        active_key = max(matching)[1] if matching else None
        groups: dict[str, list[dict]] = {}
        for entry, url in visible:
            groups.setdefault(entry.group, []).append(
                {
                    "key": entry.key,
                    "label": entry.label,
                    "url": url,
                    "active": entry.key == active_key,
                }
            )
        return [{"name": name, "entries": entries} for name, entries in groups.items()]

    @cached_property
    def shows_switcher(self) -> bool:
        return can(self.user, "view_business")

    @cached_property
    def current_area(self):
        from .selectors import area_current_for

        if not self.shows_switcher:
            return None
        return area_current_for(
            user=self.user, code=self.request.session.get(CURRENT_AREA_SESSION_KEY)
        )

    @cached_property
    def focused(self) -> bool:
        """Whether the switcher narrows the pages to one area (see ``scope.focus_on``)."""
        return bool(getattr(self.user, "_jiceng_focus", None))

    @cached_property
    def switch_roots(self) -> list:
        from .selectors import area_scope_roots

        return area_scope_roots(user=self.user) if self.shows_switcher else []

    @cached_property
    def switch_children(self) -> list:
        from .selectors import area_switch_choices

        return area_switch_choices(user=self.user, current=self.current_area)

    @cached_property
    def current_is_listed(self) -> bool:
        codes = {a.code for a in self.switch_roots} | {a.code for a in self.switch_children}
        return self.current_area is not None and self.current_area.code in codes


def shell(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"shell": Shell(request)}
