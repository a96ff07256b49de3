from django.apps import AppConfig


class CadresConfig(AppConfig):
    name = "jiceng.cadres"
    label = "cadres"
    verbose_name = "队伍建设"

    def ready(self) -> None:
        from jiceng.core.context_processors import SidebarEntry, register_sidebar_entry
        from jiceng.core.demo.registry import register_demo_part

        from . import indicators  # noqa: F401
        from .demo import load_cadres_demo
        from .permissions import can

        register_sidebar_entry(
            SidebarEntry(
                key="cadres",
                label="队伍建设",
                url_name="cadres:home",
                order=50,
                visible=lambda user: can(user, "view"),
            )
        )
        register_demo_part("cadres", "队伍建设：挂职、选配、培训、考评", load_cadres_demo, order=50)
