import time

from django.core.management.base import BaseCommand

from jiceng.core.periodic import due_jobs, periodic_jobs


class Command(BaseCommand):
    help = "定时调度：按间隔把已登记的周期任务（如每分钟的 SLA 巡检）放入后台任务队列。"

    def add_arguments(self, parser):
        parser.add_argument("--once", action="store_true", help="只调度一轮后退出")
        parser.add_argument("--tick", type=float, default=5.0, help="检查间隔（秒）")

    def handle(self, *args, once=False, tick=5.0, **options):
        jobs = periodic_jobs()
        self.stdout.write(
            "周期任务：" + "，".join(f"{j.name}（每 {j.every_seconds} 秒）" for j in jobs)
        )
        last_run: dict[str, float] = {}
        while True:
            now = time.monotonic()
            for job in due_jobs(last_run, now):
                job.task.enqueue()
                last_run[job.name] = now
            if once:
                return
            time.sleep(tick)
