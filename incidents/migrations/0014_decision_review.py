"""The decision's review after a stricter assessment, and the public communication of Art. 34(3)(c).

The new clock's words are written out here (not imported) so that this migration keeps meaning
what it meant.
"""

import django.db.models.deletion
from django.db import migrations, models

PUBLIC_COMMUNICATION = {
    "regime": "GDPR",
    "stage": "Public communication",
    "recipient": "The public (in place of telling each data subject)",
    "law_reference": "GDPR Art. 34(3)(c)",
    "start_event": "decided",
    "target_by_dpo": True,
    "applies_when": "public_communication",
}


def seed(apps, schema_editor):
    Template = apps.get_model("incidents", "ObligationTemplate")
    # Beside the communication to the data subjects it stands in for.
    position = Template.objects.filter(code="gdpr-34").values_list("position", flat=True).first() or 0
    Template.objects.update_or_create(
        code="gdpr-34-3-c", defaults={**PUBLIC_COMMUNICATION, "position": position}
    )


def unseed(apps, schema_editor):
    apps.get_model("incidents", "ObligationTemplate").objects.filter(code="gdpr-34-3-c").delete()


class Migration(migrations.Migration):
    dependencies = [("incidents", "0013_dashboard_column")]

    operations = [
        migrations.AddField(
            model_name="incident",
            name="decision_review_of",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="+",
                to="incidents.assessment",
                verbose_name="decision to review after assessment",
            ),
        ),
        migrations.AddField(
            model_name="incident",
            name="decision_review_reason",
            field=models.TextField(blank=True, verbose_name="reasons given on review of the decision"),
        ),
        migrations.AlterField(
            model_name="obligationtemplate",
            name="applies_when",
            field=models.CharField(
                choices=[
                    ("controller_unless_unlikely", "Controller, unless the DPO decided risk is unlikely"),
                    ("preliminary_incomplete", "The preliminary notice was incomplete"),
                    ("high_risk_no_exception", "High risk and no Art. 34(3) exception"),
                    ("public_communication", "High risk and exception (c): a public communication instead"),
                    ("processor", "The organisation acts as a processor"),
                    ("nis2_significant", "In NIS2 scope and the incident is significant"),
                    ("dora_major", "Financial entity (DORA) and a major ICT incident"),
                ],
                max_length=40,
                verbose_name="applies when",
            ),
        ),
        migrations.RunPython(seed, unseed),
    ]
