from django.apps import AppConfig


class ContestsConfig(AppConfig):
    name = "jiceng.contests"
    label = "contests"
    verbose_name = "项目路演大赛"

    def ready(self) -> None:
        from jiceng.core.context_processors import SidebarEntry, register_sidebar_entry
        from jiceng.core.demo.registry import register_demo_part

        from .demo import load_contests_demo
        from .home import register_blocks
        from .permissions import can

        register_sidebar_entry(
            SidebarEntry(
                key="contests",
                label="项目路演大赛",
                url_name="contests:home",
                order=70,
                visible=lambda user: can(user, "view_module"),
            )
        )
        register_demo_part(
            "contests",
            "项目路演大赛：2024 年初赛、决赛，7 名评委评分；今年初赛待评分",
            load_contests_demo,
            order=70,
        )
        register_blocks()
