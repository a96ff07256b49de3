from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from jiceng.core.errors import ApplicationError
from jiceng.core.imports.area_file import import_area_file


class Command(BaseCommand):
    help = (
        "从 CSV（UTF-8/GBK）或 Excel（.xlsx）文件导入区域：统计用区划代码的街道文件、村级文件，"
        "或“编码,名称,类型,上级编码[,户数]”通用格式。逐行校验，全部无误才写入，否则不写入任何数据。"
    )

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path, help="要导入的 CSV 或 .xlsx 文件")
        parser.add_argument("--dry-run", action="store_true", help="只校验并统计，不写入")

    def handle(self, *args, file: Path, dry_run: bool, **options):
        try:
            result = import_area_file(file, dry_run=dry_run)
        except ApplicationError as e:
            raise CommandError(e.message) from None
        if result.errors:
            for error in result.errors:
                self.stderr.write(f"第 {error.line} 行 [{error.code}]: {error.reason}")
            raise CommandError(f"导入失败：{len(result.errors)} 行有错误，未写入任何数据。")
        counts = f"新增 {result.created} 条，更新 {result.updated} 条，未变 {result.unchanged} 条"
        if dry_run:
            self.stdout.write(f"校验通过（试运行，未写入）：将{counts}")
        else:
            self.stdout.write(self.style.SUCCESS(f"导入完成：{counts}"))
