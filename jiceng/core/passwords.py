import string

from django.conf import settings
from django.core.exceptions import ValidationError

CLASSES = (
    ("小写字母", set(string.ascii_lowercase)),
    ("大写字母", set(string.ascii_uppercase)),
    ("数字", set(string.digits)),
    ("特殊字符", set(string.punctuation)),
)


class CharacterClassesValidator:
    """等保 profile: at least three of lower case, upper case, digits and symbols."""

    def __init__(self, min_classes: int = 3):
        self.min_classes = min_classes

    def validate(self, password, user=None):
        if settings.JICENG_PASSWORD_PROFILE != "dengbao":
            return
        used = sum(1 for _, chars in CLASSES if chars & set(password))
        if used < self.min_classes:
            raise ValidationError(
                "密码须包含大写字母、小写字母、数字、特殊字符中的至少三类。",
                code="password_too_simple",
            )

    def get_help_text(self):
        if settings.JICENG_PASSWORD_PROFILE != "dengbao":
            return ""
        return "密码须包含大写字母、小写字母、数字、特殊字符中的至少三类。"


class UsernameVariantValidator:
    """A password that is the username with digits or symbols around it (``admin@2024``,
    ``2024zhangsan``) or the username reversed is refused in every profile: Django's
    similarity check lets it through once the added part is long enough."""

    MESSAGE = "密码不能是用户名加上数字或符号，也不能是倒写的用户名。"
    FILLER = set(string.digits) | set(string.punctuation) | {" "}

    def validate(self, password, user=None):
        username = (getattr(user, "username", "") or "").lower()
        if len(username) < 3 or not password:
            return
        lowered = password.lower()
        for name in {username, username[::-1]}:
            if name in lowered and set(lowered.replace(name, "", 1)) <= self.FILLER:
                raise ValidationError(self.MESSAGE, code="password_is_username_variant")

    def get_help_text(self):
        return self.MESSAGE
