from __future__ import annotations

import pytest
from django.contrib.auth.models import Group, User

from incidents.roles import Role, roles_of

# The roles table of the design, act by act.
EXPECTED = {
    "security lead": {
        "incidents.handle_incident",
        "incidents.draft_notice",
        "incidents.manage_registers",
        "incidents.view_everything",
        "incidents.verify_audit_trail",
    },
    "DPO": {
        "incidents.handle_incident",
        "incidents.decide_notification",
        "incidents.draft_notice",
        "incidents.approve_notice",
        "incidents.manage_registers",
        "incidents.view_everything",
        "incidents.verify_audit_trail",
    },
    "auditor": {"incidents.view_everything", "incidents.verify_audit_trail"},
}


@pytest.mark.django_db
def test_the_migration_creates_the_three_role_groups_with_their_permissions() -> None:
    for name, permissions in EXPECTED.items():
        group = Group.objects.get(name=name)
        granted = {f"{p.content_type.app_label}.{p.codename}" for p in group.permissions.all()}
        assert granted == permissions, name


def test_each_persona_may_do_what_the_roles_table_says(
    lead: User, dpo: User, auditor: User, outsider: User
) -> None:
    assert lead.has_perm("incidents.handle_incident")
    assert not lead.has_perm("incidents.approve_notice")
    assert not lead.has_perm("incidents.decide_notification")
    assert dpo.has_perm("incidents.approve_notice") and dpo.has_perm("incidents.decide_notification")
    assert auditor.has_perm("incidents.view_everything")
    assert not auditor.has_perm("incidents.handle_incident")
    assert not auditor.has_perm("incidents.manage_registers")
    assert not outsider.has_perm("incidents.view_everything")


def test_roles_of_names_the_roles_a_user_holds(lead: User, dpo: User, outsider: User) -> None:
    assert roles_of(lead) == [Role.SECURITY_LEAD]
    dpo.groups.add(Group.objects.get(name="security lead"))
    assert roles_of(dpo) == [Role.SECURITY_LEAD, Role.DPO]
    assert roles_of(outsider) == []
