from django.apps import AppConfig


class PartyConfig(AppConfig):
    name = "jiceng.party"
    label = "party"
    verbose_name = "党组织"

    def ready(self) -> None:
        from jiceng.core.context_processors import SidebarEntry, register_sidebar_entry
        from jiceng.core.demo.registry import register_demo_part

        from . import indicators  # noqa: F401
        from .demo import load_party_demo
        from .permissions import can

        register_sidebar_entry(
            SidebarEntry(
                key="party_two_new",
                label="红色物业·两新",
                url_name="party:coverage",
                order=31,
                visible=lambda user: can(user, "view"),
            )
        )
        register_demo_part(
            "party",
            "红色物业与两新组织：覆盖、36 个示范点、梦享家党群服务中心",
            load_party_demo,
            order=40,
        )
