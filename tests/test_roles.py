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


def test_the_code_asks_the_one_vocabulary_which_matches_the_migrations_grants() -> None:
    from incidents.roles import ROLE_PERMISSIONS

    # The migration's groups hold exactly what roles.py says each role may do.
    assert {role.value: {p.perm for p in held} for role, held in ROLE_PERMISSIONS.items()} == EXPECTED


def test_require_refuses_naming_the_roles_that_may(auditor: User, dpo: User) -> None:
    from incidents.roles import Permission, RoleNeeded, require, roles_with

    assert roles_with(Permission.DECIDE_NOTIFICATION) == "Data protection officer"
    assert roles_with(Permission.MANAGE_REGISTERS) == "Security lead or Data protection officer"
    with pytest.raises(RoleNeeded, match=r"^Role: this needs a Security lead or Data protection officer\.$"):
        require(auditor, Permission.MANAGE_REGISTERS)
    require(dpo, Permission.DECIDE_NOTIFICATION)  # no refusal


def test_register_edits_and_imports_check_the_role_in_the_service_too(auditor: User) -> None:
    from incidents.importer.service import StatementFile, registers_import
    from incidents.models import Register
    from incidents.registers.services import register_update
    from incidents.roles import RoleNeeded
    from tests.factories import register_made
    from tests.moments import T0 as now

    register = register_made(name="Asiakasrekisteri")
    with pytest.raises(RoleNeeded, match="Security lead or Data protection officer"):
        register_update(actor=auditor, register=register, values={"name": "Renamed"}, items=[], now=now)
    statement = StatementFile(name="seloste.txt", content="Rekisterin nimi: Jäsenrekisteri\n".encode())
    with pytest.raises(RoleNeeded):
        registers_import(actor=auditor, files=[statement], now=now)
    assert list(Register.objects.values_list("name", flat=True)) == ["Asiakasrekisteri"]
