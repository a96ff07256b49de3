from django.core.management.base import BaseCommand, CommandError

from jiceng.core.backups import restore_drill
from jiceng.core.errors import ValidationFailed


class Command(BaseCommand):
    help = (
        "恢复演练：校验备份清单与文件哈希，把备份恢复到一个新建的数据库，解开附件，"
        "在恢复出的数据库上运行 audit_verify，然后删除该数据库（--keep 保留）。"
    )

    def add_arguments(self, parser):
        parser.add_argument("backup", help="backup_db 生成的备份目录")
        parser.add_argument("--database", default=None, help="演练数据库名（默认自动生成）")
        parser.add_argument("--keep", action="store_true", help="演练后保留恢复出的数据库")

    def handle(self, *args, backup, database=None, keep=False, **options):
        try:
            report = restore_drill(backup=backup, database=database, keep=keep)
        except ValidationFailed as e:
            raise CommandError(f"恢复演练失败：{e.message}") from e
        timings = "，".join(f"{step} {sec:.1f} 秒" for step, sec in report.seconds.items())
        where = (
            f"已保留数据库 {report.database}" if keep else f"演练数据库 {report.database} 已删除"
        )
        self.stdout.write(report.audit_output)
        self.stdout.write(
            self.style.SUCCESS(
                f"恢复演练通过：审计日志 {report.audit_rows} 条，附件 {report.media_files} 个；"
                f"{timings}；{where}。"
            )
        )
