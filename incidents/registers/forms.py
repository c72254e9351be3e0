"""The forms of the register pages: edit a register and its data items."""

from __future__ import annotations

from django import forms
from django.forms import inlineformset_factory

from incidents.models import DataItem, Register
from incidents.registers.classification import DataClass
from incidents.registers.services import REGISTER_FIELDS, DataItemValues


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
