from django.apps import AppConfig


class StationsConfig(AppConfig):
    name = "jiceng.stations"
    label = "stations"
    verbose_name = "暖心驿站与新就业群体"
