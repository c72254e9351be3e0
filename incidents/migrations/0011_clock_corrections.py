"""Clock corrections (issue 10): DORA counted as Delegated Regulation (EU) 2025/301 Art. 5 does, each
clock citing its own provision, notices sent late, and the clock the dashboard's deadline stands for.

The template rows' new words are written out here (not imported) so that this migration keeps
meaning what it meant.
"""

import django.db.models.deletion
from django.db import migrations, models

GDPR_33_1, NIS2 = "GDPR Art. 33(1)", "Cybersecurity Act 124/2025, section 11"
DORA = "DORA Art. 19(4)({}); Delegated Regulation (EU) 2025/301 Art. 5({})"
# code: (law reference, starts after) as 0007 seeded them, then as corrected.
ROWS = {
    "gdpr-33-1": (("GDPR Art. 33(1)", None), (GDPR_33_1, None)),
    "gdpr-33-4": (("GDPR Art. 33(4)", "gdpr-33-1"), ("GDPR Art. 33(4)", "gdpr-33-1")),
    "gdpr-34": (("GDPR Art. 34", None), ("GDPR Art. 34", None)),
    "gdpr-33-2": (("GDPR Art. 33(2)", None), ("GDPR Art. 33(2)", None)),
    "nis2-early-warning": (("Kyberturvallisuuslaki 124/2025 § 11", None), (NIS2, None)),
    "nis2-notification": (("Kyberturvallisuuslaki 124/2025 § 11", None), (NIS2, None)),
    "nis2-final": (("Kyberturvallisuuslaki 124/2025 § 11", "nis2-notification"), (NIS2, "nis2-notification")),
    "dora-initial": (("DORA Art. 19", None), (DORA.format("a", 1), None)),
    "dora-intermediate": (("DORA Art. 19", "dora-initial"), (DORA.format("b", 2), "dora-initial")),
    # The final report counts from the latest intermediate report, not from the initial notice.
    "dora-final": (("DORA Art. 19", "dora-initial"), (DORA.format("c", 3), "dora-intermediate")),
}
CORRECTIONS = {code: after for code, (_before, after) in ROWS.items()}
BEFORE = {code: before for code, (before, _after) in ROWS.items()}


def _apply(apps, rows):
    Template = apps.get_model("incidents", "ObligationTemplate")
    for code, (law, after) in rows.items():
        Template.objects.filter(code=code).update(
            law_reference=law, start_after=Template.objects.filter(code=after).first() if after else None
        )


def correct(apps, schema_editor):
    _apply(apps, CORRECTIONS)


def restore(apps, schema_editor):
    _apply(apps, BEFORE)


class Migration(migrations.Migration):
    dependencies = [("incidents", "0010_organisation_processor_notice_hours")]

    operations = [
        # The 24-hour cap of DORA's initial notification counts from detection (the entity's
        # awareness of the ICT incident), not from the GDPR awareness of a personal-data breach.
        migrations.RenameField(
            model_name="obligationtemplate", old_name="cap_hours_after_aware", new_name="cap_hours_after_detected"
        ),
        migrations.AlterField(
            model_name="obligationtemplate",
            name="cap_hours_after_detected",
            field=models.PositiveIntegerField(
                blank=True, null=True, verbose_name="at the latest, hours after detection"
            ),
        ),
        migrations.AddField(
            model_name="incident",
            name="next_due_template",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="+",
                to="incidents.obligationtemplate",
            ),
        ),
        migrations.AddField(
            model_name="obligation",
            name="delay_reason",
            field=models.TextField(blank=True, verbose_name="reasons for the delay"),
        ),
        migrations.AlterField(
            model_name="obligation",
            name="status",
            field=models.CharField(
                choices=[
                    ("pending", "Pending"),
                    ("missed", "Missed (overdue)"),
                    ("met", "Met"),
                    ("late", "Missed (sent late)"),
                    ("waived", "Waived"),
                ],
                default="pending",
                max_length=10,
                verbose_name="status",
            ),
        ),
        migrations.RunPython(correct, restore),
    ]
