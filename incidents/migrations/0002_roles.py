"""Create the three role groups and give them their permissions (the roles table of the design).

The lists are written out here rather than imported from incidents.roles, so that this migration
keeps meaning what it meant when it ran even after the live code changes.
"""

from django.db import migrations

ACCESS_PERMISSIONS = {
    "handle_incident": "Log, edit, triage, confirm, dismiss and assess incidents",
    "decide_notification": "Decide on notification and waive obligations",
    "draft_notice": "Draft notices and generate documents",
    "approve_notice": "Approve notices and record them as sent",
    "manage_registers": "Manage and import registers",
    "view_everything": "Read incidents, registers, notices and the audit trail",
    "verify_audit_trail": "Verify and export the audit trail",
}

ROLES = {
    "security lead": ["handle_incident", "draft_notice", "manage_registers", "view_everything", "verify_audit_trail"],
    "DPO": [
        "handle_incident",
        "decide_notification",
        "draft_notice",
        "approve_notice",
        "manage_registers",
        "view_everything",
        "verify_audit_trail",
    ],
    "auditor": ["view_everything", "verify_audit_trail"],
}


def create_roles(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    Permission = apps.get_model("auth", "Permission")
    Group = apps.get_model("auth", "Group")
    # post_migrate would create these permissions only after all migrations have run; the groups
    # need them now.
    access_type, _ = ContentType.objects.get_or_create(app_label="incidents", model="access")
    permissions = {}
    for codename, name in ACCESS_PERMISSIONS.items():
        permissions[codename], _ = Permission.objects.get_or_create(
            content_type=access_type, codename=codename, defaults={"name": name}
        )
    for group_name, codenames in ROLES.items():
        group, _ = Group.objects.get_or_create(name=group_name)
        group.permissions.add(*(permissions[codename] for codename in codenames))


def remove_roles(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=ROLES).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("incidents", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(create_roles, remove_roles)]
