from django.urls import path

from . import views

app_name = "party"
urlpatterns = [
    path("", views.PartyOrgTreeView.as_view(), name="org_tree"),
    path("<int:pk>/", views.PartyOrgDetailView.as_view(), name="org_detail"),
    path("<int:pk>/new/", views.PartyOrgChildCreateView.as_view(), name="org_child_create"),
    path("<int:pk>/edit/", views.PartyOrgEditView.as_view(), name="org_edit"),
]
