"""Script-bearing names in every name field the cockpit and the big screen show, opened in
a real browser by a district admin who hovers over every chart: no dialog may open, no
injected element may appear, and the Content-Security-Policy may refuse nothing (the pages
need no inline code, so a refusal means something was injected or a page broke the policy).

Issue 17, finding 2: a grid renamed to ``第1网格<img src=x onerror=alert('grid')>`` ran its
script from the grid map's tooltip."""

import pytest

from jiceng.appeals.models import Category
from jiceng.appeals.stats.maintain import rollups_rebuild
from jiceng.brands.tests.factories import BrandFactory
from jiceng.conftest import PASSWORD
from jiceng.contests.tests.factories import ContestFactory, EntryFactory
from jiceng.core.models import Area
from jiceng.core.roles import Role
from jiceng.rural.tests.factories import IncomeFactory, VillageAreaFactory, VillageFactory
from jiceng.stations.tests.factories import StationFactory
from jiceng.testing import BROWSER, chromium

pytestmark = BROWSER

PAYLOADS = [
    "<img src=x onerror=alert('grid')>",
    "</script><script>alert(1)</script>",
    '"><svg onload=alert(1)>',
    "'><img src=x onerror=alert(2)>",
    "{b}<iframe srcdoc='<script>alert(3)</script>'>",
    "javascript:alert(4)//",
]

# Found after hovering: anything the payloads would have created, had they been parsed as HTML.
INJECTED = "img[src='x'], svg[onload], iframe, script:not([src]), [onerror], [onload]"


def _named(prefix: str, i: int) -> str:
    return prefix + PAYLOADS[i % len(PAYLOADS)]


def _store_script_names(world, cockpit) -> dict:
    """Every name the dashboards show, each carrying a payload; returns the names the
    charts' tooltips must show as text."""
    names = {"grid": "第1网格<img src=x onerror=alert('grid')>"}
    Area.objects.filter(pk=world.grid_a1.pk).update(name=names["grid"])
    for i, area in enumerate(
        [world.district, world.street_a, world.community_a1, world.street_b], start=1
    ):
        Area.objects.filter(pk=area.pk).update(name=_named(area.name[:4], i))
    names["street_b"] = _named(world.street_b.name[:4], 4)
    village = VillageAreaFactory(parent=world.street_a, name=_named("测试村", 1))
    VillageFactory(area=village)
    IncomeFactory(area=village, year=2024, source=_named("收入", 2))
    for i, category in enumerate(Category.objects.order_by("pk")):
        Category.objects.filter(pk=category.pk).update(name=_named("分类", i))
    names["category"] = _named("分类", 0)
    owner = cockpit.overdue_a.owner
    owner.name = names["steward"] = _named("管家", 2)
    owner.save(update_fields=["name"])
    cockpit.overdue_a.title = names["appeal"] = _named("诉求", 3)
    cockpit.overdue_a.save(update_fields=["title"])
    StationFactory(area=world.community_a1, name=_named("驿站", 4))
    BrandFactory(area=world.community_a1, name=_named("品牌", 5))
    contest = ContestFactory(area=world.district, year=2024, name=_named("大赛", 0))
    names["contest"], names["contest_pk"] = contest.name, contest.pk
    EntryFactory(contest=contest, village=village, title=_named("项目", 1))
    rollups_rebuild()
    return names


@pytest.fixture
def page():
    with chromium() as browser:
        context = browser.new_context(locale="zh-CN", viewport={"width": 1440, "height": 1000})
        context.add_init_script(
            "window.__violations = [];"
            "document.addEventListener('securitypolicyviolation', function (e) {"
            "  window.__violations.push(e.violatedDirective + ' ' + e.blockedURI);"
            "});"
        )
        page = context.new_page()
        page.set_default_timeout(15_000)
        yield page
        context.close()


def _hover_every_chart(page) -> None:
    """Move the mouse over a grid of points on every chart, so that every tooltip (map,
    bars, pie) is drawn at least once."""
    for canvas in page.locator("[data-panel] canvas").all():
        box = canvas.bounding_box()
        if not box:
            continue
        canvas.scroll_into_view_if_needed()
        box = canvas.bounding_box()
        for fx in (0.2, 0.35, 0.5, 0.65, 0.8):
            for fy in (0.3, 0.5, 0.7):
                page.mouse.move(box["x"] + box["width"] * fx, box["y"] + box["height"] * fy)
                page.wait_for_timeout(20)
        page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)


def _tooltip_texts(page) -> str:
    return page.evaluate(
        "() => Array.from(document.querySelectorAll('[data-panel] .dash-chart > div'))"
        ".map(d => d.textContent).join('\\n')"
    )


@pytest.mark.django_db(transaction=True)
def test_script_names_never_run_on_the_cockpit_or_the_big_screen(live_server, world, cockpit, page):
    from playwright.sync_api import expect

    names = _store_script_names(world, cockpit)
    dialogs, console = [], []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    page.on(
        "console",
        lambda m: (
            console.append(m.text)
            if m.type == "error" or "Content Security Policy" in m.text
            else None
        ),
    )
    page.on("pageerror", lambda e: console.append(str(e)))

    page.goto(f"{live_server.url}/login/")
    page.fill("input[name=username]", world.users[Role.DISTRICT_ADMIN].username)
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    expect(page.locator("main h1")).to_be_visible()

    period = f"period={cockpit.month}"
    seen_tooltips = ""
    for path in (
        f"/dashboard/?area={world.community_a1.code}&{period}",
        f"/dashboard/?area={world.street_a.code}&{period}",
        f"/dashboard/?area={world.district.code}&{period}",
        f"/dashboard/screen/?area={world.community_a1.code}&{period}",
        f"/dashboard/screen/?area={world.district.code}&{period}",
    ):
        page.goto(live_server.url + path)
        expect(page.locator("[data-dashboard]")).to_have_attribute("data-drawn", "true")
        _hover_every_chart(page)
        seen_tooltips += _tooltip_texts(page)
        assert page.locator(INJECTED).count() == 0, path
        assert page.evaluate("window.__violations") == [], path

    # The pages that list those names draw them as text too.
    for path in (
        "/",
        f"/areas/{world.community_a1.code}/",
        "/appeals/?queue=overdue",
        f"/appeals/{cockpit.overdue_a.pk}/",
        "/brands/?year=2024",
        "/stations/",
        f"/rural/villages/?area={world.street_a.code}",
        f"/contests/{names['contest_pk']}/",
    ):
        response = page.goto(live_server.url + path)
        assert response.status == 200, path
        page.wait_for_load_state("networkidle")
        assert page.locator(INJECTED).count() == 0, path
        assert page.evaluate("window.__violations") == [], path

    # The hovering reached the tooltips, and they show the names as text.
    assert f"{names['grid']}：4 件" in seen_tooltips  # the grid map
    assert f"{names['category']}：4 件" in seen_tooltips  # the categories' pie
    assert names["steward"] in seen_tooltips  # the workload bars
    assert names["street_b"] in seen_tooltips  # the streets' rates
    # The tables show the names as text too.
    page.goto(f"{live_server.url}/dashboard/?area={world.district.code}&{period}")
    expect(page.locator('[data-panel="appeal_overdue"] table')).to_contain_text(_named("诉求", 3))
    expect(page.locator('[data-panel="contests"] table')).to_contain_text(_named("大赛", 0))
    assert dialogs == []
    assert [m for m in console if "Failed to load resource" not in m] == []
