"""Finding 8 (parts): username-plus-digits passwords, the development field key under
``check --deploy``, the production login page before ``collectstatic``, a Chinese 500."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.test import Client

from jiceng.core.models import User

ROOT = Path(settings.BASE_DIR)


@pytest.mark.parametrize(
    ("username", "password"),
    [
        ("admin", "admin123456"),
        ("admin", "Admin@2024"),
        ("zhangsan", "2024zhangsan"),
        ("zhangsan", "nasgnahz#2024"),
        ("t_security", "T_security.0001"),
    ],
)
def test_a_password_made_of_the_username_and_digits_is_refused(username, password):
    with pytest.raises(ValidationError) as e:
        validate_password(password, User(username=username))
    assert "用户名" in " ".join(e.value.messages)


@pytest.mark.parametrize("password", ["Xq7!mountain-river", "adm1nistrat0r-Tea#"])
def test_a_password_that_only_shares_letters_with_the_username_passes(password):
    validate_password(password, User(username="admin"))


def _check_deploy(field_key: str) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": "config.settings.production",
            "DJANGO_SECRET_KEY": "x" * 20 + "production-secret-key-for-the-check-0123456789",
            "DJANGO_ALLOWED_HOSTS": "jiceng.example.gov.cn",
            "JICENG_FIELD_KEY": field_key,
        }
    )
    return subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.mark.parametrize("key", ["local-development-field-key", "test-field-key", "short-key"])
def test_check_deploy_refuses_the_development_field_key(key):
    result = _check_deploy(key)
    assert result.returncode != 0
    assert "jiceng.E001" in result.stderr + result.stdout


def test_production_login_renders_before_collectstatic(client, db, settings, tmp_path):
    """The manifest storage raised for every {% static %} until collectstatic had run."""
    settings.STATIC_ROOT = tmp_path / "static-not-collected"
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "jiceng.core.storage.ForgivingManifestStaticFilesStorage"},
    }
    response = client.get("/login/")
    assert response.status_code == 200
    assert "工作人员登录" in response.content.decode()


def test_production_uses_the_forgiving_storage():
    text = (ROOT / "config" / "settings" / "production.py").read_text()
    assert "jiceng.core.storage.ForgivingManifestStaticFilesStorage" in text


def test_a_server_error_is_a_chinese_page(db, monkeypatch):
    def boom(self, request, *args, **kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr("jiceng.core.views.auth.LoginView.get", boom)
    response = Client(raise_request_exception=False).get("/login/")
    assert response.status_code == 500
    body = response.content.decode()
    assert "请稍后" in body and "Server Error" not in body
