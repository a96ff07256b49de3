from django.contrib import admin
from django.urls import include, path

admin.site.site_header = "基层治理平台 管理后台"
admin.site.site_title = "基层治理平台"

urlpatterns = [
    path("admin/", admin.site.urls),
    path("party/", include("jiceng.party.urls")),
    path("", include("jiceng.core.urls")),
]

handler404 = "jiceng.core.views.page_not_found"
handler403 = "jiceng.core.views.permission_denied"
