from django.urls import path, register_converter

from .views import (
    accounts,
    areas,
    auth,
    exports,
    home,
    imports,
    people,
    proposals,
    second_factor,
    system,
)


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


class DottedKeyConverter:
    """The key of a registered export or import, such as core.people."""

    regex = r"[a-z][a-z0-9_]*\.[a-z][a-z0-9_]*"

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value


register_converter(AreaCodeConverter, "areacode")
register_converter(DottedKeyConverter, "dottedkey")
register_converter(RevealFieldConverter, "piifield")

app_name = "core"
urlpatterns = [
    path("", home.HomeView.as_view(), name="home"),
    path("home/figures/", home.HomeFiguresView.as_view(), name="home_figures"),
    path("login/", auth.LoginView.as_view(), name="login"),
    path("logout/", auth.LogoutView.as_view(), name="logout"),
    path("otp/verify/", second_factor.OtpVerifyView.as_view(), name="otp_verify"),
    path("otp/setup/", second_factor.OtpSetupView.as_view(), name="otp_setup"),
    path("password/", auth.PasswordChangeView.as_view(), name="password_change"),
    path("password/done/", auth.PasswordChangeDoneView.as_view(), name="password_change_done"),
    path("areas/", areas.AreaTreeView.as_view(), name="area_tree"),
    path("areas/switch/", areas.AreaSwitchView.as_view(), name="area_switch"),
    path("areas/<areacode:code>/", areas.AreaDetailView.as_view(), name="area_detail"),
    path("areas/<areacode:code>/children/", areas.AreaChildrenView.as_view(), name="area_children"),
    path(
        "areas/<areacode:code>/indicators/",
        areas.AreaIndicatorsView.as_view(),
        name="area_indicators",
    ),
    path("areas/<areacode:code>/edit/", areas.AreaEditView.as_view(), name="area_edit"),
    path(
        "areas/<areacode:code>/new/", areas.AreaChildCreateView.as_view(), name="area_child_create"
    ),
    path(
        "areas/<areacode:code>/posts/new/",
        areas.AreaPostCreateView.as_view(),
        name="area_post_create",
    ),
    path("people/", people.PersonListView.as_view(), name="person_list"),
    path("people/new/", people.PersonCreateView.as_view(), name="person_create"),
    path("people/<int:pk>/", people.PersonDetailView.as_view(), name="person_detail"),
    path("people/<int:pk>/edit/", people.PersonEditView.as_view(), name="person_edit"),
    path(
        "people/<int:pk>/posts/new/",
        people.PersonPostCreateView.as_view(),
        name="person_post_create",
    ),
    path("people/<int:pk>/posts/end/", people.PostEndView.as_view(), name="post_end"),
    path(
        "people/<int:pk>/reveal/<piifield:field>/",
        people.PersonRevealView.as_view(),
        name="person_reveal",
    ),
    path("exports/", exports.ExportJobListView.as_view(), name="export_jobs"),
    path("exports/list/<dottedkey:key>/", exports.ListExportView.as_view(), name="list_export"),
    path(
        "exports/<int:pk>/progress/",
        exports.ExportJobProgressView.as_view(),
        name="export_job_progress",
    ),
    path(
        "exports/<int:pk>/download/",
        exports.ExportJobDownloadView.as_view(),
        name="export_job_download",
    ),
    path("imports/", imports.ImportHomeView.as_view(), name="import_home"),
    path("imports/<dottedkey:key>/", imports.ImportView.as_view(), name="import"),
    path(
        "imports/<dottedkey:key>/template/",
        imports.ImportTemplateView.as_view(),
        name="import_template",
    ),
    path("audit/", system.AuditListView.as_view(), name="audit_list"),
    path("audit/verify/", system.AuditVerifyView.as_view(), name="audit_verify"),
    path("accounts/", accounts.AccountListView.as_view(), name="account_list"),
    path("accounts/new/", accounts.AccountCreateView.as_view(), name="account_create"),
    path("accounts/<int:pk>/", accounts.AccountDetailView.as_view(), name="account_detail"),
    path(
        "accounts/<int:pk>/roles/",
        accounts.AccountRoleAssignView.as_view(),
        name="account_role_assign",
    ),
    path(
        "accounts/<int:pk>/roles/<int:ra>/end/",
        accounts.AccountRoleEndView.as_view(),
        name="account_role_end",
    ),
    path(
        "accounts/<int:pk>/deactivate/",
        accounts.AccountDeactivateView.as_view(),
        name="account_deactivate",
    ),
    path(
        "accounts/<int:pk>/activate/",
        accounts.AccountActivateView.as_view(),
        name="account_activate",
    ),
    path(
        "accounts/<int:pk>/password/",
        accounts.AccountPasswordResetView.as_view(),
        name="account_password_reset",
    ),
    path("accounts/<int:pk>/unlock/", accounts.AccountUnlockView.as_view(), name="account_unlock"),
    path("accounts/proposals/", proposals.ProposalListView.as_view(), name="proposal_list"),
    path("accounts/proposals/new/", proposals.ProposalCreateView.as_view(), name="proposal_create"),
    *(
        path(
            f"accounts/proposals/<int:pk>/{decision}/",
            proposals.ProposalDecideView.as_view(),
            {"decision": decision},
            name=f"proposal_{decision}",
        )
        for decision in ("approve", "reject", "withdraw")
    ),
    path(
        "accounts/<int:pk>/otp-reset/",
        second_factor.AccountOtpResetView.as_view(),
        name="account_otp_reset",
    ),
]
