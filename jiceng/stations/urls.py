from django.urls import path

from . import views

app_name = "stations"
urlpatterns = [
    path("", views.StationListView.as_view(), name="home"),
    path("new/", views.StationCreateView.as_view(), name="station_create"),
    path("<int:pk>/", views.StationDetailView.as_view(), name="station_detail"),
    path("<int:pk>/edit/", views.StationUpdateView.as_view(), name="station_update"),
    path("riders/", views.RiderListView.as_view(), name="rider_list"),
    path("riders/new/", views.RiderCreateView.as_view(), name="rider_create"),
    path("riders/<int:pk>/", views.RiderDetailView.as_view(), name="rider_detail"),
    path("riders/<int:pk>/edit/", views.RiderUpdateView.as_view(), name="rider_update"),
    path("riders/<int:pk>/appoint/", views.RiderAppointView.as_view(), name="rider_appoint"),
    path(
        "riders/<int:pk>/recognize/", views.RecognitionAwardView.as_view(), name="recognition_award"
    ),
    path("appointments/<int:pk>/end/", views.AppointmentEndView.as_view(), name="appointment_end"),
    path("leaderboard/", views.LeaderboardView.as_view(), name="leaderboard"),
    path("me/", views.RiderSelfView.as_view(), name="me"),
    path("near/", views.StationFinderView.as_view(), name="finder"),
    path("near/<int:pk>/checkin/", views.StationCheckinView.as_view(), name="checkin"),
]
