"""System checks of the deployment (``manage.py check --deploy``)."""

from django.conf import settings
from django.core.checks import Error, Tags, register

# Keys written in the repository for development and tests: public, so worthless as keys.
KNOWN_FIELD_KEYS = frozenset({"local-development-field-key", "test-field-key"})
MIN_FIELD_KEY_LENGTH = 32


@register(Tags.security, deploy=True)
def field_key_check(app_configs=None, **kwargs):
    key = getattr(settings, "JICENG_FIELD_KEY", "") or ""
    if key in KNOWN_FIELD_KEYS or len(key) < MIN_FIELD_KEY_LENGTH:
        return [
            Error(
                "JICENG_FIELD_KEY 是开发用密钥或过短：生产环境须设置至少 "
                f"{MIN_FIELD_KEY_LENGTH} 个字符的随机密钥 (the development field key, or one "
                "shorter than that, must not be used in production).",
                hint="例如 python -c 'import secrets; print(secrets.token_urlsafe(48))'，"
                "并与数据库分开备份。",
                id="jiceng.E001",
            )
        ]
    return []
