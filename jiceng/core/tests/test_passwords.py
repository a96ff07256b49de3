from datetime import timedelta

import pytest
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.utils import timezone

from jiceng.core.roles import Role


@pytest.mark.parametrize("password", ["abcdefgh", "abcd1234", "ABCDEFGH12"])
def test_dengbao_profile_requires_three_character_classes(settings, password):
    settings.JICENG_PASSWORD_PROFILE = "dengbao"
    with pytest.raises(ValidationError, match="至少三类"):
        validate_password(password)


def test_dengbao_profile_accepts_a_strong_password(settings):
    settings.JICENG_PASSWORD_PROFILE = "dengbao"
    validate_password("Shizhong#2024")


def test_basic_profile_does_not_ask_for_classes(settings):
    settings.JICENG_PASSWORD_PROFILE = "basic"
    validate_password("pinganshizhong")


def test_expired_password_sends_the_user_to_password_change(settings, client, world):
    settings.JICENG_PASSWORD_PROFILE = "dengbao"
    user = world.users[Role.COMMUNITY_STAFF]
    type(user).objects.filter(pk=user.pk).update(
        password_changed_at=timezone.now()
        - timedelta(days=settings.JICENG_PASSWORD_MAX_AGE_DAYS + 1)
    )
    client.force_login(user)
    response = client.get("/")
    assert response.status_code == 302
    assert response.url == "/password/"


def test_fresh_password_is_not_sent_to_password_change(settings, client, world):
    settings.JICENG_PASSWORD_PROFILE = "dengbao"
    client.force_login(world.users[Role.COMMUNITY_STAFF])
    response = client.get("/")
    assert response.status_code != 302 or response.url != "/password/"


def test_sessions_expire_when_idle(settings):
    assert settings.SESSION_SAVE_EVERY_REQUEST is True
    assert settings.SESSION_COOKIE_AGE <= 30 * 60
