"""Second factor (item 8): TOTP required for district, security and audit administrators when
the site says so; enrolment with a QR code, verify after the password, one-time recovery codes
stored hashed, reset by another administrator; each step audited."""

import time

import pytest
from django.test import Client
from django.urls import reverse
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from jiceng.conftest import PASSWORD
from jiceng.core.models import AuditEvent, RecoveryCode
from jiceng.core.roles import Role


@pytest.fixture
def required(settings):
    settings.JICENG_OTP_REQUIRED = True


def _code(device, offset=0) -> str:
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = time.time() + offset * device.step
    return f"{totp.token():06d}"


def _login(client, user):
    """A real password login (the signal decides the second step)."""
    if not user.check_password(PASSWORD):
        user.set_password(PASSWORD)
        user.save()
    response = client.post(reverse("core:login"), {"username": user.username, "password": PASSWORD})
    assert response.status_code == 302
    return response


def _enrol(client, user) -> tuple[TOTPDevice, list[str]]:
    client.get(reverse("core:otp_setup"))
    device = TOTPDevice.objects.get(user=user, confirmed=False)
    response = client.post(reverse("core:otp_setup"), {"code": _code(device)})
    assert response.status_code == 200
    return TOTPDevice.objects.get(pk=device.pk), response.context["codes"]


@pytest.mark.parametrize("role", [Role.DISTRICT_ADMIN, Role.SECURITY_ADMIN, Role.AUDITOR])
def test_privileged_roles_must_enrol_before_any_page(client, world, required, role):
    user = world.users[role]
    _login(client, user)
    response = client.get(reverse("core:home"))
    assert response.status_code == 302 and response.url.startswith(reverse("core:otp_setup"))
    page = client.get(response.url).content.decode()
    assert "绑定身份验证器" in page and "<svg" in page


def test_enforcement_also_holds_after_force_login(client, world, required):
    client.force_login(world.users[Role.AUDITOR])
    response = client.get(reverse("core:audit_list"))
    assert response.status_code == 302 and "/otp/setup/" in response.url


def test_other_roles_and_a_switched_off_site_are_not_asked(client, world, settings):
    settings.JICENG_OTP_REQUIRED = True
    client.force_login(world.users[Role.GRID_STEWARD])
    assert client.get(reverse("core:home")).status_code == 200
    settings.JICENG_OTP_REQUIRED = False
    other = Client()
    other.force_login(world.users[Role.DISTRICT_ADMIN])
    assert other.get(reverse("core:home")).status_code == 200


def test_enrolment_then_every_login_asks_for_the_code(client, world, required):
    user = world.users[Role.DISTRICT_ADMIN]
    _login(client, user)
    device, codes = _enrol(client, user)
    assert device.confirmed and len(codes) == 10
    assert client.get(reverse("core:home")).status_code == 200
    assert AuditEvent.objects.filter(action="auth.otp_enrol", object_id=str(user.pk)).exists()
    # Only hashes are kept.
    stored = set(RecoveryCode.objects.filter(user=user).values_list("code_hash", flat=True))
    assert len(stored) == 10 and not any(c in h for c in codes for h in stored)

    browser = Client()
    _login(browser, user)
    response = browser.get(reverse("core:home"))
    assert response.status_code == 302 and "/otp/verify/" in response.url
    wrong = browser.post(reverse("core:otp_verify"), {"code": "000000"})
    assert wrong.status_code == 400 and "验证码不正确" in wrong.content.decode()
    assert browser.get(reverse("core:home")).status_code == 302
    assert AuditEvent.objects.filter(action="auth.otp_failed").count() == 1
    ok = browser.post(reverse("core:otp_verify"), {"code": _code(device, 1), "next": "/areas/"})
    assert ok.status_code == 302 and ok.url == "/areas/"
    assert browser.get(reverse("core:home")).status_code == 200


def test_a_recovery_code_works_once(client, world, required):
    user = world.users[Role.SECURITY_ADMIN]
    _login(client, user)
    _, codes = _enrol(client, user)
    first = Client()
    _login(first, user)
    assert first.post(reverse("core:otp_verify"), {"code": codes[0].upper()}).status_code == 302
    assert first.get(reverse("core:home")).status_code == 200
    assert AuditEvent.objects.filter(action="auth.otp_recovery_used").count() == 1
    second = Client()
    _login(second, user)
    reused = second.post(reverse("core:otp_verify"), {"code": codes[0]})
    assert reused.status_code == 400
    assert second.get(reverse("core:home")).status_code == 302


def test_a_code_from_the_app_cannot_be_replayed(client, world, required):
    user = world.users[Role.DISTRICT_ADMIN]
    _login(client, user)
    device, _ = _enrol(client, user)
    code = _code(device, 1)
    a, b = Client(), Client()
    _login(a, user)
    _login(b, user)
    first = a.post(reverse("core:otp_verify"), {"code": code})
    assert first.status_code == 302 and first.url == "/"
    assert b.post(reverse("core:otp_verify"), {"code": code}).status_code == 400


def test_codes_are_rate_limited_per_account(client, world, required, settings):
    settings.JICENG_RATE_LIMITS = {"otp.verify": (3, 600)}
    user = world.users[Role.DISTRICT_ADMIN]
    _login(client, user)
    device, _ = _enrol(client, user)  # one counted attempt
    browser = Client()
    _login(browser, user)
    for _ in range(2):
        browser.post(reverse("core:otp_verify"), {"code": "000000"})
    refused = browser.post(reverse("core:otp_verify"), {"code": _code(device, 1)})
    assert refused.status_code == 429 and "验证码尝试次数过多" in refused.content.decode()
    assert browser.get(reverse("core:home")).status_code == 302


def test_another_admin_resets_it_and_the_holder_enrols_again(client, world, required):
    holder = world.users[Role.DISTRICT_ADMIN]
    _login(client, holder)
    _enrol(client, holder)
    security = world.users[Role.SECURITY_ADMIN]
    admin = Client()
    admin.force_login(security)
    # The security administrator must pass the second step too before resetting anything.
    assert admin.post(reverse("core:account_otp_reset", args=[holder.pk])).status_code == 302
    assert TOTPDevice.objects.filter(user=holder).exists()
    session = admin.session
    session.pop("jiceng_otp_pending")
    session.save()
    response = admin.post(reverse("core:account_otp_reset", args=[holder.pk]))
    assert response.status_code == 302
    assert not TOTPDevice.objects.filter(user=holder).exists()
    assert not RecoveryCode.objects.filter(user=holder).exists()
    row = AuditEvent.objects.get(action="auth.otp_reset")
    assert row.actor == security and row.object_id == str(holder.pk)
    again = Client()
    _login(again, holder)
    assert "/otp/setup/" in again.get(reverse("core:home")).url


def test_nobody_resets_their_own_second_factor(client, world, settings):
    user = world.users[Role.SECURITY_ADMIN]
    client.force_login(user)
    _enrol(client, user)
    response = client.post(reverse("core:account_otp_reset", args=[user.pk]))
    assert response.status_code == 403 and "不能重置自己的身份验证器" in response.content.decode()
    assert TOTPDevice.objects.filter(user=user, confirmed=True).exists()
    assert not AuditEvent.objects.filter(action="auth.otp_reset").exists()


def test_anyone_may_enrol_voluntarily_and_is_then_asked(client, world, settings):
    settings.JICENG_OTP_REQUIRED = False
    user = world.users[Role.STREET_STAFF]
    client.force_login(user)
    _enrol(client, user)
    browser = Client()
    _login(browser, user)
    assert "/otp/verify/" in browser.get(reverse("core:home")).url


def test_new_recovery_codes_replace_the_old_ones(client, world, required):
    user = world.users[Role.AUDITOR]
    _login(client, user)
    _, old = _enrol(client, user)
    response = client.post(reverse("core:otp_setup"), {"action": "regenerate"})
    new = response.context["codes"]
    assert set(new).isdisjoint(old) and RecoveryCode.objects.filter(user=user).count() == 10
    browser = Client()
    _login(browser, user)
    assert browser.post(reverse("core:otp_verify"), {"code": old[0]}).status_code == 400
    assert browser.post(reverse("core:otp_verify"), {"code": new[0]}).status_code == 302


def test_a_wrong_enrolment_code_confirms_nothing(client, world, required):
    user = world.users[Role.DISTRICT_ADMIN]
    _login(client, user)
    client.get(reverse("core:otp_setup"))
    response = client.post(reverse("core:otp_setup"), {"code": "12345x"})
    assert response.status_code == 400 and "验证码不正确" in response.content.decode()
    assert not TOTPDevice.objects.filter(user=user, confirmed=True).exists()
    assert AuditEvent.objects.filter(action="auth.otp_enrol_failed").count() == 1
