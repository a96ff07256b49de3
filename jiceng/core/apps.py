from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "jiceng.core"
    label = "core"
    verbose_name = "基础"

    def ready(self) -> None:
        from . import indicators  # noqa: F401  (registers the core indicators)
