from django.core.management.base import BaseCommand, CommandError

from jiceng.core.audit_integrity import AuditChainBroken, audit_archive, retention_days
from jiceng.core.errors import ValidationFailed


class Command(BaseCommand):
    help = (
        "归档超过保留期（至少 180 天）的审计日志：导出为带哈希的归档文件，"
        "登记后从在线表中删除；可重复运行，中断后从上次归档处继续。"
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--days", type=int, default=None, help="保留天数（默认按设置，至少 180）"
        )
        parser.add_argument("--segment-rows", type=int, default=50_000, help="每个归档段的记录数")
        parser.add_argument("--out", default=None, help="归档目录（默认 JICENG_AUDIT_DIR/archive）")

    def handle(self, *args, days=None, segment_rows=50_000, out=None, **options):
        try:
            outcome = audit_archive(older_than_days=days, segment_rows=segment_rows, out_dir=out)
        except ValidationFailed as e:
            raise CommandError(e.message) from e
        except AuditChainBroken as e:
            raise CommandError(f"待归档的记录校验失败，未归档：{e}") from e
        for seg in outcome.segments:
            self.stdout.write(
                f"归档段 {seg.file_name}：第 {seg.first_id}–{seg.last_id} 条，"
                f"共 {seg.row_count} 条，SHA-256 {seg.file_sha256[:16]}…"
            )
        kept = days if days is not None else retention_days()
        self.stdout.write(
            self.style.SUCCESS(f"归档完成：{outcome.rows} 条记录（保留最近 {kept} 天）。")
        )
