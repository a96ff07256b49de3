from django.core.management.base import BaseCommand, CommandError

from jiceng.core.crypto import FERNET, SM4, field_cipher
from jiceng.core.errors import ValidationFailed
from jiceng.core.reencryption import fields_pending, fields_reencrypt


class Command(BaseCommand):
    help = (
        "把已加密的个人信息字段改用另一种算法重新加密（SM4 国密 ⇄ Fernet）。"
        "分批提交，可随时中断，再次运行从中断处继续；盲索引不变。"
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--to",
            choices=[SM4, FERNET],
            default=None,
            help="目标算法（默认按 JICENG_CRYPTO_SCHEME：guomi 为 sm4，standard 为 fernet）",
        )
        parser.add_argument("--batch", type=int, default=500, help="每批行数（每批一个事务）")
        parser.add_argument("--max-rows", type=int, default=None, help="本次最多处理的行数")
        parser.add_argument("--dry-run", action="store_true", help="只统计待处理的行数")

    def handle(self, *args, to=None, batch=500, max_rows=None, dry_run=False, **options):
        target = to or field_cipher()
        if dry_run:
            self.stdout.write(f"待改为 {target} 的字段值：{fields_pending(target=target)} 个。")
            return

        def progress(label, done, total):
            self.stdout.write(f"{label}：{done} / {total}")

        try:
            outcome = fields_reencrypt(
                target=target, batch_size=batch, max_rows=max_rows, progress=progress
            )
        except ValidationFailed as e:
            raise CommandError(e.message) from e
        message = f"已改为 {target}：{outcome.done} 个；尚余 {outcome.remaining} 个。"
        if outcome.remaining:
            self.stdout.write(self.style.WARNING(message + "再次运行本命令继续。"))
        else:
            self.stdout.write(self.style.SUCCESS(message))
