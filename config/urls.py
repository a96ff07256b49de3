from django.contrib import admin
from django.urls import include, path
from ninja import NinjaAPI

from jiceng.core.badinput import StrictJsonParser, install_api_input_handlers
from jiceng.core.ratelimit import ApiThrottle, install_api_handlers

admin.site.site_header = "基层治理平台 管理后台"
admin.site.site_title = "基层治理平台"

# The platform's API: OpenAPI 3 schema at /api/v1/openapi.json (no docs UI: it loads from a
# CDN). Each app adds its router.
# Every operation is counted by the core's rate limiter (429 JSON in Chinese past it); the
# body parser refuses NaN/Infinity and answers unreadable or oversized bodies in Chinese.
api = NinjaAPI(
    title="基层治理平台 API",
    version="1",
    urls_namespace="api",
    docs_url=None,
    throttle=[ApiThrottle()],
    parser=StrictJsonParser(),
)
install_api_handlers(api)
install_api_input_handlers(api)
api.add_router("", "jiceng.appeals.api.router")

urlpatterns = [
    path("admin/", admin.site.urls),
    path("party/", include("jiceng.party.urls")),
    path("appeals/", include("jiceng.appeals.urls")),
    path("api/v1/", api.urls),
    path("rural/", include("jiceng.rural.urls")),
    path("contests/", include("jiceng.contests.urls")),
    path("cadres/", include("jiceng.cadres.urls")),
    path("brands/", include("jiceng.brands.urls")),
    path("stations/", include("jiceng.stations.urls")),
    path("dashboard/", include("jiceng.dashboard.urls")),
    path("", include("jiceng.core.urls")),
]

handler404 = "jiceng.core.views.page_not_found"
handler403 = "jiceng.core.views.permission_denied"
handler500 = "jiceng.core.views.server_error"
handler400 = "jiceng.core.badinput.bad_request"
