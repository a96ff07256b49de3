app_name = "brands"
urlpatterns = []
