"""Phone first: every page of the URL walk, as every role, fits a 390 px wide screen.

The walk's routes and parameters (``test_url_walk`` and the apps' ``tests/walk.py``) are
reused; the Django test client first finds which URLs answer a whole HTML page to the
role, then one Chromium context per role opens each of them at 390 px and reads
``document.documentElement.scrollWidth``. A page wider than the viewport makes the reader
scroll sideways to see the page itself (a wide table must scroll inside its own box).
"""

import pytest
from django.conf import settings
from django.test import Client

from jiceng.core.roles import Role
from jiceng.core.tests.test_url_walk import ROUTES, _fill, _walk_params
from jiceng.testing import BROWSER, chromium

pytestmark = [*BROWSER, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}


def _pages(world, params, role) -> dict[str, bytes]:
    """The URLs that answer the role a whole HTML page (not a fragment, file or redirect),
    with the page the server answered."""
    client = Client()
    client.force_login(world.users[role])
    urls = {}
    for name, route, _ in ROUTES:
        if "<" in route:
            if name not in params:
                continue
            url = _fill(route, params[name][0](role))
        else:
            url = "/" + route
        if url is None or name in {"core:logout"}:
            continue
        response = client.get(url)
        if response.status_code != 200:
            continue
        if not response.get("Content-Type", "").startswith("text/html"):
            continue
        if b"<html" not in response.content[:400]:
            continue
        urls[url] = response.content
    return urls


def _session_cookie(live_server, user) -> dict:
    client = Client()
    client.force_login(user)
    return {
        "name": settings.SESSION_COOKIE_NAME,
        "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
        "url": live_server.url,
    }


class _Replay:
    """Serves the browser what the test client already fetched: each page's HTML and, once
    fetched, each static file, so the live server renders every page only once and only
    the pages' own htmx requests reach it."""

    def __init__(self, base: str):
        self.base = base
        self.pages: dict[str, bytes] = {}
        self.static: dict[str, tuple] = {}

    def is_page(self, url: str) -> bool:
        return url.removeprefix(self.base) in self.pages

    def page(self, route) -> None:
        body = self.pages[route.request.url.removeprefix(self.base)]
        route.fulfill(status=200, content_type="text/html; charset=utf-8", body=body)

    def file(self, route) -> None:
        url = route.request.url
        if url not in self.static:
            response = route.fetch()
            self.static[url] = (response.status, response.headers, response.body())
        status, headers, body = self.static[url]
        route.fulfill(status=status, headers=headers, body=body)


def test_every_page_fits_a_phone_for_every_role(live_server, world):
    params = _walk_params(world)
    replay = _Replay(live_server.url)
    too_wide = []
    visited = 0
    with chromium() as browser:
        for role in Role:
            replay.pages = _pages(world, params, role)
            assert replay.pages, f"{role} has no page to open"
            context = browser.new_context(locale="zh-CN", viewport=PHONE)
            context.add_cookies([_session_cookie(live_server, world.users[role])])
            context.route(replay.is_page, replay.page)
            context.route("**/static/**", replay.file)
            # Charts draw into boxes the page's CSS sizes; parsing ECharts on every page
            # would double the run without changing a page's width.
            context.route("**/vendor/echarts/**", lambda route: route.abort())
            page = context.new_page()
            page.set_default_timeout(15_000)
            for url in replay.pages:
                page.goto(live_server.url + url, wait_until="load")
                width = page.evaluate("document.documentElement.scrollWidth")
                visited += 1
                if width > PHONE["width"]:
                    too_wide.append(f"{role.value} {url}: {width}px")
            context.close()
    assert visited > 100
    assert not too_wide, "wider than a 390 px phone:\n" + "\n".join(too_wide)


def test_menu_is_one_button_on_a_phone_and_a_sidebar_on_a_desktop(live_server, world):
    from playwright.sync_api import expect

    user = world.users[Role.DISTRICT_ADMIN]
    with chromium() as browser:
        for viewport, phone in ((PHONE, True), ({"width": 1440, "height": 900}, False)):
            context = browser.new_context(locale="zh-CN", viewport=viewport)
            context.add_cookies([_session_cookie(live_server, user)])
            page = context.new_page()
            page.set_default_timeout(10_000)
            page.goto(live_server.url + "/areas/")
            link = page.locator("#app-sidebar [data-nav='people']")
            toggle = page.get_by_role("button", name="打开功能菜单")
            if phone:
                # The menu takes no room above the page until it is opened.
                expect(link).to_be_hidden()
                toggle.click()
                expect(link).to_be_visible()
                link.click()
                expect(page.locator("main h1")).to_have_text("人员")
            else:
                expect(toggle).to_be_hidden()
                expect(link).to_be_visible()
            context.close()
