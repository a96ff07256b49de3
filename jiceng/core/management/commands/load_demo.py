"""``manage.py load_demo``: build the Shizhong demo district (idempotent)."""

import unicodedata

from django.core.management.base import BaseCommand, CommandError

from jiceng.core.demo import COUNT_LABELS, DemoError, load_demo


class Command(BaseCommand):
    help = (
        "载入市中区演示数据（区划、网格、小区、楼栋、人员、职务、党组织和演示账号）；"
        "可重复执行，只新建缺少的记录。"
    )

    def handle(self, *args, **options):
        try:
            summary = load_demo(stdout=self.stdout)
        except DemoError as e:
            raise CommandError(str(e)) from e

        self.stdout.write("")
        self.stdout.write(f"演示账号（密码均为 {summary.password}）：")
        rows = [("用户名", "角色", "范围")]
        rows += [(login.username, login.role, login.scope) for login in summary.logins]
        widths = [max(_width(row[i]) for row in rows) for i in range(2)]
        for username, role, scope in rows:
            self.stdout.write(f"  {_pad(username, widths[0])}  {_pad(role, widths[1])}  {scope}")
        self.stdout.write("")
        self.stdout.write(
            "数量："
            + "，".join(f"{label} {summary.counts[key]:,}" for key, label in COUNT_LABELS.items())
        )
        if summary.created_total:
            self.stdout.write(self.style.SUCCESS(f"完成：新建 {summary.created_total:,} 条记录。"))
        else:
            self.stdout.write(self.style.SUCCESS("完成：演示数据已齐全，未新建任何记录。"))


def _width(text: str) -> int:
    """Columns the text takes in a terminal: a CJK character takes two."""
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def _pad(text: str, width: int) -> str:
    return text + " " * (width - _width(text))
