from django.core.management.base import BaseCommand, CommandError

from jiceng.core.audit_integrity import AuditChainBroken, audit_checkpoint


class Command(BaseCommand):
    help = "记录审计日志链头的检查点（记录数与哈希），写入数据库与检查点文件。"

    def handle(self, *args, **options):
        try:
            checkpoint = audit_checkpoint()
        except AuditChainBroken as e:
            raise CommandError(f"审计日志与上一检查点不符，未记录新检查点：{e}") from e
        if checkpoint is None:
            self.stdout.write("自上一检查点以来没有新记录。")
            return
        self.stdout.write(
            self.style.SUCCESS(
                f"检查点已记录：至第 {checkpoint.last_id} 条，共 {checkpoint.row_count} 条，"
                f"链头哈希 {checkpoint.head_hash[:16]}…"
            )
        )
