app_name = "coworking"

urlpatterns: list = []
