from django.db.models import Prefetch
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import status, viewsets
from rest_framework.decorators import api_view, parser_classes
from rest_framework.parsers import MultiPartParser
from rest_framework.response import Response

from fabrique import selectors, services
from fabrique.models import Cohort, Deliverable, Enrolment, Submission
from fabrique.serializers import (
    CohortSerializer, EnrolmentDetailSerializer, EnrolmentSerializer, ReviewCreateSerializer, ReviewSerializer,
    SubmissionCreateSerializer, SubmissionSerializer,
)
from quai.permissions import IsStaff


@extend_schema_view(list=extend_schema(tags=["fabrique"]), retrieve=extend_schema(tags=["fabrique"]))
class CohortViewSet(viewsets.ReadOnlyModelViewSet):
    """Fabrique cohorts (staff)."""

    serializer_class = CohortSerializer
    permission_classes = [IsStaff]
    queryset = Cohort.objects.order_by("-start")


@extend_schema_view(list=extend_schema(tags=["fabrique"]), retrieve=extend_schema(tags=["fabrique"]))
class EnrolmentViewSet(viewsets.ReadOnlyModelViewSet):
    """Enrolments: a holder sees their own, a coach theirs, staff all. Others' → 404."""

    filterset_fields = ["cohort"]

    def get_serializer_class(self):
        return EnrolmentDetailSerializer if self.action == "retrieve" else EnrolmentSerializer

    def get_queryset(self):
        queryset = Enrolment.objects.visible_to(self.request.user).select_related("cohort", "holder", "coach").order_by("pk")
        if self.action == "retrieve":
            queryset = queryset.prefetch_related(Prefetch(
                "deliverables", queryset=Deliverable.objects.prefetch_related(
                    Prefetch("submissions", queryset=Submission.objects.select_related("review").order_by("-version")))))
        return queryset


@extend_schema(tags=["fabrique"], request=SubmissionCreateSerializer, responses={201: SubmissionSerializer})
@api_view(["POST"])
@parser_classes([MultiPartParser])  # the one API write that carries a file
def submission_create(request, pk):
    """The holder submits a new version (multipart `file` and/or `text`)."""
    deliverable = selectors.deliverable_get_for_user(request.user, pk)
    serializer = SubmissionCreateSerializer(data=request.data)
    serializer.is_valid(raise_exception=True)
    submission = services.submission_create(deliverable=deliverable, by=request.user,
                                            text=serializer.validated_data.get("text", ""),
                                            upload=serializer.validated_data.get("file"))
    return Response(SubmissionSerializer(submission).data, status=status.HTTP_201_CREATED)


@extend_schema(tags=["fabrique"], request=ReviewCreateSerializer, responses={201: ReviewSerializer})
@api_view(["POST"])
def submission_review(request, pk):
    """The coach (or staff) reviews a submission: changes_requested or validated, with feedback."""
    submission = selectors.submission_get_for_user(request.user, pk)
    serializer = ReviewCreateSerializer(data=request.data)
    serializer.is_valid(raise_exception=True)
    review = services.submission_review(submission=submission, by=request.user, **serializer.validated_data)
    return Response(ReviewSerializer(review).data, status=status.HTTP_201_CREATED)
