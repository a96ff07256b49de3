app_name = "appeals"
urlpatterns = []
