"""Every response carries the Content-Security-Policy and the security headers, and no page
needs what the policy refuses: inline scripts without the nonce, inline event handlers,
``javascript:`` URLs."""

import json
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client

from jiceng.core.roles import Role
from jiceng.core.tests.test_url_walk import _urls

TEMPLATE_ROOT = Path(settings.BASE_DIR) / "jiceng"


def directives(response) -> dict[str, list[str]]:
    header = response.headers["Content-Security-Policy"]
    out = {}
    for part in header.split(";"):
        name, *sources = part.split()
        out[name] = sources
    return out


def assert_secured(response, where: str) -> None:
    csp = directives(response)
    script = csp["script-src"]
    assert "'self'" in script, where
    assert [s for s in script if s.startswith("'nonce-")], where
    assert "'unsafe-inline'" not in script and "'unsafe-eval'" not in script, where
    assert "'unsafe-inline'" not in csp["style-src-elem"], where
    assert csp["object-src"] == ["'none'"], where
    assert csp["base-uri"] == ["'self'"], where
    assert csp["frame-ancestors"] == ["'none'"], where
    assert csp["default-src"] == ["'self'"], where
    assert response.headers["X-Content-Type-Options"] == "nosniff", where
    assert response.headers["Referrer-Policy"] == "same-origin", where
    assert response.headers["X-Frame-Options"] == "DENY", where
    permissions = response.headers["Permissions-Policy"]
    assert "camera=()" in permissions and "microphone=()" in permissions, where
    assert "geolocation=(self)" in permissions, where


def nonce_of(response) -> str:
    (source,) = [s for s in directives(response)["script-src"] if s.startswith("'nonce-")]
    return source.removeprefix("'nonce-").removesuffix("'")


class _InlineCode(HTMLParser):
    """Collects what a strict policy would block: handler attributes, javascript: URLs,
    inline scripts without the page's nonce."""

    def __init__(self, nonce: str):
        super().__init__()
        self.nonce = nonce
        self.found: list[str] = []

    def handle_starttag(self, tag, attrs):
        for name, value in attrs:
            if name.startswith("on") or name.startswith("hx-on"):
                self.found.append(f"<{tag} {name}=…>")
            if name in ("href", "src", "action", "formaction") and (
                value or ""
            ).strip().lower().startswith("javascript:"):
                self.found.append(f"<{tag} {name}={value}>")
        attributes = dict(attrs)
        if tag == "script" and not attributes.get("src") and attributes.get("nonce") != self.nonce:
            self.found.append("<script> without src or nonce")
        if tag == "style" and attributes.get("nonce") != self.nonce:
            self.found.append("<style> without nonce")


def inline_code(response) -> list[str]:
    parser = _InlineCode(nonce_of(response))
    parser.feed(response.content.decode())
    return parser.found


@pytest.mark.parametrize("role", [None, Role.DISTRICT_ADMIN])
def test_every_page_carries_the_policy_and_needs_no_inline_code(client, world, role):
    if role is not None:
        client.force_login(world.users[role])
    pages = 0
    for _, url, _, _ in _urls(world, role):
        response = client.get(url)
        assert_secured(response, url)
        if response.status_code == 200 and "text/html" in response.headers["Content-Type"]:
            pages += 1
            assert inline_code(response) == [], url
    assert pages >= (5 if role is None else 50)


@pytest.mark.parametrize(
    "request_",
    [
        ("get", "/no-such-page/", {}),  # 404
        ("get", "/api/v1/openapi.json", {}),  # JSON
        ("get", "/static/core/app.js", {}),  # (served by Django only in tests)
        ("post", "/login/", {"username": "x", "password": "y"}),  # CSRF refusal, 403
    ],
)
def test_errors_json_and_refusals_carry_the_headers_too(world, request_):
    method, url, data = request_
    client = Client(enforce_csrf_checks=True)
    response = getattr(client, method)(url, data)
    assert_secured(response, url)


def test_each_response_has_its_own_nonce_and_templates_receive_it(client, world):
    client.force_login(world.users[Role.DISTRICT_ADMIN])
    first, second = client.get("/"), client.get("/")
    assert nonce_of(first) != nonce_of(second)
    assert len(nonce_of(first)) >= 22  # at least 128 bits
    assert first.context["csp_nonce"] == nonce_of(first)


def test_htmx_may_not_evaluate_code_or_inject_styles(client, world):
    client.force_login(world.users[Role.DISTRICT_ADMIN])
    body = client.get("/").content.decode()
    (config,) = re.findall(r"<meta name=\"htmx-config\" content='([^']*)'>", body)
    assert json.loads(config) == {
        "allowEval": False,
        "allowScriptTags": False,
        "includeIndicatorStyles": False,
    }


HANDLER = re.compile(r"<[^>]*\s(on[a-z]+|hx-on[:\w-]*)\s*=", re.IGNORECASE)
INLINE_SCRIPT = re.compile(r"<script(?![^>]*\b(src|nonce)=)[^>]*>", re.IGNORECASE)


def test_no_template_holds_inline_handlers_or_scripts():
    offenders = []
    for path in TEMPLATE_ROOT.glob("*/templates/**/*.html"):
        text = path.read_text(encoding="utf-8")
        for pattern in (HANDLER, INLINE_SCRIPT):
            offenders += [
                f"{path.relative_to(TEMPLATE_ROOT)}: {m.group(0)[:60]}"
                for m in pattern.finditer(text)
            ]
        if "javascript:" in text.lower():
            offenders.append(f"{path.relative_to(TEMPLATE_ROOT)}: javascript: URL")
    assert offenders == []
