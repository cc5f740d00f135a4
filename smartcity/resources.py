"""Imports (django-import-export) that write through the model's writer, like every other door.

Each row is matched on its natural key, then handed to `writer_for(model)`: the rules see the row as it stands in
the database and as the file would make it, so a file cannot move another agency's record into the importer's own.
The admin's dry run and `manage.py import_records` run the same code inside a transaction that is rolled back.

Errors are written for the staff who fill the files: every error of every row, each under the column's name as the
model names it ("Pilar (kolom pillar)"), in words ("Pilar «x» tidak dikenal; pilihan: governance, …") rather than
the exception a widget raised.
"""

from decimal import InvalidOperation

from django.core.exceptions import (
    NON_FIELD_ERRORS,
    FieldDoesNotExist,
    MultipleObjectsReturned,
    ObjectDoesNotExist,
    PermissionDenied,
    ValidationError,
)
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from import_export import resources, widgets

from .services import writer_for

CHOICES_SHOWN = 30  # a longer list of allowed values is cut, with a pointer to where the rest is listed
READ_ERRORS = (ValueError, TypeError, ArithmeticError, InvalidOperation, ObjectDoesNotExist, MultipleObjectsReturned)


class ImportFileError(ValueError):
    """The file as a whole cannot be imported (a missing key column); its message is for the user."""


def model_field(model, attribute: str | None):
    try:
        return model._meta.get_field(attribute) if attribute else None
    except FieldDoesNotExist:
        return None


def allowed_values(field, model) -> list[tuple[str, str]] | None:
    """The values a column accepts, as (value, label) pairs, at most CHOICES_SHOWN + 1 (None: any value of its
    type): the slugs of the related rows, or the model field's choices."""
    widget = field.widget
    if isinstance(widget, (widgets.ForeignKeyWidget, widgets.ManyToManyWidget)):
        queryset = widget.get_queryset(None, {}) if isinstance(widget, widgets.ForeignKeyWidget) else None
        rows = (queryset if queryset is not None else widget.model.objects.all())[: CHOICES_SHOWN + 1]
        return [(str(getattr(row, widget.field)), str(row)) for row in rows]
    db_field = model_field(model, field.attribute)
    if db_field is not None and db_field.choices:
        return [(str(value), str(label)) for value, label in db_field.flatchoices]
    return None


def listed(values: list[str]) -> str:
    shown = ", ".join(values[:CHOICES_SHOWN])
    return shown + ", …" if len(values) > CHOICES_SHOWN else shown


def column_label(field, model) -> str:
    """ "Pilar (kolom pillar)": the model's name for the column, then the column as the file spells it."""
    db_field = model_field(model, field.attribute)
    label = capfirst(str(db_field.verbose_name)) if db_field is not None else field.column_name
    return _("%(label)s (column %(column)s)") % {"label": label, "column": field.column_name}


def cell_error(field, value, error: Exception) -> str:
    """What was wrong with one cell, in words, whatever the widget raised."""
    widget, shown = field.widget, str(value).strip()
    if isinstance(widget, widgets.ForeignKeyWidget) and isinstance(error, ObjectDoesNotExist):
        choices = [slug for slug, _label in allowed_values(field, None)]
        return _("%(what)s «%(value)s» is unknown; choose one of: %(choices)s.") % {
            "what": capfirst(str(widget.model._meta.verbose_name)),
            "value": shown,
            "choices": listed(choices),
        }
    if isinstance(error, MultipleObjectsReturned):
        return _("«%(value)s» matches more than one %(what)s.") % {
            "value": shown,
            "what": widget.model._meta.verbose_name,
        }
    if isinstance(widget, widgets.IntegerWidget):
        return _("«%(value)s» is not a whole number.") % {"value": shown}
    if isinstance(widget, (widgets.DecimalWidget, widgets.FloatWidget)):
        return _("«%(value)s» is not a number.") % {"value": shown}
    if isinstance(widget, (widgets.DateWidget, widgets.DateTimeWidget)):
        return _("«%(value)s» is not a date; write it as year-month-day, e.g. 2025-03-31.") % {"value": shown}
    return _("«%(value)s» cannot be read.") % {"value": shown}


def record_columns(serializer_class, left_out: dict[str, str]) -> list[str]:
    """A file's columns: the record's one field list (its API serializer's `Meta.fields`), less what the file leaves
    out, each with its reason. A field added to the serializer reaches the file unless it is named out."""
    return [name for name in serializer_class.Meta.fields if name not in left_out]


class ServiceResource(resources.ModelResource):
    actor = None
    # The API serializer whose field list the file's columns come from (None: a file of its own shape)
    record_serializer = None

    class Meta:
        abstract = True
        clean_model_instances = True
        skip_unchanged = True
        use_transactions = True

    def before_import(self, dataset, **kwargs):
        self.actor = kwargs.get("user")
        self.check_headers(dataset.headers or [])

    def check_headers(self, headers: list[str]) -> None:
        """A file must name its rows' keys. Columns we do not read are ignored, as before, but named on the
        page (a misspelt column would otherwise lose its values silently)."""
        known = [field.column_name for field in self.get_import_fields()]
        self.ignored_columns = [header for header in headers if header not in known]
        keys = [self.fields[name].column_name for name in self.get_import_id_fields()]
        missing = [key for key in keys if key not in headers]
        if missing and keys != ["id"]:
            raise ImportFileError(
                _("The file has no column %(missing)s; each row is matched on %(keys)s.")
                % {"missing": ", ".join(missing), "keys": ", ".join(keys)}
            )

    def after_import(self, dataset, result, **kwargs):
        result.ignored_columns = getattr(self, "ignored_columns", [])
        result.known_columns = [field.column_name for field in self.get_import_fields()]
        super().after_import(dataset, result, **kwargs)

    def get_or_init_instance(self, instance_loader, row):
        try:
            return super().get_or_init_instance(instance_loader, row)
        except READ_ERRORS:  # a key cell that cannot be read: the row is reported by import_instance
            return self.init_instance(row), True

    def import_instance(self, instance, row, **kwargs):
        """Read every cell, collecting each column's error in words (widgets raise all sorts of exceptions)."""
        errors = {}
        for field in self.get_import_fields():
            if not field.attribute or field.column_name not in row:
                continue
            try:
                if isinstance(field.widget, widgets.ManyToManyWidget):
                    self.check_many(field, row[field.column_name])
                else:
                    self.import_field(field, instance, row, **kwargs)
            except ValidationError as error:
                errors[field.attribute] = error
            except READ_ERRORS as error:
                errors[field.attribute] = ValidationError(cell_error(field, row[field.column_name], error))
        if errors:
            raise ValidationError(errors)

    def check_many(self, field, value) -> None:
        widget = field.widget
        wanted = [part.strip() for part in str(value or "").split(widget.separator) if part.strip()]
        found = set(widget.model.objects.filter(**{f"{widget.field}__in": wanted}).values_list(widget.field, flat=True))
        unknown = [slug for slug in wanted if slug not in found]
        if unknown:
            choices = [slug for slug, _label in allowed_values(field, None)]
            raise ValidationError(
                _("Unknown %(what)s: %(unknown)s; choose from: %(choices)s (several separated by %(separator)s).")
                % {
                    "what": widget.model._meta.verbose_name,
                    "unknown": ", ".join(f"«{slug}»" for slug in unknown),
                    "choices": listed(choices),
                    "separator": widget.separator,
                }
            )

    def validate_instance(self, instance, import_validation_errors=None, validate_unique=True):
        try:
            super().validate_instance(instance, import_validation_errors, validate_unique)
        except ValidationError as error:
            raise ValidationError(self.reworded(error.error_dict)) from error

    def reworded(self, error_dict: dict) -> dict:
        """The model's messages, with a choice's allowed values and a missing value said plainly."""
        fields = {field.attribute: field for field in self.get_import_fields() if field.attribute}
        reworded = {}
        for name, errors in error_dict.items():
            field = fields.get(name)
            reworded[name] = [self.reworded_one(error, field) for error in errors]
        return reworded

    def reworded_one(self, error: ValidationError, field) -> ValidationError:
        if field is None or not hasattr(error, "code"):
            return error
        if error.code == "invalid_choice":
            choices = [value for value, _label in allowed_values(field, self._meta.model) or []]
            value = (error.params or {}).get("value", "")
            return ValidationError(
                _("«%(value)s» is not one of: %(choices)s.") % {"value": value, "choices": listed(choices)},
                code="invalid_choice",
            )
        if error.code in ("null", "blank", "required"):
            return ValidationError(_("This cell is empty; a value is required."), code="required")
        return error

    def import_row(self, row, instance_loader, **kwargs):
        result = super().import_row(row, instance_loader, **kwargs)
        if result.validation_error is not None:
            result.validation_error = self.labelled(result.validation_error)
        return result

    def labelled(self, error: ValidationError) -> ValidationError:
        """The row's errors keyed by the columns' names in words, not by the model's field names."""
        if not hasattr(error, "error_dict"):
            return error
        labels = {field.attribute: column_label(field, self._meta.model) for field in self.get_import_fields()}
        return ValidationError(
            {
                name if name == NON_FIELD_ERRORS else labels.get(name, name): messages
                for name, messages in error.error_dict.items()
            }
        )

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
