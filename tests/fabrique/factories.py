import datetime
import io
import zipfile

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from fabrique import services
from fabrique.models import Cohort, Session


def make_cohort(staff, *, year=2026, start=None, months=6) -> Cohort:
    start = start or datetime.date(year, 1, 1)
    return services.cohort_create(by=staff, name=f"Promotion {year}", year=year, start=start,
                                  end=start + datetime.timedelta(days=30 * months))


def make_sessions(cohort, n=4, *, start=None):
    start = start or timezone.now() - datetime.timedelta(days=10)
    return Session.objects.bulk_create(
        Session(cohort=cohort, title=f"Atelier {i + 1}", starts_at=start + datetime.timedelta(days=7 * i),
                ends_at=start + datetime.timedelta(days=7 * i, hours=3))
        for i in range(n)
    )


def pdf(name="plan.pdf", size=None) -> SimpleUploadedFile:
    body = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
    if size:
        body = body + b"0" * (size - len(body))
    return SimpleUploadedFile(name, body, content_type="application/pdf")


def docx(name="plan.docx") -> SimpleUploadedFile:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<w:document/>")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="application/msword")


def ods(name="budget.ods") -> SimpleUploadedFile:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet")
        archive.writestr("content.xml", "<office:document-content/>")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="application/octet-stream")


def plain_zip(name="plan.docx") -> SimpleUploadedFile:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("evil.exe", "MZ")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="application/pdf")
