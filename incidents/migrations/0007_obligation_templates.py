"""The clocks of the design ("Clocks") as rows: a new regime is a new row, not new code.

Written out here (not imported) so that this migration keeps meaning what it meant.
"""

from django.db import migrations

TEMPLATES = [
    # code, regime, stage, recipient, law, start event, starts after, hours, months, cap, DPO target, applies
    ("gdpr-33-1", "GDPR", "Notification", "Supervisory authority (Office of the Data Protection Ombudsman)",
     "GDPR Art. 33(1)", "aware", None, 72, None, None, False, "controller_unless_unlikely"),
    ("gdpr-33-4", "GDPR", "Supplementary notification", "Supervisory authority (Office of the Data Protection Ombudsman)",
     "GDPR Art. 33(4)", "earlier_met", "gdpr-33-1", None, None, None, True, "preliminary_incomplete"),
    ("gdpr-34", "GDPR", "Communication to data subjects", "Data subjects",
     "GDPR Art. 34", "decided", None, None, None, None, True, "high_risk_no_exception"),
    ("gdpr-33-2", "GDPR", "Processor notice", "Controller (customer)",
     "GDPR Art. 33(2)", "aware", None, 24, None, None, False, "processor"),
    ("nis2-early-warning", "NIS2 / Cybersecurity Act 124/2025", "Early warning (ensi-ilmoitus)",
     "Traficom / sector authority", "Kyberturvallisuuslaki 124/2025 § 11", "detected", None, 24, None, None, False,
     "nis2_significant"),
    ("nis2-notification", "NIS2 / Cybersecurity Act 124/2025", "Incident notification (jatkoilmoitus)",
     "Traficom / sector authority", "Kyberturvallisuuslaki 124/2025 § 11", "detected", None, 72, None, None, False,
     "nis2_significant"),
    ("nis2-final", "NIS2 / Cybersecurity Act 124/2025", "Final report", "Traficom / sector authority",
     "Kyberturvallisuuslaki 124/2025 § 11", "earlier_met", "nis2-notification", None, 1, None, False,
     "nis2_significant"),
    ("dora-initial", "DORA", "Initial notification", "Financial supervisor (FIN-FSA)",
     "DORA Art. 19", "classified_major", None, 4, None, 24, False, "dora_major"),
    ("dora-intermediate", "DORA", "Intermediate report", "Financial supervisor (FIN-FSA)",
     "DORA Art. 19", "earlier_met", "dora-initial", 72, None, None, False, "dora_major"),
    ("dora-final", "DORA", "Final report", "Financial supervisor (FIN-FSA)",
     "DORA Art. 19", "earlier_met", "dora-initial", None, 1, None, False, "dora_major"),
]


def seed(apps, schema_editor):
    Template = apps.get_model("incidents", "ObligationTemplate")
    for position, row in enumerate(TEMPLATES):
        code, regime, stage, recipient, law, start, after, hours, months, cap, by_dpo, applies = row
        Template.objects.update_or_create(
            code=code,
            defaults={
                "regime": regime,
                "stage": stage,
                "recipient": recipient,
                "law_reference": law,
                "start_event": start,
                "start_after": Template.objects.get(code=after) if after else None,
                "period_hours": hours,
                "period_months": months,
                "cap_hours_after_aware": cap,
                "target_by_dpo": by_dpo,
                "applies_when": applies,
                "position": position,
            },
        )


def unseed(apps, schema_editor):
    apps.get_model("incidents", "ObligationTemplate").objects.filter(code__in=[row[0] for row in TEMPLATES]).delete()


class Migration(migrations.Migration):
    dependencies = [("incidents", "0006_incidents_and_obligations")]

    operations = [migrations.RunPython(seed, unseed)]
