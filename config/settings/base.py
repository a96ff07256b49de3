"""Settings shared by every profile; each value that differs per site comes from the environment."""

import os
from pathlib import Path

import dj_database_url

BASE_DIR = Path(__file__).resolve().parent.parent.parent
# The reference data lives beside the project, never inside it.
SHARED_DATA_DIR = Path(os.environ.get("JICENG_SHARED_DATA", BASE_DIR.parent / "shared" / "data"))

SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "insecure-local-only-key-not-for-production")
DEBUG = False
ALLOWED_HOSTS = [h for h in os.environ.get("DJANGO_ALLOWED_HOSTS", "").split(",") if h]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_tasks",
    "django_tasks_db",
    "jiceng.core",
    "jiceng.party",
    "jiceng.appeals",
    "jiceng.rural",
    "jiceng.contests",
    "jiceng.cadres",
    "jiceng.brands",
    "jiceng.stations",
    "jiceng.dashboard",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "jiceng.core.csp.ContentSecurityPolicyMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "jiceng.core.badinput.BadInputMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "jiceng.core.middleware.RequestContextMiddleware",
    "jiceng.core.middleware.SecondFactorMiddleware",
    "jiceng.core.middleware.PasswordExpiryMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"
ASGI_APPLICATION = "config.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "jiceng" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "jiceng.core.context_processors.shell",
                "jiceng.core.csp.csp",
            ],
            "builtins": ["jiceng.core.templatetags.jiceng_dates"],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{BASE_DIR / 'var' / 'jiceng.sqlite3'}"),
        conn_max_age=int(os.environ.get("DATABASE_CONN_MAX_AGE", "60")),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets readers proceed while the single writer commits.
    # The web, worker and scheduler processes share the file: writers wait their turn.
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL;",
        "timeout": 20,
        "transaction_mode": "IMMEDIATE",
    }
    DATABASES["default"]["CONN_MAX_AGE"] = 0

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "core.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
LOGIN_URL = "core:login"
LOGIN_REDIRECT_URL = "core:home"
LOGOUT_REDIRECT_URL = "core:login"

# Password policy. "basic" keeps Django's validators; "dengbao" (等保2.0 level 3) adds
# length >= 8, three character classes and a maximum password age.
JICENG_PASSWORD_PROFILE = os.environ.get("JICENG_PASSWORD_PROFILE", "basic")
JICENG_PASSWORD_MAX_AGE_DAYS = int(os.environ.get("JICENG_PASSWORD_MAX_AGE_DAYS", "90"))
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 8},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
    {"NAME": "jiceng.core.passwords.CharacterClassesValidator"},
    {"NAME": "jiceng.core.passwords.UsernameVariantValidator"},
]

# Lockout after five failed logins (django-axes), keyed on username and IP together.
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = 0.5  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_LOCKOUT_TEMPLATE = "core/locked_out.html"
AXES_RESET_ON_SUCCESS = True
# The same trusted client address as the rate limits (jiceng/core/net.py): behind a proxy
# every login would otherwise share the proxy's address.
AXES_CLIENT_IP_CALLABLE = "jiceng.core.net.client_ip"

# Second factor (TOTP, jiceng/core/second_factor.py). With JICENG_OTP_REQUIRED the roles
# below must enrol an authenticator app and enter its code after the password; anyone who
# enrolled one is asked for it whatever this says. Off by default (the demo prints its
# logins); on in production.
JICENG_OTP_REQUIRED = os.environ.get("JICENG_OTP_REQUIRED", "0") == "1"
JICENG_OTP_ROLES = ["district_admin", "security_admin", "auditor"]
OTP_TOTP_ISSUER = "基层治理平台"
# Guessing codes is stopped by the core's one limiter (rule "otp.verify", per account), not
# by django-otp's own back-off kept on the device row.
OTP_TOTP_THROTTLE_FACTOR = 0

# Idle timeout: the session expires after this many seconds without a request.
SESSION_COOKIE_AGE = int(os.environ.get("JICENG_IDLE_TIMEOUT_SECONDS", "1800"))
SESSION_SAVE_EVERY_REQUEST = True
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True

# Reverse proxies in front of the application whose X-Forwarded-For entries are trusted
# (jiceng/core/net.py: rate limits and the audit log's IP): 0 means REMOTE_ADDR is the
# client and the header is ignored.
JICENG_TRUSTED_PROXIES = int(os.environ.get("JICENG_TRUSTED_PROXIES", "0"))
# The proxies' own addresses (comma-separated networks): the header is believed only from
# them, so a client reaching the application directly cannot choose its address.
JICENG_TRUSTED_PROXY_NETWORKS = [
    n
    for n in os.environ.get(
        "JICENG_TRUSTED_PROXY_NETWORKS",
        "127.0.0.0/8,::1/128,10.0.0.0/8,172.16.0.0/12,192.168.0.0/16,fc00::/7",
    ).split(",")
    if n.strip()
]
# Rate limits (jiceng/core/ratelimit.py): {"rule": (limit, window seconds)} overrides.
JICENG_RATE_LIMITS: dict[str, tuple[int, int]] = {}

# Searches of people by a full phone or ID number one account may make per window
# (jiceng/core/identifier_search.py): each is audited; past the limit they are refused.
JICENG_IDENTIFIER_SEARCH_LIMIT = int(os.environ.get("JICENG_IDENTIFIER_SEARCH_LIMIT", "30"))
JICENG_IDENTIFIER_SEARCH_WINDOW = int(os.environ.get("JICENG_IDENTIFIER_SEARCH_WINDOW", "3600"))

LANGUAGE_CODE = "zh-hans"
# Only Chinese: a browser asking for English must not get Django's own strings in English.
LANGUAGES = [("zh-hans", "简体中文")]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "var" / "static"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
MEDIA_ROOT = BASE_DIR / "var" / "media"
MEDIA_URL = "/media/"

# The key that encrypts personal fields (ID numbers) and keys their blind index.
JICENG_FIELD_KEY = os.environ.get("JICENG_FIELD_KEY", "local-development-field-key")
# 国密 option (jiceng/core/crypto.py): "standard" (Fernet, SHA-256) or "guomi" (SM4 for
# encrypted fields, SM3 for the audit chain). Values written under either stay readable.
JICENG_CRYPTO_SCHEME = os.environ.get("JICENG_CRYPTO_SCHEME", "standard")

# Audit integrity (jiceng/core/audit_integrity.py): the checkpoint file and the archive
# segments live here (keep it off the database host; "" disables the file store).
JICENG_AUDIT_DIR = os.environ.get("JICENG_AUDIT_DIR", str(BASE_DIR / "var" / "audit"))
JICENG_AUDIT_RETENTION_DAYS = int(os.environ.get("JICENG_AUDIT_RETENTION_DAYS", "365"))
JICENG_AUDIT_CHECKPOINT_SECONDS = int(os.environ.get("JICENG_AUDIT_CHECKPOINT_SECONDS", "300"))

# Background tasks (jiceng/core/jobs.py): a running task beats every HEARTBEAT seconds; one
# silent for STALE seconds has lost its worker and is retried (up to MAX_ATTEMPTS runs in
# all) or failed by the sweep.
JICENG_TASK_HEARTBEAT_SECONDS = float(os.environ.get("JICENG_TASK_HEARTBEAT_SECONDS", "10"))
JICENG_TASK_STALE_SECONDS = int(os.environ.get("JICENG_TASK_STALE_SECONDS", "120"))
JICENG_TASK_MAX_ATTEMPTS = int(os.environ.get("JICENG_TASK_MAX_ATTEMPTS", "3"))

# Backups (manage.py backup_db / restore_drill).
JICENG_BACKUP_DIR = os.environ.get("JICENG_BACKUP_DIR", str(BASE_DIR / "var" / "backups"))

CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache"
        if not os.environ.get("REDIS_URL")
        else "django.core.cache.backends.redis.RedisCache",
        "LOCATION": os.environ.get("REDIS_URL", "jiceng"),
    }
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": "WARNING"},
}

# Background work: tasks are rows in the database, written in the transaction that caused
# them, and run by `manage.py db_worker` (DESIGN §2). Periodic services are run by
# `manage.py scheduler`.
TASKS = {
    "default": {
        "BACKEND": os.environ.get("JICENG_TASKS_BACKEND", "django_tasks_db.DatabaseBackend"),
        "QUEUES": ["default"],
    }
}
