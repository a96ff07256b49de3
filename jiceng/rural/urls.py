app_name = "rural"
urlpatterns = []
