from rest_framework import serializers

from fabrique.models import Cohort, Deliverable, Enrolment, Review, Submission


class CohortSerializer(serializers.ModelSerializer):
    class Meta:
        model = Cohort
        fields = ["id", "name", "year", "start", "end", "capacity", "applications_open", "attendance_threshold"]


class ReviewSerializer(serializers.ModelSerializer):
    class Meta:
        model = Review
        fields = ["decision", "feedback", "reviewed_at"]


class SubmissionSerializer(serializers.ModelSerializer):
    review = serializers.SerializerMethodField()
    file_url = serializers.SerializerMethodField()

    class Meta:
        model = Submission
        fields = ["id", "version", "text", "original_name", "content_type", "size", "submitted_at", "file_url", "review"]

    def get_review(self, submission) -> dict | None:
        review = getattr(submission, "review", None)
        return ReviewSerializer(review).data if review else None

    def get_file_url(self, submission) -> str | None:
        from django.urls import reverse

        return reverse("fabrique:submission_file", args=[submission.pk]) if submission.file else None


class DeliverableSerializer(serializers.ModelSerializer):
    submissions = SubmissionSerializer(many=True, read_only=True)

    class Meta:
        model = Deliverable
        fields = ["id", "kind", "title", "due_on", "required_for_graduation", "status", "validated_on", "submissions"]


class EnrolmentSerializer(serializers.ModelSerializer):
    cohort = serializers.StringRelatedField()
    holder = serializers.SerializerMethodField()
    coach = serializers.SerializerMethodField()

    class Meta:
        model = Enrolment
        fields = ["id", "cohort", "holder", "coach", "project_name", "commune", "graduated_at"]

    def get_holder(self, enrolment) -> str:
        return enrolment.holder.get_full_name() or enrolment.holder.email

    def get_coach(self, enrolment) -> str | None:
        return enrolment.coach.get_full_name() if enrolment.coach else None


class EnrolmentDetailSerializer(EnrolmentSerializer):
    deliverables = DeliverableSerializer(many=True, read_only=True)

    class Meta(EnrolmentSerializer.Meta):
        fields = EnrolmentSerializer.Meta.fields + ["deliverables"]


class SubmissionCreateSerializer(serializers.Serializer):
    file = serializers.FileField(required=False, allow_empty_file=True)
    text = serializers.CharField(required=False, allow_blank=True)


class ReviewCreateSerializer(serializers.Serializer):
    decision = serializers.ChoiceField(choices=Review.Decision.choices)
    feedback = serializers.CharField()
