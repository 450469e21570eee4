app_name = "fabrique"

urlpatterns: list = []
