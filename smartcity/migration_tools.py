"""Helpers for data migrations that move models between apps (issue 24 split evaluations into three apps)."""


def move_content_types(apps, *, old: str, new: str, models: list[str]) -> None:
    """Give the content types of `models` (model names, lower case) the app label `new` instead of `old`, in place:
    their ids stay, so the permissions, the groups and users holding them and the admin log keep pointing at them.
    A content type already made under `new` (a post-migrate step that ran first) gives way: its permissions' holders
    get the moved type's permission of the same codename, then it is deleted."""
    content_type_model = apps.get_model("contenttypes", "ContentType")
    permission_model = apps.get_model("auth", "Permission")
    for model in models:
        moving = content_type_model.objects.filter(app_label=old, model=model).first()
        if moving is None:
            continue
        made = content_type_model.objects.filter(app_label=new, model=model).first()
        if made is not None:
            for permission in permission_model.objects.filter(content_type=made):
                kept = permission_model.objects.filter(content_type=moving, codename=permission.codename).first()
                if kept is None:
                    permission.content_type = moving
                    permission.save(update_fields=["content_type"])
                    continue
                for group in permission.group_set.all():
                    group.permissions.add(kept)
                for user in permission.user_set.all():
                    user.user_permissions.add(kept)
            made.delete()
        moving.app_label = new
        moving.save(update_fields=["app_label"])
    from django.contrib.contenttypes.models import ContentType

    ContentType.objects.clear_cache()  # the process's cache still knows the old labels


def rename_constraints(renames: list[tuple[str, str, str]]):
    """A migration operation renaming each (table, old name, new name) constraint, and back when unapplied: a
    constraint named after its app (`%(app_label)s_...`) follows the model to its new app while the table stays.
    PostgreSQL only: SQLite (the first-look mode) keeps constraints inside the table's definition, and Django
    rebuilds the table whenever it changes one, so the name there is never looked up."""
    from django.db import migrations

    def run(schema_editor, pairs):
        if schema_editor.connection.vendor != "postgresql":
            return
        for table, old, new in pairs:
            quoted = [schema_editor.quote_name(name) for name in (table, old, new)]
            schema_editor.execute("ALTER TABLE {} RENAME CONSTRAINT {} TO {}".format(*quoted))

    def forward(apps, schema_editor):
        run(schema_editor, renames)

    def backward(apps, schema_editor):
        run(schema_editor, [(table, new, old) for table, old, new in renames])

    return migrations.RunPython(forward, backward)
