from django.core.management.base import BaseCommand, CommandError

from jiceng.core.audit import audit_verify
from jiceng.core.audit_integrity import archived_head, audit_dir
from jiceng.core.models import AuditCheckpoint, AuditEvent


class Command(BaseCommand):
    help = (
        "校验审计日志：哈希链、检查点（数据库与检查点文件）以及归档段，"
        "指出第一条被篡改、删除或截断的记录。"
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--archive",
            nargs="?",
            const="",
            default=None,
            metavar="目录",
            help="同时读取归档文件，从第一条记录起校验整条链（默认目录 JICENG_AUDIT_DIR/archive）",
        )

    def handle(self, *args, archive=None, **options):
        archive_dir = None
        if archive is not None:
            archive_dir = archive or (audit_dir() / "archive" if audit_dir() else None)
            if archive_dir is None:
                raise CommandError("未设置 JICENG_AUDIT_DIR，请在 --archive 后写明归档目录。")
        broken = audit_verify(archive_dir=archive_dir)
        if broken is not None:
            raise CommandError(f"审计日志校验失败：第 {broken.row_id} 条记录，{broken.reason}")
        live = AuditEvent.objects.count()
        archived = archived_head().row_count
        checkpoints = AuditCheckpoint.objects.count()
        scope = "含归档文件" if archive_dir is not None else "在线部分"
        self.stdout.write(
            self.style.SUCCESS(
                f"审计日志完整（{scope}）：在线 {live} 条，已归档 {archived} 条，"
                f"{checkpoints} 个检查点均相符，哈希链无断裂。"
            )
        )
