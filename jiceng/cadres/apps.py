from django.apps import AppConfig


class CadresConfig(AppConfig):
    name = "jiceng.cadres"
    label = "cadres"
    verbose_name = "队伍建设"
