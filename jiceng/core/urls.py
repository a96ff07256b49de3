from django.urls import path, register_converter

from . import views


class AreaCodeConverter:
    """Area codes are digits only, so /areas/<code>/ never swallows a word like "switch"."""

    regex = r"[0-9]{6,24}"

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value


class RevealFieldConverter:
    regex = "phone|id_number"

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value


register_converter(AreaCodeConverter, "areacode")
register_converter(RevealFieldConverter, "piifield")

app_name = "core"
urlpatterns = [
    path("", views.HomeView.as_view(), name="home"),
    path("login/", views.LoginView.as_view(), name="login"),
    path("logout/", views.LogoutView.as_view(), name="logout"),
    path("password/", views.PasswordChangeView.as_view(), name="password_change"),
    path("password/done/", views.PasswordChangeDoneView.as_view(), name="password_change_done"),
    path("areas/", views.AreaTreeView.as_view(), name="area_tree"),
    path("areas/switch/", views.AreaSwitchView.as_view(), name="area_switch"),
    path("areas/<areacode:code>/", views.AreaDetailView.as_view(), name="area_detail"),
    path("areas/<areacode:code>/children/", views.AreaChildrenView.as_view(), name="area_children"),
    path(
        "areas/<areacode:code>/indicators/",
        views.AreaIndicatorsView.as_view(),
        name="area_indicators",
    ),
    path("people/", views.PersonListView.as_view(), name="person_list"),
    path("people/<int:pk>/", views.PersonDetailView.as_view(), name="person_detail"),
    path(
        "people/<int:pk>/reveal/<piifield:field>/",
        views.PersonRevealView.as_view(),
        name="person_reveal",
    ),
    path("audit/", views.AuditListView.as_view(), name="audit_list"),
    path("audit/verify/", views.AuditVerifyView.as_view(), name="audit_verify"),
    path("accounts/", views.AccountListView.as_view(), name="account_list"),
]
