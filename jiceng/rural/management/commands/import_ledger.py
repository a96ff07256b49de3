from django.core.management.base import BaseCommand, CommandError

from jiceng.core.errors import ApplicationError

from ...services import import_ledger_file


class Command(BaseCommand):
    help = (
        "导入村集体经济收入台账（XLSX 或 CSV，表头同下载模板）：逐行校验，全部无误才导入，"
        "否则列出每一行的错误。以系统身份执行。"
    )

    def add_arguments(self, parser):
        parser.add_argument("path", help="台账文件路径")
        parser.add_argument("--dry-run", action="store_true", help="只校验，不写入")

    def handle(self, *args, path, dry_run, **options):
        try:
            result = import_ledger_file(path, by=None, dry_run=dry_run)
        except ApplicationError as e:
            raise CommandError(e.message) from None
        if not result.ok:
            for error in result.errors:
                self.stderr.write(f"第 {error.line} 行（{error.code or '—'}）：{error.reason}")
            raise CommandError(f"文件有 {len(result.errors)} 行错误，未导入任何数据。")
        verb = "校验通过" if dry_run else "导入完成"
        self.stdout.write(
            f"{verb}：新增 {result.created} 条，更新 {result.updated} 条，"
            f"未变 {result.unchanged} 条。"
        )
