from django.apps import AppConfig


class ContestsConfig(AppConfig):
    name = "jiceng.contests"
    label = "contests"
    verbose_name = "项目路演大赛"
