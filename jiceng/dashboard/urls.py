from django.urls import path

from . import views

app_name = "dashboard"

urlpatterns = [
    path("", views.DashboardView.as_view(), name="home"),
    path("screen/", views.ScreenView.as_view(), name="screen"),
    path("data/", views.PanelDataView.as_view(), name="data"),
    path("geo/", views.GridGeoView.as_view(), name="geo"),
]
