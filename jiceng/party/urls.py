from django.urls import path

from .views import centers, organizations
from .views import orgs as views

app_name = "party"
urlpatterns = [
    path("", views.PartyOrgTreeView.as_view(), name="org_tree"),
    path("<int:pk>/", views.PartyOrgDetailView.as_view(), name="org_detail"),
    path("<int:pk>/new/", views.PartyOrgChildCreateView.as_view(), name="org_child_create"),
    path("<int:pk>/edit/", views.PartyOrgEditView.as_view(), name="org_edit"),
    # two-new organizations and property companies, their coverage, demonstration points
    path("organizations/", organizations.OrganizationListView.as_view(), name="organization_list"),
    path(
        "organizations/new/",
        organizations.OrganizationCreateView.as_view(),
        name="organization_create",
    ),
    path(
        "organizations/<int:pk>/",
        organizations.OrganizationDetailView.as_view(),
        name="organization_detail",
    ),
    path(
        "organizations/<int:pk>/edit/",
        organizations.OrganizationEditView.as_view(),
        name="organization_edit",
    ),
    path(
        "organizations/<int:pk>/designate/",
        organizations.PointDesignateView.as_view(),
        name="point_designate",
    ),
    path("coverage/", organizations.CoverageView.as_view(), name="coverage"),
    path("points/", organizations.PointListView.as_view(), name="point_list"),
    path("points/<int:pk>/", organizations.PointDetailView.as_view(), name="point_detail"),
    path("points/<int:pk>/edit/", organizations.PointEditView.as_view(), name="point_edit"),
    path("points/<int:pk>/measures/", organizations.MeasureAddView.as_view(), name="measure_add"),
    path(
        "measures/<int:pk>/progress/",
        organizations.MeasureProgressView.as_view(),
        name="measure_progress",
    ),
    # party-mass service centers and their activities
    path("centers/", centers.CenterListView.as_view(), name="center_list"),
    path("centers/new/", centers.CenterCreateView.as_view(), name="center_create"),
    path("centers/<int:pk>/", centers.CenterDetailView.as_view(), name="center_detail"),
    path("centers/<int:pk>/edit/", centers.CenterEditView.as_view(), name="center_edit"),
    path(
        "centers/<int:pk>/activities/new/",
        centers.ActivityCreateView.as_view(),
        name="activity_create",
    ),
    path("activities/<int:pk>/", centers.ActivityDetailView.as_view(), name="activity_detail"),
    path(
        "activities/<int:pk>/signup/", centers.ActivitySignupView.as_view(), name="activity_signup"
    ),
    path(
        "activities/<int:pk>/checkin/<int:participation>/",
        centers.ActivityCheckinView.as_view(),
        name="activity_checkin",
    ),
    path("participation/", centers.ParticipationStatsView.as_view(), name="participation"),
    # public: a member checks in from the QR link or with the six-digit code
    path("checkin/", centers.CheckinView.as_view(), name="checkin_code"),
    path("checkin/<str:token>/", centers.CheckinView.as_view(), name="checkin"),
]
