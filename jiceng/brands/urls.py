from django.urls import path

from . import views

app_name = "brands"
urlpatterns = [
    path("", views.BrandWallView.as_view(), name="wall"),
    path("campaigns/", views.CampaignListView.as_view(), name="campaign_list"),
    path("campaigns/new/", views.CampaignCreateView.as_view(), name="campaign_create"),
    path("campaigns/<int:pk>/", views.CampaignDetailView.as_view(), name="campaign_detail"),
    path("campaigns/<int:pk>/edit/", views.CampaignUpdateView.as_view(), name="campaign_update"),
    path("campaigns/<int:pk>/status/", views.CampaignStatusView.as_view(), name="campaign_status"),
    path("campaigns/<int:pk>/criteria/", views.CriterionAddView.as_view(), name="criterion_add"),
    path("criteria/<int:pk>/remove/", views.CriterionRemoveView.as_view(), name="criterion_remove"),
    path("campaigns/<int:pk>/panel/", views.PanelAddView.as_view(), name="panel_add"),
    path("panel/<int:pk>/remove/", views.PanelRemoveView.as_view(), name="panel_remove"),
    path("campaigns/<int:pk>/results/", views.CampaignResultsView.as_view(), name="results"),
    path("campaigns/<int:pk>/scoring/", views.ScoringListView.as_view(), name="scoring"),
    path("campaigns/<int:pk>/brands/new/", views.BrandCreateView.as_view(), name="brand_create"),
    path("<int:pk>/", views.BrandDetailView.as_view(), name="brand_detail"),
    path("<int:pk>/edit/", views.BrandUpdateView.as_view(), name="brand_update"),
    path("<int:pk>/score/", views.BrandScoreView.as_view(), name="brand_score"),
    path("<int:pk>/photos/", views.PhotoAddView.as_view(), name="photo_add"),
    path("photos/<int:pk>/", views.PhotoView.as_view(), name="photo"),
    path("photos/<int:pk>/remove/", views.PhotoRemoveView.as_view(), name="photo_remove"),
]
