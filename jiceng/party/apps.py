from django.apps import AppConfig


class PartyConfig(AppConfig):
    name = "jiceng.party"
    label = "party"
    verbose_name = "党组织"

    def ready(self) -> None:
        from . import indicators  # noqa: F401
