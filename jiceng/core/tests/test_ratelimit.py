"""The one rate limiter (finding 7): counts shared by processes and kept over a restart,
keyed on the trusted client address (django-axes too), on every public and API entry, with
a Chinese 429."""

from django.core.cache import cache
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from jiceng.appeals.services.tokens import api_token_issue
from jiceng.conftest import PASSWORD
from jiceng.core import ratelimit
from jiceng.core.models import RateLimitCounter
from jiceng.core.roles import Role

PROXY = "10.0.0.2"
OPEN311_SERVICES = "/api/v1/open311/services.json"


def _limits(settings, **rules):
    settings.JICENG_RATE_LIMITS = {name.replace("__", "."): rule for name, rule in rules.items()}


# ---- the store ------------------------------------------------------------------------------


def test_counts_live_in_the_database_so_a_restart_keeps_them(client, db, settings):
    _limits(settings, stations__finder=(2, 600))
    codes = [client.get(reverse("stations:finder")).status_code for _ in range(2)]
    # A restart empties every process's memory and cache; the counters are rows.
    cache.clear()
    codes.append(client.get(reverse("stations:finder")).status_code)
    assert codes == [200, 200, 429]
    row = RateLimitCounter.objects.get(key__startswith="stations.finder:127.0.0.1")
    assert row.hits == 3


def test_hit_counts_per_key_and_window(db):
    assert [ratelimit.count_hit("k", window=60, now=120.0) for _ in range(3)] == [1, 2, 3]
    assert ratelimit.count_hit("other", window=60, now=120.0) == 1
    # The next window starts again from one.
    assert ratelimit.count_hit("k", window=60, now=180.0) == 1
    assert ratelimit.count("k", window=60, now=150.0) == 3


def test_expired_windows_are_purged(db):
    ratelimit.count_hit("old", window=60, now=0.0)
    ratelimit.count_hit("new", window=60, now=timezone.now().timestamp())
    assert ratelimit.purge_expired() == 1
    assert RateLimitCounter.objects.count() == 1


# ---- the trusted client address -------------------------------------------------------------


def test_a_forged_header_sent_directly_does_not_reset_the_count(client, db, settings):
    """JICENG_TRUSTED_PROXIES=1 but the client reaches the application directly from a
    public address: each forged X-Forwarded-For used to be a fresh client."""
    settings.JICENG_TRUSTED_PROXIES = 1
    _limits(settings, stations__finder=(2, 600))
    codes = [
        client.get(
            reverse("stations:finder"),
            REMOTE_ADDR="203.0.113.9",
            HTTP_X_FORWARDED_FOR=f"198.51.100.{i}",
        ).status_code
        for i in range(3)
    ]
    assert codes == [200, 200, 429]


def test_behind_the_proxy_each_client_has_its_own_count(client, db, settings):
    settings.JICENG_TRUSTED_PROXIES = 1
    _limits(settings, stations__finder=(1, 600))

    def get(forwarded):
        return client.get(
            reverse("stations:finder"), REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=forwarded
        ).status_code

    assert [get("198.51.100.7"), get("198.51.100.7"), get("198.51.100.8")] == [200, 429, 200]


def _fail_login(username, forwarded, password="wrong-password"):
    return Client().post(
        reverse("core:login"),
        {"username": username, "password": password},
        REMOTE_ADDR=PROXY,
        HTTP_X_FORWARDED_FOR=forwarded,
    )


def test_axes_locks_the_attacker_not_everyone_behind_the_proxy(world, settings):
    """Behind a proxy axes saw one address for everybody: five wrong passwords from anyone
    locked the account for its owner too."""
    settings.JICENG_TRUSTED_PROXIES = 1
    for _ in range(5):
        response = _fail_login("t_street_staff", "198.51.100.66")
    assert response.status_code == 429 and "账号已被临时锁定" in response.content.decode()
    owner = _fail_login("t_street_staff", "198.51.100.7", password=PASSWORD)
    assert owner.status_code == 302


def test_check_in_failures_are_counted_per_trusted_client(client, world, settings):
    """The check-in page read REMOTE_ADDR: behind a proxy one guesser blocked every resident."""
    from jiceng.party.tests.factories import ActivityFactory, CenterFactory

    settings.JICENG_TRUSTED_PROXIES = 1
    _limits(settings, party__checkin_failure=(2, 600))
    activity = ActivityFactory(center=CenterFactory(area=world.community_a1))
    url = reverse("party:checkin_code")
    for _ in range(2):
        client.post(
            url, {"code": "999999"}, REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR="198.51.100.66"
        )
    guesser = client.post(
        url, {"code": "999999"}, REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR="198.51.100.66"
    )
    resident = client.post(
        url, {"code": activity.checkin_code}, REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR="198.51.100.7"
    )
    assert guesser.status_code == 429
    assert resident.status_code == 200


# ---- every entry ----------------------------------------------------------------------------


def test_the_api_answers_429_in_chinese_json(client, db, settings):
    _limits(settings, api=(2, 60))
    codes = [client.get(OPEN311_SERVICES).status_code for _ in range(2)]
    refused = client.get(OPEN311_SERVICES)
    assert codes == [200, 200]
    assert refused.status_code == 429
    assert refused.json() == {"detail": "接口调用过于频繁，请稍后再试。", "field": None}
    assert refused["Retry-After"] == "60"


def test_wrong_api_tokens_are_limited_even_before_a_right_one(client, world, settings):
    _limits(settings, api__bad_token=(2, 600))
    _, key = api_token_issue(
        by=world.users[Role.DISTRICT_ADMIN], name="网关", user=world.users[Role.DISTRICT_ADMIN]
    )
    body = {"kind": "help", "description": "路灯不亮", "address": "睦和苑"}
    guesses = [
        client.post(
            "/api/v1/appeals",
            body,
            content_type="application/json",
            HTTP_AUTHORIZATION=f"Bearer {g}",
        ).status_code
        for g in ("guess-1", "guess-2")
    ]
    right = client.post(
        "/api/v1/appeals", body, content_type="application/json", HTTP_AUTHORIZATION=f"Bearer {key}"
    )
    assert guesses == [401, 401]
    assert right.status_code == 429 and "无效令牌" in right.json()["detail"]


def test_tracking_lookups_are_limited(client, db, settings):
    _limits(settings, appeals__track=(2, 600))
    url = reverse("appeals:track", kwargs={"code": "NOSUCHCODE"})
    codes = [client.get(url).status_code for _ in range(3)]
    assert codes == [404, 404, 429]
    assert "查询过于频繁" in client.get(url).content.decode()


def test_logins_per_address_are_limited_before_any_password_is_checked(client, world, settings):
    _limits(settings, login=(2, 600))
    for name in ("a", "b"):
        client.post(reverse("core:login"), {"username": name, "password": "x"})
    refused = client.post(
        reverse("core:login"), {"username": "t_street_staff", "password": PASSWORD}
    )
    assert refused.status_code == 429
    assert "登录尝试过于频繁" in refused.content.decode()
    assert "_auth_user_id" not in client.session


def test_people_searches_are_limited_per_account(client, world, settings):
    _limits(settings, people__search=(2, 600))
    client.force_login(world.users[Role.DISTRICT_ADMIN])
    url = reverse("core:person_list")
    codes = [client.get(url, {"q": f"张{i}"}).status_code for i in range(3)]
    assert codes == [200, 200, 429]
    # Browsing the list without a search is not counted.
    assert client.get(url).status_code == 200


def test_open311_lookups_share_the_tracking_limit(client, db, settings):
    _limits(settings, appeals__track=(1, 600))
    url = "/api/v1/open311/requests/NOSUCHCODE.json"
    assert [client.get(url).status_code for _ in range(2)] == [404, 429]
    assert client.get(reverse("appeals:track", kwargs={"code": "X"})).status_code == 429


def test_no_app_keeps_its_own_limiter_or_reads_the_raw_address():
    """One limiter (jiceng/core/ratelimit.py) and one client address (jiceng/core/net.py):
    a module that counts in the cache or reads REMOTE_ADDR itself is a copy that a proxy
    or a restart defeats."""
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    allowed = {root / "core" / "net.py"}
    offenders = [
        str(path.relative_to(root))
        for path in root.rglob("*.py")
        if "tests" not in path.parts
        and "migrations" not in path.parts
        and path not in allowed
        and any(s in path.read_text(encoding="utf-8") for s in ("REMOTE_ADDR", "cache.incr"))
    ]
    assert offenders == []
