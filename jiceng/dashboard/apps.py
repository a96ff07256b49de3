from django.apps import AppConfig


class DashboardConfig(AppConfig):
    name = "jiceng.dashboard"
    label = "dashboard"
    verbose_name = "驾驶舱"
