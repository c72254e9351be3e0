"""The upload form of the import page: privacy statements, several at a time."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.files.uploadedfile import UploadedFile
from django.core.files.uploadhandler import FileUploadHandler
from django.utils.translation import gettext_lazy as _

from incidents.importer.decoding import MAX_UPLOAD_BYTES

MAX_FILES_PER_UPLOAD = 20
# Together, as much as a recipients' CSV: one request limit in front of the site (docs/DEPLOY.md,
# nginx's client_max_body_size) then fits every upload.
MAX_BYTES_PER_UPLOAD = 64 * 1024 * 1024
# What the file chooser offers; the importer knows a file by its content, whatever its name.
_ACCEPTED = ",".join(
    [
        ".txt",
        ".md",
        ".docx",
        ".pdf",
        ".html",
        ".htm",
        "text/plain",
        "text/markdown",
        "text/html",
        "application/pdf",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ]
)


class _MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class _MultipleFileField(forms.FileField):
    """Several files in one field, as Django's documentation shows."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("widget", _MultipleFileInput(attrs={"accept": _ACCEPTED}))
        # An empty file is the importer's to refuse, by name, while the other files go ahead.
        kwargs.setdefault("allow_empty_file", True)
        super().__init__(*args, **kwargs)

    def clean(self, data: Any, initial: Any = None) -> list[UploadedFile]:
        one = super().clean
        if isinstance(data, list | tuple):
            return [one(item, initial) for item in data] or [one(None, initial)]
        return [one(data, initial)]


class StatementUploadForm(forms.Form):
    statements = _MultipleFileField(
        label=_("Privacy statements"),
        help_text=_(
            "Word documents (.docx) and PDFs with text, at most 10 MB each; web pages saved from a "
            "browser (.html) and text files (UTF-8, Windows-1252 or Latin-1), at most 2 MB each; "
            "up to 20 files and 64 MB at a time."
        ),
    )
    dry_run = forms.BooleanField(
        label=_("Preview only: show what would be imported, save nothing"), required=False
    )

    def clean_statements(self) -> list[UploadedFile]:
        files: list[UploadedFile] = self.cleaned_data["statements"]
        if len(files) > MAX_FILES_PER_UPLOAD:
            raise forms.ValidationError(
                _("Choose at most %(count)d files at a time."), params={"count": MAX_FILES_PER_UPLOAD}
            )
        total = sum(upload.size or 0 for upload in files)
        if total > MAX_BYTES_PER_UPLOAD:
            raise forms.ValidationError(
                _(
                    "Choose at most %(limit)d MB of files at a time: these are %(total).1f MB together. "
                    "Import the rest in another go."
                ),
                params={"limit": MAX_BYTES_PER_UPLOAD // 2**20, "total": total / 2**20},
            )
        return files


def uploaded_content(upload: UploadedFile) -> bytes:
    """At most one byte more than the larger limit (of Word and PDF files): enough to refuse an
    oversized file of any kind without reading it."""
    upload.seek(0)
    return upload.read(MAX_UPLOAD_BYTES + 1)


class StatementUploadHandler(FileUploadHandler):
    """First of a request's upload handlers: of each file, only one byte more than the larger limit
    (of Word and PDF files) goes on to be kept (in memory or a temporary file). That byte is enough
    for the importer to refuse the file by name; the rest of a 2 GB upload is read past, never
    stored."""

    def new_file(self, *args: Any, **kwargs: Any) -> None:
        super().new_file(*args, **kwargs)
        self.kept = 0

    def receive_data_chunk(self, raw_data: bytes, start: int) -> bytes | None:
        room = MAX_UPLOAD_BYTES + 1 - self.kept
        if room <= 0:
            return None  # the handlers after this one never see it
        self.kept += min(room, len(raw_data))
        return raw_data[:room]

    def file_complete(self, file_size: int) -> None:
        return None  # the next handler makes the file
