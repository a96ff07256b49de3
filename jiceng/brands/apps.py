from django.apps import AppConfig


class BrandsConfig(AppConfig):
    name = "jiceng.brands"
    label = "brands"
    verbose_name = "一街一品"

    def ready(self) -> None:
        from jiceng.core.context_processors import SidebarEntry, register_sidebar_entry
        from jiceng.core.demo.registry import register_demo_part
        from jiceng.core.models import AreaKind
        from jiceng.core.selectors import area_scope_holds

        from . import indicators  # noqa: F401  (the indicators register themselves)
        from .demo import load_brands_demo
        from .permissions import can

        register_sidebar_entry(
            SidebarEntry(
                key="brands",
                label="一街一品",
                url_name="brands:wall",
                order=60,
                # Brands are urban communities': not in the menu of a village's account.
                visible=lambda user: (
                    can(user, "view") and area_scope_holds(user=user, kinds=[AreaKind.COMMUNITY])
                ),
            )
        )
        register_demo_part("brands", "一街一品：21 个社区党建品牌", load_brands_demo, order=60)
