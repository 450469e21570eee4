from django.urls import path
from rest_framework.routers import SimpleRouter

from fabrique import api

router = SimpleRouter()
router.register("fabrique/cohorts", api.CohortViewSet, basename="fabrique-cohort")
router.register("fabrique/enrolments", api.EnrolmentViewSet, basename="fabrique-enrolment")

urlpatterns = router.urls + [
    path("fabrique/deliverables/<int:pk>/submissions/", api.submission_create, name="fabrique-submission-create"),
    path("fabrique/submissions/<int:pk>/review/", api.submission_review, name="fabrique-submission-review"),
]
