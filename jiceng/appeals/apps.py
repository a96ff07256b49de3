from django.apps import AppConfig


class AppealsConfig(AppConfig):
    name = "jiceng.appeals"
    label = "appeals"
    verbose_name = "接诉即办"

    def ready(self) -> None:
        from jiceng.core.context_processors import SidebarEntry, register_sidebar_entry
        from jiceng.core.demo.registry import register_demo_part
        from jiceng.core.periodic import register_periodic

        from . import indicators  # noqa: F401  (indicators register themselves)
        from .demo import load_appeals_demo
        from .home import register_blocks
        from .permissions import can
        from .signals import appeals_changed
        from .stats.maintain import on_appeals_changed
        from .tasks import sweep

        appeals_changed.connect(on_appeals_changed, dispatch_uid="appeals.stats.rollups")

        register_sidebar_entry(
            SidebarEntry(
                key="appeals",
                label="接诉即办",
                url_name="appeals:queue",
                order=40,
                visible=lambda user: can(user, "view"),
            )
        )
        register_demo_part(
            "appeals", "接诉即办：2023年7月至今的群众诉求", load_appeals_demo, order=30
        )
        register_periodic("appeals.sla_sweep", sweep, every_seconds=60)
        register_blocks()
