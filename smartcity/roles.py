"""Groups (roles) and their permissions, granted by each app's data migration for its own models.

The roles: Administrator, Diskominfo editor, OPD editor (own agency only), Evaluator, Viewer. The group names are
stable internal names (identity-provider claims, notifications and tests name them); people see each role by its
translated label (`role_label`): "Editor OPD" in Indonesian.
"""

from django.utils.translation import gettext_lazy as _

ADMINISTRATOR = "Administrator"
DISKOMINFO_EDITOR = "Diskominfo editor"
OPD_EDITOR = "OPD editor"
EVALUATOR = "Evaluator"
VIEWER = "Viewer"


def grant(apps, grants: dict[str, list[str]]) -> None:
    """Give each group (created if missing) the permissions "app_label.codename" listed for it.

    Runs inside a data migration, before Django's post-migrate step has created the permissions of
    new models, so it creates them first.
    """
    from django.contrib.auth.management import create_permissions

    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None

    group_model = apps.get_model("auth", "Group")
    permission_model = apps.get_model("auth", "Permission")
    for group_name, perms in grants.items():
        group, _ = group_model.objects.get_or_create(name=group_name)
        for perm in perms:
            app_label, codename = perm.split(".")
            group.permissions.add(permission_model.objects.get(content_type__app_label=app_label, codename=codename))


def revoke(apps, revocations: dict[str, list[str]]) -> None:
    """Take the permissions "app_label.codename" listed for each existing group away from it (a grant that
    turned out too broad); a data migration cannot edit the earlier migration that granted them."""
    group_model = apps.get_model("auth", "Group")
    permission_model = apps.get_model("auth", "Permission")
    for group_name, perms in revocations.items():
        group = group_model.objects.filter(name=group_name).first()
        if group is None:
            continue
        for perm in perms:
            app_label, codename = perm.split(".")
            group.permissions.remove(
                *permission_model.objects.filter(content_type__app_label=app_label, codename=codename)
            )


def model_perms(app_label: str, models: list[str], actions: tuple[str, ...]) -> list[str]:
    """["pillars.view_program", ...] for every model and action."""
    return [f"{app_label}.{action}_{model}" for model in models for action in actions]


ROLES = (ADMINISTRATOR, DISKOMINFO_EDITOR, OPD_EDITOR, EVALUATOR, VIEWER)
ROLE_LABELS = {
    ADMINISTRATOR: _("Administrator"),
    DISKOMINFO_EDITOR: _("Diskominfo editor"),
    OPD_EDITOR: _("OPD editor"),
    EVALUATOR: _("Evaluator"),
    VIEWER: _("Viewer"),
}
# Roles whose holders edit only for the agencies they belong to: a member of no agency could do nothing.
AGENCY_BOUND_ROLES = (OPD_EDITOR,)


def role_label(group_name: str) -> str:
    """The role's name as people read it, in the page's language; a group that is no role keeps its own name."""
    return str(ROLE_LABELS.get(group_name, group_name))


# The values an identity provider's role claim may carry, and the role each one gives (OIDC_ROLES may replace them).
ROLE_CLAIM_VALUES = {
    "administrator": ADMINISTRATOR,
    "diskominfo-editor": DISKOMINFO_EDITOR,
    "opd-editor": OPD_EDITOR,
    "evaluator": EVALUATOR,
    "viewer": VIEWER,
}
