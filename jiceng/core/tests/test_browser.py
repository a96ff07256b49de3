"""The UI in a real browser: log in, expand the area tree with htmx, open a community."""

import pytest

from jiceng.conftest import PASSWORD
from jiceng.core.roles import Role
from jiceng.testing import BROWSER, chromium

pytestmark = BROWSER


@pytest.fixture
def page():
    with chromium() as browser:
        context = browser.new_context(locale="zh-CN", viewport={"width": 1280, "height": 860})
        page = context.new_page()
        page.set_default_timeout(10_000)
        yield page
        context.close()


@pytest.mark.django_db(transaction=True)
def test_district_admin_walks_the_area_tree_to_a_community(live_server, world, page):
    from playwright.sync_api import expect

    page.goto(f"{live_server.url}/areas/")
    # Login required: the browser lands on the login form first.
    expect(page.locator("h1")).to_have_text("基层治理平台")
    page.fill("input[name=username]", world.users[Role.DISTRICT_ADMIN].username)
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")

    expect(page.locator("main h1")).to_have_text("区域")
    # The district is the only root, so the tree opens it by itself.
    street = page.locator(f'li[data-code="{world.street_a.code}"]')
    expect(street).to_be_visible()
    expect(page.locator(f'li[data-code="{world.street_b.code}"]')).to_be_visible()

    street_toggle = street.locator(".tree-toggle").first
    street_toggle.click()
    community = page.locator(f'li[data-code="{world.community_a1.code}"]')
    expect(community).to_be_visible()
    # A second click folds the street away, a third shows it again (loaded only once).
    street_toggle.click()
    expect(community).to_be_hidden()
    expect(street_toggle).to_have_attribute("aria-expanded", "false")
    street_toggle.click()
    expect(community).to_be_visible()
    expect(page.locator(f'li[data-code="{world.community_a1.code}"]')).to_have_count(1)

    community.get_by_role("link", name="睦和苑社区").click()

    expect(page.locator("main h1")).to_contain_text("睦和苑社区")
    expect(page).to_have_title("睦和苑社区 - 基层治理平台")
    grids = page.locator("main table").last
    expect(grids).to_contain_text("睦和苑社区第一网格")
    expect(grids).to_contain_text("李网格")  # the grid's 网格管家
    # The indicators arrive after the page, through htmx.
    expect(page.locator('[data-indicator="grids"] .figure-value')).to_contain_text("1")
