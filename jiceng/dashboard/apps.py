from django.apps import AppConfig


class DashboardConfig(AppConfig):
    name = "jiceng.dashboard"
    label = "dashboard"
    verbose_name = "驾驶舱"

    def ready(self) -> None:
        from jiceng.core.context_processors import SidebarEntry, register_sidebar_entry

        from .appeal_panels import register_appeal_panels
        from .module_panels import register_module_panels
        from .permissions import can

        register_sidebar_entry(
            SidebarEntry(
                key="dashboard",
                label="驾驶舱",
                url_name="dashboard:home",
                order=5,
                visible=lambda user: can(user, "view"),
            )
        )
        register_appeal_panels()
        register_module_panels()
