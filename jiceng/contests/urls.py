from django.urls import path

from .views import judging, results, setup

app_name = "contests"
urlpatterns = [
    path("", setup.ContestListView.as_view(), name="home"),
    path("new/", setup.ContestCreateView.as_view(), name="contest_create"),
    path("judging/", judging.JudgingView.as_view(), name="judging"),
    path("<int:pk>/", setup.ContestDetailView.as_view(), name="contest_detail"),
    path("<int:pk>/setup/", setup.ContestSetupView.as_view(), name="contest_setup"),
    path("<int:pk>/entries/new/", setup.EntryCreateView.as_view(), name="entry_create"),
    path("rounds/<int:pk>/", setup.RoundDetailView.as_view(), name="round_detail"),
    path("rounds/<int:pk>/ranking/", results.RankingView.as_view(), name="ranking"),
    path("rounds/<int:pk>/screen/", results.ScreenView.as_view(), name="screen"),
    path("rounds/<int:pk>/screen/board/", results.ScreenBoardView.as_view(), name="screen_board"),
    path("rounds/<int:pk>/export/", results.ExportView.as_view(), name="export"),
    path("entries/<int:pk>/", setup.EntryDetailView.as_view(), name="entry_detail"),
    path("sheets/<int:pk>/", judging.SheetView.as_view(), name="sheet_detail"),
]
