import time

from django.core.management.base import BaseCommand

from jiceng.appeals.stats.maintain import rollups_rebuild


class Command(BaseCommand):
    help = "按诉求原始记录重建三率汇总表（诉求日汇总）。数据导入或修改统计口径后运行。"

    def handle(self, *args, **options):
        started = time.monotonic()
        rows = rollups_rebuild()
        self.stdout.write(f"已重建诉求日汇总 {rows} 行，用时 {time.monotonic() - started:.1f} 秒")
