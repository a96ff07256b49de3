from django.urls import path

from jiceng.core.urls import AreaCodeConverter  # noqa: F401  (registers "areacode")

from .views import dashboard, groups, network, projects, secretaries, villages

app_name = "rural"
urlpatterns = [
    path("", dashboard.RuralHomeView.as_view(), name="home"),
    # villages and the ledger
    path("villages/", villages.VillageListView.as_view(), name="village_list"),
    path("villages/<areacode:code>/", villages.VillageDetailView.as_view(), name="village_detail"),
    path("villages/<areacode:code>/edit/", villages.VillageEditView.as_view(), name="village_edit"),
    path(
        "villages/<areacode:code>/incomes/",
        villages.IncomeCreateView.as_view(),
        name="income_create",
    ),
    path("incomes/<int:pk>/edit/", villages.IncomeEditView.as_view(), name="income_edit"),
    path("incomes/<int:pk>/delete/", villages.IncomeDeleteView.as_view(), name="income_delete"),
    path("ledger/import/", villages.LedgerImportView.as_view(), name="ledger_import"),
    # Downloads are per area (a village list for the template, the ledger for the export).
    path(
        "ledger/<areacode:code>/template.xlsx",
        villages.LedgerTemplateView.as_view(),
        name="ledger_template",
    ),
    path(
        "ledger/<areacode:code>/export.xlsx",
        villages.LedgerExportView.as_view(),
        name="ledger_export",
    ),
    # first secretaries
    path("secretaries/", secretaries.SecretaryListView.as_view(), name="secretary_list"),
    path("secretaries/new/", secretaries.SecretaryCreateView.as_view(), name="secretary_create"),
    path(
        "secretaries/<int:pk>/", secretaries.SecretaryDetailView.as_view(), name="secretary_detail"
    ),
    path(
        "secretaries/<int:pk>/recall/",
        secretaries.SecretaryRecallView.as_view(),
        name="secretary_recall",
    ),
    path("training/", secretaries.TrainingListView.as_view(), name="training_list"),
    path("training/<int:pk>/", secretaries.TrainingDetailView.as_view(), name="training_detail"),
    path("alliances/", network.AllianceListView.as_view(), name="alliance_list"),
    path("alliances/<int:pk>/", network.AllianceDetailView.as_view(), name="alliance_detail"),
    path(
        "alliances/<int:pk>/members/",
        network.AllianceMemberView.as_view(),
        name="alliance_members",
    ),
    path("supporters/", network.SupporterListView.as_view(), name="supporter_list"),
    path("supporters/<int:pk>/", network.SupporterDetailView.as_view(), name="supporter_detail"),
    # projects
    path("projects/", projects.ProjectListView.as_view(), name="project_list"),
    path("projects/new/", projects.ProjectCreateView.as_view(), name="project_create"),
    path("projects/<int:pk>/", projects.ProjectDetailView.as_view(), name="project_detail"),
    path("projects/<int:pk>/edit/", projects.ProjectEditView.as_view(), name="project_edit"),
    path("projects/<int:pk>/status/", projects.ProjectStatusView.as_view(), name="project_status"),
    path("projects/<int:pk>/notes/", projects.ProjectNoteView.as_view(), name="project_note"),
    path(
        "projects/<int:pk>/milestones/",
        projects.MilestoneCreateView.as_view(),
        name="milestone_create",
    ),
    path(
        "milestones/<int:pk>/progress/",
        projects.MilestoneProgressView.as_view(),
        name="milestone_progress",
    ),
    path(
        "projects/<int:pk>/photos/",
        projects.ProjectPhotoUploadView.as_view(),
        name="project_photo_upload",
    ),
    path("photos/<int:pk>/", projects.ProjectPhotoView.as_view(), name="project_photo"),
    # joint committees and consortia
    path("groups/", groups.GroupListView.as_view(), name="group_list"),
    path("groups/<int:pk>/", groups.GroupDetailView.as_view(), name="group_detail"),
    path("groups/<int:pk>/pairings/", groups.PairingCreateView.as_view(), name="pairing_create"),
    path("pairings/<int:pk>/end/", groups.PairingEndView.as_view(), name="pairing_end"),
]
