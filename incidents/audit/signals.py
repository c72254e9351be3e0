"""Acts that happen inside Django itself (login, users, groups, permissions) and their events.

Breachclock's own acts record their events in their services; these receivers cover what Django
does for us, so that no role change or login escapes the trail. The admin's own acts are recorded
by its site (incidents/admin_site.py).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from axes.signals import user_locked_out
from django.contrib.auth import user_logged_in, user_logged_out, user_login_failed
from django.contrib.auth.models import AbstractBaseUser, Group, Permission, User
from django.db.models.signals import m2m_changed, post_delete, post_save, pre_save
from django.dispatch import receiver
from django.http import HttpRequest

from incidents.audit.context import actor_of
from incidents.audit.record import audit_record_now

# What the trail shows of a user; the password only as "changed", never its hash.
_USER_FIELDS = ("username", "first_name", "last_name", "email", "is_active", "is_staff", "is_superuser")


@receiver(user_logged_in, dispatch_uid="audit_login")
def _logged_in(sender: Any, request: HttpRequest | None, user: AbstractBaseUser, **kwargs: Any) -> None:
    audit_record_now(action="auth.login", actor=actor_of(user, request), obj=user)


@receiver(user_login_failed, dispatch_uid="audit_login_failed")
def _login_failed(
    sender: Any, credentials: dict[str, Any], request: HttpRequest | None = None, **kwargs: Any
) -> None:
    # Django has already masked the password in credentials; only the username tried is kept.
    username = credentials.get("username")
    audit_record_now(
        action="auth.login_failed",
        actor=actor_of(None, request),
        data={"username": None if username is None else str(username)},
    )


@receiver(user_locked_out, dispatch_uid="audit_locked_out")
def _locked_out(
    sender: Any, request: HttpRequest | None, username: str | None, ip_address: str | None, **kwargs: Any
) -> None:
    """django-axes locked a user name or an address out after too many failed sign-ins."""
    audit_record_now(
        action="auth.locked_out",
        actor=actor_of(None, request),
        data={"username": None if username is None else str(username), "ip": ip_address},
    )


@receiver(user_logged_out, dispatch_uid="audit_logout")
def _logged_out(
    sender: Any, request: HttpRequest | None, user: AbstractBaseUser | None, **kwargs: Any
) -> None:
    if user is not None:
        audit_record_now(action="auth.logout", actor=actor_of(user, request), obj=user)


def _user_values(user: User) -> dict[str, Any]:
    return {field: getattr(user, field) for field in _USER_FIELDS}


@receiver(pre_save, sender=User, dispatch_uid="audit_user_before")
def _user_before(sender: type[User], instance: User, update_fields: Any = None, **kwargs: Any) -> None:
    if update_fields is not None and set(update_fields) <= {"last_login"}:
        return  # a login; its own event records it
    before = User.objects.filter(pk=instance.pk).first() if instance.pk else None
    instance._audit_before = (  # type: ignore[attr-defined]
        None if before is None else (_user_values(before), before.password)
    )


@receiver(post_save, sender=User, dispatch_uid="audit_user_saved")
def _user_saved(sender: type[User], instance: User, created: bool, **kwargs: Any) -> None:
    if not hasattr(instance, "_audit_before"):
        return
    before = instance._audit_before
    del instance._audit_before
    after = _user_values(instance)
    if created or before is None:
        audit_record_now(action="user.created", obj=instance, data={"fields": after})
        return
    values, password = before
    changes = {
        field: [values[field], after[field]] for field in _USER_FIELDS if values[field] != after[field]
    }
    if password != instance.password:
        changes["password"] = ["(set)", "(changed)"]
    if changes:
        audit_record_now(action="user.changed", obj=instance, data={"changes": changes})


@receiver(post_delete, sender=User, dispatch_uid="audit_user_deleted")
def _user_deleted(sender: type[User], instance: User, **kwargs: Any) -> None:
    audit_record_now(action="user.deleted", obj=instance, data={"fields": _user_values(instance)})


@receiver(pre_save, sender=Group, dispatch_uid="audit_group_before")
def _group_before(sender: type[Group], instance: Group, **kwargs: Any) -> None:
    before = (
        Group.objects.filter(pk=instance.pk).values_list("name", flat=True).first() if instance.pk else None
    )
    instance._audit_name_before = before  # type: ignore[attr-defined]


@receiver(post_save, sender=Group, dispatch_uid="audit_group_saved")
def _group_saved(sender: type[Group], instance: Group, created: bool, **kwargs: Any) -> None:
    before = getattr(instance, "_audit_name_before", None)
    if created or before is None:
        audit_record_now(action="group.created", obj=instance, data={"name": instance.name})
    elif before != instance.name:
        audit_record_now(
            action="group.changed", obj=instance, data={"changes": {"name": [before, instance.name]}}
        )


@receiver(post_delete, sender=Group, dispatch_uid="audit_group_deleted")
def _group_deleted(sender: type[Group], instance: Group, **kwargs: Any) -> None:
    audit_record_now(action="group.deleted", obj=instance, data={"name": instance.name})


def _permission_names(pks: set[int]) -> list[str]:
    permissions = Permission.objects.filter(pk__in=pks).select_related("content_type")
    return sorted(f"{p.content_type.app_label}.{p.codename}" for p in permissions)


def _names(model: type[Any], pks: set[int]) -> list[str]:
    if model is Permission:
        return _permission_names(pks)
    return sorted(str(name) for name in model.objects.filter(pk__in=pks).values_list("name", flat=True))


def _record_membership(
    *,
    code: str,
    owner_model: type[Any],
    related_model: type[Any],
    accessor: tuple[str, str],
    instance: Any,
    action: str,
    reverse: bool,
    pk_set: set[int] | None,
) -> None:
    """One event per owner (user or group) whose memberships changed, from either direction.

    ``accessor`` names the relation from the owner's side and from the related side.
    """
    if action not in {"post_add", "post_remove", "pre_clear"}:
        return
    if action == "pre_clear":
        # After a clear the members are gone; read them while they are still there.
        pk_set = set(getattr(instance, accessor[1] if reverse else accessor[0]).values_list("pk", flat=True))
    key = "added" if action == "post_add" else "removed"
    pks = set(pk_set or ())
    if reverse:
        pairs = [(owner, {instance.pk}) for owner in owner_model.objects.filter(pk__in=pks)]
    else:
        pairs = [(instance, pks)] if pks else []
    for owner, related in pairs:
        audit_record_now(action=code, obj=owner, data={key: _names(related_model, related)})


@dataclass(frozen=True)
class _Membership:
    """A many-to-many relation whose changes are role or permission changes."""

    code: str
    owner_model: type[Any]
    related_model: type[Any]
    accessor: tuple[str, str]

    def __call__(
        self, sender: Any, instance: Any, action: str, reverse: bool, pk_set: Any, **kwargs: Any
    ) -> None:
        _record_membership(
            code=self.code,
            owner_model=self.owner_model,
            related_model=self.related_model,
            accessor=self.accessor,
            instance=instance,
            action=action,
            reverse=reverse,
            pk_set=pk_set,
        )


_MEMBERSHIPS = {
    User.groups.through: _Membership("user.groups_changed", User, Group, ("groups", "user_set")),
    User.user_permissions.through: _Membership(
        "user.permissions_changed", User, Permission, ("user_permissions", "user_set")
    ),
    Group.permissions.through: _Membership(
        "group.permissions_changed", Group, Permission, ("permissions", "group_set")
    ),
}
for _through, _receiver in _MEMBERSHIPS.items():
    m2m_changed.connect(_receiver, sender=_through, weak=False, dispatch_uid=f"audit_{_receiver.code}")
