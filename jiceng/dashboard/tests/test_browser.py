"""The big screen in a real browser: the charts draw from the panel JSON, without errors."""

import pytest

from jiceng.conftest import PASSWORD
from jiceng.core.roles import Role
from jiceng.testing import BROWSER, chromium

pytestmark = BROWSER


@pytest.fixture
def screen_page():
    with chromium() as browser:
        context = browser.new_context(locale="zh-CN", viewport={"width": 1920, "height": 1080})
        page = context.new_page()
        page.set_default_timeout(15_000)
        yield page
        context.close()


@pytest.mark.django_db(transaction=True)
def test_the_big_screen_draws_its_charts(live_server, world, cockpit, screen_page):
    from playwright.sync_api import expect

    page = screen_page
    errors, failed = [], []
    # A missing resource is reported below by its URL (the layout has no favicon).
    page.on(
        "console",
        lambda m: (
            errors.append(m.text)
            if m.type == "error" and not m.text.startswith("Failed to load resource")
            else None
        ),
    )
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.on(
        "response",
        lambda r: failed.append(r.url) if r.status >= 400 and "favicon" not in r.url else None,
    )

    page.goto(f"{live_server.url}/login/")
    page.fill("input[name=username]", world.users[Role.STREET_STAFF].username)
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    data_requests = []
    page.on(
        "request", lambda r: data_requests.append(r.url) if "/dashboard/data/" in r.url else None
    )
    page.clock.install()
    page.goto(f"{live_server.url}/dashboard/screen/?period={cockpit.month}")

    expect(page.locator("[data-dashboard]")).to_have_attribute("data-drawn", "true")
    expect(page.locator("h1")).to_contain_text("大观园街道")
    for key in ("appeal_volume", "appeal_grid_map", "appeal_categories", "appeal_workload"):
        expect(page.locator(f'[data-panel="{key}"] canvas').first).to_be_visible()
    expect(page.locator('[data-panel="appeal_rates"] .dash-figure').first).to_contain_text("4")
    expect(page.locator('[data-panel="appeal_overdue"] table')).to_contain_text("DASHA00001")
    assert page.evaluate("document.documentElement.scrollHeight") <= 1080
    assert errors == []
    assert failed == []

    # The wall refreshes its figures every minute.
    assert len(data_requests) == 1
    page.clock.run_for(61_000)
    page.wait_for_timeout(500)
    assert len(data_requests) == 2
    expect(page.locator("[data-dashboard]")).to_have_attribute("data-drawn", "true")
