from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "jiceng.core"
    label = "core"
    verbose_name = "基础"

    def ready(self) -> None:
        from . import auth_audit, indicators  # noqa: F401  (indicators register themselves)

        auth_audit.connect()
