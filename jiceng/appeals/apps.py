from django.apps import AppConfig


class AppealsConfig(AppConfig):
    name = "jiceng.appeals"
    label = "appeals"
    verbose_name = "接诉即办"
