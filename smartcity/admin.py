"""The admin's doors, all through the model's writer (smartcity/services.py).

`ServiceAdmin` saves change forms, inlines, history reverts and bulk deletes through `writer_for(model)`, so an
admin page runs exactly the rules the API runs, with the row as it stands and as it would become. Its forms
carry the version of the row they were read at: a save based on an older read is a form error naming who
changed the row, never a silent overwrite. History pages see only the rows the change list sees.

Which rows a person reaches, and which rows a choice lists, come from the model's access policy
(`smartcity/policy.py`): the change list shows `restrict(user, "change")` to those who may change the model and
`restrict(user, "view")` to those who only read it; a relation on the policy's owner path (a measurement's
indicator, a program's lead agency) lists only the rows of the user's own agencies, as the writer requires.
"""

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import FieldDoesNotExist, PermissionDenied, ValidationError
from django.db import models, transaction
from django.http import Http404, HttpResponseRedirect
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from simple_history.admin import SimpleHistoryAdmin

from .policy import owner_choices, policy_of
from .services import check_version, row_version, writer_for
from .widgets import LocaleDecimalField, LocaleFloatField

VERSION_FIELD = "row_version"


def form_data(form) -> dict:
    """The model fields a validated form would write: {name: value}, file inputs left empty meaning "keep"."""
    data = {}
    for name in form.fields:
        if name not in form.cleaned_data:
            continue
        try:
            field = form._meta.model._meta.get_field(name)
        except FieldDoesNotExist:
            continue
        value = form.cleaned_data[name]
        if field.primary_key or not field.editable and not field.is_relation:
            continue
        if isinstance(field, models.FileField):
            if value is None:
                continue
            value = "" if value is False else value
        data[name] = value
    # Fields a form computes from an input of its own (a boundary's outline from its uploaded file).
    computed = getattr(form, "written_fields", ())
    data.update({name: form.cleaned_data[name] for name in computed if name in form.cleaned_data})
    return data


class VersionedModelForm(forms.ModelForm):
    """A model form that runs the writer's rules as form errors and refuses a save based on an older read."""

    row_version = forms.CharField(widget=forms.HiddenInput, required=False)
    actor = None  # set per request by ServiceAdmin / ServiceInlineMixin
    read_fresh = True  # main forms read the row's version from the database (a history page shows an old one)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        instance = self.instance
        if instance.pk is not None and not self.is_bound:
            current = type(instance)._base_manager.filter(pk=instance.pk).first() if self.read_fresh else instance
            self.initial[VERSION_FIELD] = row_version(current) if current is not None else ""

    def _post_clean(self):
        super()._post_clean()
        if self.errors:  # the rules need a complete row; field errors come first
            return
        model = type(self.instance)
        before = model._base_manager.filter(pk=self.instance.pk).first() if self.instance.pk is not None else None
        many = {name: value for name, value in self.cleaned_data.items() if isinstance(value, models.QuerySet)}
        try:
            if before is not None:
                check_version(before, self.cleaned_data.get(VERSION_FIELD) or None)
            writer_for(model).check(before=before, after=self.instance, many=many, actor=self.actor)
        except PermissionDenied as denied:
            self.add_error(None, str(denied))
        except ValidationError as error:
            self.add_error(None, error)


class LocaleNumbersMixin:
    """Every decimal box of the admin reads and shows numbers in the page's language ("78,5" in Indonesian), once
    for all models: measurements, targets, weights, scores. A field given its own form class keeps it (money)."""

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if isinstance(db_field, models.DecimalField) and "form_class" not in kwargs and not db_field.choices:
            kwargs["form_class"] = LocaleDecimalField
        elif isinstance(db_field, models.FloatField) and "form_class" not in kwargs and not db_field.choices:
            kwargs["form_class"] = LocaleFloatField
        return super().formfield_for_dbfield(db_field, request, **kwargs)


class LabelledWidgetsMixin:
    """Every box of an admin form has a name a screen reader reads (axe-core's "label" rule): a tabular inline's
    boxes sit under a column heading, not a <label>, so each carries its field's label; a date-and-time field's two
    boxes say which is the date and which the time."""

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        field = super().formfield_for_dbfield(db_field, request, **kwargs)
        if field is not None:
            label_widgets(field, in_table=isinstance(self, admin.TabularInline))
        return field


def label_widgets(field, *, in_table: bool) -> None:
    widget = getattr(field.widget, "widget", field.widget)  # inside the related-object links' wrapper
    label = capfirst(str(field.label or ""))
    if isinstance(widget, forms.SplitDateTimeWidget):
        for part, name in zip(widget.widgets, (_("date"), _("time")), strict=True):
            part.attrs.setdefault("aria-label", f"{label}: {name}")
    elif in_table and label:
        widget.attrs.setdefault("aria-label", label)


def _with_actor(form_class, actor, **attrs):
    return type(form_class.__name__, (form_class,), {"actor": actor, **attrs})


class ParentAwareFormSet(forms.BaseInlineFormSet):
    """Gives each row its parent object, not only the parent's id, so the rules can read the parent as the
    form is about to make it (an OPD editor adding milestones to the program they are creating)."""

    def _construct_form(self, i, **kwargs):
        form = super()._construct_form(i, **kwargs)
        setattr(form.instance, self.fk.name, self.instance)
        return form

    def add_fields(self, form, index):
        super().add_fields(form, index)
        if "DELETE" in form.fields:  # a bare checkbox in its table cell: it says what it does
            form.fields["DELETE"].widget.attrs.setdefault("aria-label", _("Delete"))


class PolicyChoicesMixin:
    """Foreign-key and many-to-many choices narrowed to the rows the writer's agency rule lets the user name."""

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        _narrow_choices(self.model, db_field, request, kwargs)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        _narrow_choices(self.model, db_field, request, kwargs)
        return super().formfield_for_manytomany(db_field, request, **kwargs)


def _narrow_choices(model, db_field, request, kwargs) -> None:
    if "queryset" in kwargs:
        return
    choices = owner_choices(model, db_field.name, request.user)
    if choices is not None:
        kwargs["queryset"] = choices


class ServiceInlineMixin(LabelledWidgetsMixin, PolicyChoicesMixin, LocaleNumbersMixin):
    """An inline whose rows are written by their model's writer (see ServiceAdmin.save_formset)."""

    form = VersionedModelForm
    formset = ParentAwareFormSet

    def get_formset(self, request, obj=None, **kwargs):
        formset = super().get_formset(request, obj, **kwargs)
        formset.form = _with_actor(formset.form, request.user, read_fresh=False)
        return formset

    def get_fields(self, request, obj=None):
        return [*super().get_fields(request, obj), VERSION_FIELD]


class RecordFieldsMixin:
    """The change form's fields, where the admin lays out no `fields` or `fieldsets` of its own: the record's one
    field list (its import resource's `record_serializer`, the same list as the file's columns and the API's
    fields), less `record_left_out`, {field: why the form leaves it out}. tests/test_record_fields.py holds every
    model field to being in the form (or its fieldsets) or out with a reason."""

    record_left_out: dict[str, str] = {}

    def record_fields(self) -> list[str] | None:
        """The form's fields from the record's field list, or None when the admin has no record serializer."""
        resources = getattr(self, "resource_classes", None) or []
        serializer = next((resource.record_serializer for resource in resources if resource.record_serializer), None)
        if serializer is None:
            return None
        return [name for name in serializer.Meta.fields if name not in self.record_left_out]

    def get_fields(self, request, obj=None):
        fields = None if self.fields or self.fieldsets else self.record_fields()
        if fields is None:
            return super().get_fields(request, obj)
        return [*fields, *(name for name in self.get_readonly_fields(request, obj) if name not in fields)]


class ServiceAdmin(LabelledWidgetsMixin, PolicyChoicesMixin, LocaleNumbersMixin, SimpleHistoryAdmin):
    """A model admin whose every write goes through `writer_for(model)`, over the rows the model's policy lets the
    user reach."""

    form = VersionedModelForm
    # The rows an editor's change list shows: "change", those they may change (an OPD editor's own agencies'); or
    # "view", every row they may read, each changed only where the policy lets them (follow-ups other agencies owe).
    list_scope = "change"

    def __init__(self, model, admin_site):
        super().__init__(model, admin_site)
        # The model's `search_fields` are also the API's `q` (smartcity.filters.FilterSet): one list, two boxes.
        # Set on the instance, not read in get_search_fields(): the autocomplete check reads the attribute.
        self.search_fields = self.search_fields or getattr(model, "search_fields", ())

    def get_queryset(self, request):
        """Those who may change the model see the rows they may change (an OPD editor their own agencies'); those
        who only read it (Viewer, Evaluator) see the rows they may view."""
        queryset = super().get_queryset(request)
        if not hasattr(queryset, "restrict"):
            return queryset
        editor = self.list_scope == "change" and self.has_change_permission(request)
        return queryset.restrict(request.user, "change" if editor else "view")

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and (obj is None or _may_change(request.user, obj))

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and (obj is None or _may_change(request.user, obj))

    def get_form(self, request, obj=None, change=False, **kwargs):
        return _with_actor(super().get_form(request, obj, change=change, **kwargs), request.user)

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        if any(VERSION_FIELD in admin.utils.flatten(options["fields"]) for _name, options in fieldsets):
            return fieldsets
        (name, options), *rest = fieldsets
        return [(name, {**options, "fields": [*options["fields"], VERSION_FIELD]}), *rest]

    # --- writes ------------------------------------------------------------------------------------------------
    def save_model(self, request, obj, form, change):
        writer = writer_for(self.model)
        if change:
            read_version = form.cleaned_data.get(VERSION_FIELD) or None
            saved = writer.update(instance=obj, data=form_data(form), actor=request.user, read_version=read_version)
        else:
            saved = writer.create(data=form_data(form), actor=request.user)
        obj.pk, obj._state.adding = saved.pk, False
        form.instance = obj
        form.save_m2m = lambda: None  # the writer set the many-to-many fields with the row

    def save_related(self, request, form, formsets, change):
        for formset in formsets:
            self.save_formset(request, form, formset, change=change)

    def save_formset(self, request, form, formset, change):
        formset.instance = form.instance
        formset.save(commit=False)  # fills new/changed/deleted_objects for the change message; writes nothing
        writer = writer_for(formset.model)
        for row in formset.initial_forms:
            if formset.can_delete and formset._should_delete_form(row):
                writer.delete(instance=row.instance, actor=request.user)
            elif row.has_changed():
                version = row.cleaned_data.get(VERSION_FIELD) or None
                writer.update(instance=row.instance, data=form_data(row), actor=request.user, read_version=version)
        for row in formset.extra_forms:
            if row.has_changed() and not formset._should_delete_form(row):
                saved = writer.create(data={**form_data(row), formset.fk.name: form.instance}, actor=request.user)
                row.instance.pk, row.instance._state.adding = saved.pk, False

    def delete_model(self, request, obj):
        writer_for(self.model).delete(instance=obj, actor=request.user)

    @transaction.atomic
    def delete_queryset(self, request, queryset):
        writer = writer_for(self.model)
        for obj in queryset:
            writer.delete(instance=obj, actor=request.user)

    # --- doors that may meet a rule after the form was valid (a concurrent change) -------------------------------
    def _refused(self, request, error):
        message = str(error) if isinstance(error, PermissionDenied) else " ".join(_messages_of(error))
        self.message_user(request, message or _("This change was refused."), level=messages.ERROR)
        return HttpResponseRedirect(request.get_full_path())

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)
        except ValidationError as error:  # the transaction rolled back: nothing was saved
            return self._refused(request, error)

    def delete_view(self, request, object_id, extra_context=None):
        try:
            return super().delete_view(request, object_id, extra_context)
        except ValidationError as error:
            return self._refused(request, error)

    def response_action(self, request, queryset):
        try:
            with transaction.atomic():
                return super().response_action(request, queryset)
        except (ValidationError, PermissionDenied) as error:
            return self._refused(request, error)

    # --- history: the same rows as the change list, reverts through the writer ------------------------------------
    def _require_in_scope(self, request, object_id):
        if not self.get_queryset(request).filter(pk=unquote(object_id)).exists():
            raise Http404

    def history_view(self, request, object_id, extra_context=None):
        self._require_in_scope(request, object_id)
        return super().history_view(request, object_id, extra_context)

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        self._require_in_scope(request, object_id)
        if request.method == "POST" and not self.has_change_permission(request, self.get_object(request, object_id)):
            raise PermissionDenied
        try:
            with transaction.atomic():
                return super().history_form_view(request, object_id, version_id, extra_context)
        except ValidationError as error:
            return self._refused(request, error)


def _may_change(user, obj) -> bool:
    policy = policy_of(type(obj))
    return policy is None or policy.may_change(user, obj)


def _messages_of(error: ValidationError) -> list[str]:
    return [str(message) for message in error.messages]
