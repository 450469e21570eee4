from rest_framework.routers import SimpleRouter

from incubator import api

router = SimpleRouter()
router.register("incubator/projects", api.ProjectViewSet, basename="incubator-project")

urlpatterns = router.urls
