from decimal import Decimal

from django.core.management.base import BaseCommand, CommandError

from jiceng.core.errors import ApplicationError
from jiceng.core.indicator_registry import Period, applicable, compute
from jiceng.core.models import Area, User
from jiceng.core.money import display_unit, figure_display


def _plain(value):
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    return value


class Command(BaseCommand):
    help = "打印某区域某统计期的全部指标（与页面、导出读取同一个指标注册表）。"

    def add_arguments(self, parser):
        parser.add_argument("--area", required=True, help="区域编码，如 370103")
        parser.add_argument("--period", default="", help="YYYY 或 YYYY-MM；不填表示全部时间")
        parser.add_argument("--json", action="store_true", help="以 JSON 输出")
        parser.add_argument(
            "--user", default="", help="以该账号的权限范围计算；不填则以系统身份（全部数据）计算"
        )

    def handle(self, *args, area, period, json: bool, user, **options):
        try:
            parsed = Period.parse(period or None)
        except ApplicationError as e:
            raise CommandError(e.message) from None
        acting = self._acting_user(user)
        from jiceng.core.selectors import area_list_visible_to

        found = area_list_visible_to(user=acting).filter(code=area).first()
        if found is None:
            raise CommandError(f"区域 {area} 不存在或不在该账号的范围内。")
        # As on the pages: only the indicators that apply to the area's kind (no 乡村振兴
        # figures for an urban community).
        figures = compute(
            area=found, period=parsed, user=acting, keys=[i.key for i in applicable(found)]
        )
        if json:
            self._print_json(found, parsed, figures)
        else:
            self._print_table(found, parsed, figures)

    @staticmethod
    def _acting_user(username: str):
        if not username:
            # The command runs with the operator's full authority, like a superuser.
            return User(username="manage.py", is_superuser=True, is_active=True)
        acting = User.objects.filter(username=username, is_active=True).first()
        if acting is None:
            raise CommandError(f"账号 {username} 不存在或已停用。")
        return acting

    def _print_json(self, area: Area, period: Period, figures: dict) -> None:
        import json as jsonlib

        payload = {
            "area": {"code": area.code, "name": area.name},
            "period": period.label,
            "indicators": {
                key: {
                    "label": f["label"],
                    "period": f["period"],
                    # As every page shows it: rates in %, money in 万元.
                    "display": figure_display(f["value"], f["unit"]),
                    "unit": display_unit(f["unit"]),
                    "value": _plain(f["value"]),
                    "numerator": _plain(f["numerator"]),
                    "denominator": _plain(f["denominator"]),
                }
                for key, f in figures.items()
            },
        }
        self.stdout.write(jsonlib.dumps(payload, ensure_ascii=False, indent=2))

    def _print_table(self, area: Area, period: Period, figures: dict) -> None:
        label = "全部时间" if period.is_all_time else period.title
        self.stdout.write(f"{area.name}（{area.code}） 统计期：{label}")
        for key, f in figures.items():
            value = figure_display(f["value"], f["unit"])
            unit = display_unit(f["unit"]) if f["value"] is not None else ""
            extra = ""
            if f["denominator"] is not None:
                extra = f"  （{f['numerator']} / {f['denominator']}）"
            self.stdout.write(
                f"  {f['label']:<12} {value}{unit}（{f['period']}）{extra}    [{key}]"
            )
