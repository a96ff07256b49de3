from django.apps import AppConfig


class RuralConfig(AppConfig):
    name = "jiceng.rural"
    label = "rural"
    verbose_name = "乡村振兴"

    def ready(self) -> None:
        from jiceng.core.context_processors import SidebarEntry, register_sidebar_entry
        from jiceng.core.demo.registry import register_demo_part
        from jiceng.core.models import AreaKind
        from jiceng.core.selectors import area_scope_holds

        from . import indicators  # noqa: F401
        from .demo import load_rural_demo
        from .home import register_blocks
        from .permissions import can

        register_sidebar_entry(
            SidebarEntry(
                key="rural",
                label="乡村振兴",
                url_name="rural:home",
                order=40,
                # An account whose areas are all urban has no village to work on.
                visible=lambda user: (
                    can(user, "view") and area_scope_holds(user=user, kinds=[AreaKind.VILLAGE])
                ),
            )
        )
        register_demo_part(
            "rural",
            "乡村振兴：村庄台账、第一书记、项目、结对共建",
            load_rural_demo,
            order=40,
        )
        register_blocks()
