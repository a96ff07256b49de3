"""Print the role matrix (jiceng/core/access.py) as the Markdown table of docs/scope.md."""

from django.core.management.base import BaseCommand

from jiceng.core.access import markdown_table


class Command(BaseCommand):
    help = "打印角色权限矩阵（docs/scope.md 中的表格）。"

    def handle(self, *args, **options):
        self.stdout.write(markdown_table())
