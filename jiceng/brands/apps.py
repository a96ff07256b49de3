from django.apps import AppConfig


class BrandsConfig(AppConfig):
    name = "jiceng.brands"
    label = "brands"
    verbose_name = "一街一品"
