import json

from django.core.management.base import BaseCommand

from jiceng.appeals.services import sla_sweep


class Command(BaseCommand):
    help = "SLA 巡检：临期预警、逐级升级、街道督办、到期关闭（可重复运行，结果幂等）。"

    def add_arguments(self, parser):
        parser.add_argument("--json", action="store_true", help="以 JSON 输出统计")

    def handle(self, *args, **options):
        report = sla_sweep()
        if options["json"]:
            self.stdout.write(json.dumps(report.as_dict(), ensure_ascii=False))
        else:
            r = report
            self.stdout.write(
                f"预警 {r.warned} 件，升级总管家 {r.escalated} 件，街道督办 {r.supervised} 件，"
                f"关闭 {r.closed} 件，重发外发通知 {r.webhooks_retried} 条"
            )
