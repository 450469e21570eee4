"""Helpers shared by the Fabrique tests."""

from pathlib import Path

from fabrique import services
from fabrique.models import Deliverable
from tests.fabrique.factories import make_sessions, pdf


def stored_files(settings) -> list:
    root = Path(settings.MEDIA_ROOT)
    return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []


def deliverable_of(enrolment, kind):
    return enrolment.deliverables.get(kind=kind)


def validate(enrolment, kind, holder, coach, on=None):
    submission = services.submission_create(deliverable=deliverable_of(enrolment, kind), by=holder, text="Texte")
    services.submission_review(submission=submission, by=coach, decision="validated", feedback="Validé")
    if on:
        Deliverable.objects.filter(enrolment=enrolment, kind=kind).update(validated_on=on)


def count_queries(client, url):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    assert client.get(url).status_code == 200  # warm-up: the session is in the cache from then on
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def grow(enrolment, holder, coach, n_sessions):
    sessions = make_sessions(enrolment.cohort, n=n_sessions)
    services.attendance_record(session=sessions[0], by=coach, statuses={enrolment.pk: "present"})
    for deliverable in enrolment.deliverables.exclude(status="validated"):
        submission = services.submission_create(deliverable=deliverable, by=holder, text="Version")
        services.submission_review(submission=submission, by=coach, decision="changes_requested", feedback="Encore")
        services.submission_create(deliverable=deliverable, by=holder, upload=pdf())

