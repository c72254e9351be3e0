"""The forms of the register pages: upload statements, edit a register and its data items."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.files.uploadedfile import UploadedFile
from django.forms import inlineformset_factory
from django.utils.translation import gettext_lazy as _

from incidents.importer import MAX_STATEMENT_BYTES
from incidents.importer.classify import DataClass
from incidents.models import DataItem, Register
from incidents.registers import REGISTER_FIELDS, DataItemValues

MAX_FILES_PER_UPLOAD = 20


class _MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class _MultipleFileField(forms.FileField):
    """Several files in one field, as Django's documentation shows."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("widget", _MultipleFileInput(attrs={"accept": ".txt,.md,text/plain,text/markdown"}))
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
        help_text=_("Plain-text files (UTF-8, Windows-1252 or Latin-1), at most 2 MB each."),
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
        return files


def uploaded_content(upload: UploadedFile) -> bytes:
    """At most one byte more than the limit: enough to refuse an oversized file without reading it."""
    upload.seek(0)
    return upload.read(MAX_STATEMENT_BYTES + 1)


class RegisterForm(forms.ModelForm):
    class Meta:
        model = Register
        fields = list(REGISTER_FIELDS)
        widgets = {
            name: forms.Textarea(attrs={"rows": 4})
            for name in (
                "purpose",
                "legal_basis",
                "data_subjects",
                "sources",
                "disclosures",
                "transfers_details",
                "retention",
                "security_measures",
            )
        }


class DataItemForm(forms.ModelForm):
    class Meta:
        model = DataItem
        fields = ["text", "data_class", "special_category", "henkilotunnus"]

    def values(self) -> DataItemValues:
        data = self.cleaned_data
        text = data["text"].strip()
        # An item whose words stay keeps the suggestion it had (made where it stood in its
        # statement); new or reworded items are suggested a class from their words.
        kept = self.instance.pk is not None and "text" not in self.changed_data
        return DataItemValues(
            text=text,
            data_class=DataClass(int(data["data_class"])),
            special_category=data["special_category"],
            henkilotunnus=data["henkilotunnus"],
            suggested_class=DataClass(self.instance.suggested_class) if kept else None,
        )


DataItemFormSet = inlineformset_factory(
    Register, DataItem, form=DataItemForm, extra=2, can_delete=True, max_num=500, validate_max=True
)
