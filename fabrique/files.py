"""Uploaded deliverables: the type is checked by CONTENT (magic bytes, zip structure), never by name."""

import zipfile

from django.conf import settings
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

from quai.errors import DomainError

ODF_TYPES = {
    "application/vnd.oasis.opendocument.text": ("odt", "application/vnd.oasis.opendocument.text"),
    "application/vnd.oasis.opendocument.spreadsheet": ("ods", "application/vnd.oasis.opendocument.spreadsheet"),
}
DOCX = ("docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document")
XLSX = ("xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
PDF = ("pdf", "application/pdf")


def max_upload_bytes() -> int:
    return settings.FABRIQUE_MAX_UPLOAD_BYTES


def _refuse():
    raise DomainError(_("This file is not a PDF, ODT, DOCX, XLSX or ODS document."), field="file")


def sniff(upload) -> tuple[str, str]:
    """Return (extension, MIME type) from the file's content, or raise DomainError."""
    upload.seek(0)
    head = upload.read(8)
    upload.seek(0)
    if head.startswith(b"%PDF-"):
        return PDF
    if not head.startswith(b"PK\x03\x04"):
        _refuse()
    try:
        with zipfile.ZipFile(upload) as archive:
            names = set(archive.namelist())
            if "mimetype" in names:
                mimetype = archive.read("mimetype").decode("ascii", "replace").strip()
                if mimetype in ODF_TYPES and "content.xml" in names:
                    return ODF_TYPES[mimetype]
                _refuse()
            if "[Content_Types].xml" in names:
                if "word/document.xml" in names:
                    return DOCX
                if "xl/workbook.xml" in names:
                    return XLSX
            _refuse()
    except (zipfile.BadZipFile, OSError, KeyError, ValueError):
        _refuse()
    finally:
        upload.seek(0)


def check_upload(upload) -> tuple[str, str]:
    """Refuse empty, too large or mistyped files with a message saying what to fix."""
    size = upload.size or 0
    if size == 0:
        raise DomainError(_("The file is empty."), field="file")
    limit = max_upload_bytes()
    if size > limit:
        raise DomainError(
            _("The file is too large (%(size)s); the limit is %(limit)s.")
            % {"size": filesizeformat(size), "limit": filesizeformat(limit)},
            field="file",
        )
    return sniff(upload)
