from django.core.management.base import BaseCommand, CommandError

from jiceng.core.backups import backup_create, backup_verify
from jiceng.core.errors import ValidationFailed


class Command(BaseCommand):
    help = (
        "备份 PostgreSQL 数据库（pg_dump 自定义格式）与附件，写出带 SHA-256 的清单，"
        "并用 pg_restore --list 校验备份可读。"
    )

    def add_arguments(self, parser):
        parser.add_argument("--out", default=None, help="备份目录（默认 JICENG_BACKUP_DIR）")

    def handle(self, *args, out=None, **options):
        try:
            target = backup_create(out_dir=out)
            manifest = backup_verify(target)
        except ValidationFailed as e:
            raise CommandError(e.message) from e
        files = "，".join(
            f"{name} {facts['bytes']} 字节 SHA-256 {facts['sha256'][:16]}…"
            for name, facts in manifest["files"].items()
        )
        self.stdout.write(
            self.style.SUCCESS(
                f"备份完成并已校验：{target}\n{files}\n"
                f"转储条目 {manifest['dump_entries']} 个，附件 {manifest['media_files']} 个，"
                f"审计日志 {manifest['audit']['rows']} 条。"
            )
        )
        self.stdout.write(str(target))
