from django.urls import path

from . import views
from .stats import views as stats_views

app_name = "appeals"

urlpatterns = [
    path("", views.QueueView.as_view(), name="queue"),
    path("new/", views.StaffIntakeView.as_view(), name="staff_new"),
    path("rider/", views.RiderReportView.as_view(), name="rider"),
    path("inbox/", views.InboxView.as_view(), name="inbox"),
    path("bulk-dispatch/", views.BulkDispatchView.as_view(), name="bulk_dispatch"),
    path("rankings/", stats_views.RankingsView.as_view(), name="rankings"),
    path("briefing/", stats_views.BriefingView.as_view(), name="briefing"),
    path("briefing/<str:month>.xlsx", stats_views.BriefingXlsxView.as_view(), name="briefing_xlsx"),
    path("<int:pk>/", views.AppealDetailView.as_view(), name="detail"),
    path("<int:pk>/phone/", views.AppealPhoneRevealView.as_view(), name="reveal_phone"),
    path("<int:pk>/<str:action>/", views.AppealActionView.as_view(), name="action"),
    # The resident's pages: no login; the tracking code is the key.
    path("r/", views.ResidentSubmitView.as_view(), name="resident_new"),
    path("t/", views.TrackLookupView.as_view(), name="track_lookup"),
    path("t/<str:code>/", views.TrackView.as_view(), name="track"),
    path("t/<str:code>/info/", views.TrackActionView.as_view(action="info"), name="track_info"),
    path("t/<str:code>/rate/", views.TrackActionView.as_view(action="rate"), name="track_rate"),
]
