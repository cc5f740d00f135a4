"""Imports (django-import-export) that write through the model's writer, like every other door.

Each row is matched on its natural key, then handed to `writer_for(model)`: the rules see the row as it stands in
the database and as the file would make it, so a file cannot move another agency's record into the importer's own.
The admin's dry run and `manage.py import_records` run the same code inside a transaction that is rolled back.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext as _
from import_export import resources, widgets

from .services import writer_for


class ServiceResource(resources.ModelResource):
    actor = None

    class Meta:
        abstract = True
        clean_model_instances = True
        skip_unchanged = True
        use_transactions = True

    def before_import(self, dataset, **kwargs):
        self.actor = kwargs.get("user")

    def row_data(self, instance, row) -> dict:
        """What the row would write: the resource's fields, many-to-many ones read from the row."""
        data = {}
        for field in self.get_import_fields():
            if not field.attribute or field.attribute == instance._meta.pk.name:
                continue
            if isinstance(field.widget, widgets.ManyToManyWidget):
                if field.column_name in row:  # a file without the column leaves the links as they are
                    data[field.attribute] = field.clean(row)
            else:
                data[field.attribute] = getattr(instance, field.attribute)
        return data

    def save_instance(self, instance, is_create, row, **kwargs):
        if self.actor is None:
            raise ValidationError(_("Imports need a user to check rights against."))
        self.before_save_instance(instance, row, **kwargs)
        writer, data = writer_for(type(instance)), self.row_data(instance, row)
        try:
            if is_create:
                saved = writer.create(data=data, actor=self.actor)
            else:
                saved = writer.update(instance=instance, data=data, actor=self.actor)
        except PermissionDenied as denied:
            raise ValidationError(str(denied)) from denied
        instance.pk, instance._state.adding = saved.pk, False
        self.after_save_instance(instance, row, **kwargs)

    def save_m2m(self, instance, row, **kwargs):
        """The writer set the many-to-many fields with the row."""
