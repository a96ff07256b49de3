from django.apps import AppConfig


class StationsConfig(AppConfig):
    name = "jiceng.stations"
    label = "stations"
    verbose_name = "暖心驿站与新就业群体"

    def ready(self) -> None:
        from jiceng.appeals.signals import appeals_changed
        from jiceng.core.context_processors import SidebarEntry, register_sidebar_entry
        from jiceng.core.demo.registry import register_demo_part

        from . import indicators  # noqa: F401  (the indicators register themselves)
        from .demo import load_stations_demo
        from .home import register_blocks
        from .permissions import can
        from .receivers import grant_points_on_resolve

        appeals_changed.connect(grant_points_on_resolve, dispatch_uid="stations.points")
        register_sidebar_entry(
            SidebarEntry(
                key="stations",
                label="暖心驿站",
                url_name="stations:home",
                order=80,
                visible=lambda user: can(user, "view"),
            )
        )
        register_sidebar_entry(
            SidebarEntry(
                key="stations_me",
                label="我的积分",
                url_name="stations:me",
                order=81,
                visible=lambda user: can(user, "rider_self") and not can(user, "view"),
            )
        )
        register_demo_part("stations", "暖心驿站与骑士兼职网格员", load_stations_demo, order=80)
        register_blocks()
