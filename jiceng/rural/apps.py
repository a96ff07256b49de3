from django.apps import AppConfig


class RuralConfig(AppConfig):
    name = "jiceng.rural"
    label = "rural"
    verbose_name = "乡村振兴"
