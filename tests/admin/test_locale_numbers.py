"""Issue 22, item 5: every decimal box of the admin takes numbers as people type them in the page's language ("78,5"
in Indonesian, "78.5" in English) and shows them so; what could be read two ways is a form error, never a guess.
One form field (smartcity.widgets.LocaleDecimalField) set once for every admin form (smartcity.admin)."""

from decimal import Decimal
from types import SimpleNamespace

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import translation

from pillars.models import Activity, IndicatorTarget, Measurement
from smartcity.widgets import LocaleDecimalField, MoneyField
from tests.factories import UserFactory
from tests.pillars.factories import ActivityFactory, IndicatorFactory, IndicatorTargetFactory, MeasurementFactory
from tests.test_permission_matrix import admin_form_data

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("language", "typed", "number"),
    [
        ("id", "78,5", "78.5"),
        ("id", "1.234,5", "1234.5"),
        ("id", "1.234.567,25", "1234567.25"),
        ("id", "1.234.567", "1234567"),
        ("id", "-3,25", "-3.25"),
        ("id", "78.5", "78.5"),  # the English decimal point where it cannot be a thousands separator
        ("id", "0.125", "0.125"),
        ("id", " 92,30 ", "92.3"),
        ("en", "78.5", "78.5"),
        ("en", "1,234.5", "1234.5"),
        ("en", "78,5", "78.5"),
        ("en", "1,234,567", "1234567"),
    ],
)
def test_a_decimal_is_read_in_the_pages_language(language, typed, number):
    with translation.override(language):
        assert LocaleDecimalField(max_digits=16, decimal_places=3).clean(typed) == Decimal(number)


@pytest.mark.parametrize(
    ("language", "typed", "code"),
    [
        ("id", "1.234", "ambiguous"),  # a thousand, or one and a bit?
        ("en", "1,234", "ambiguous"),
        ("id", "1,234.5", "invalid"),  # the other language's grouping
        ("en", "1.234,5", "invalid"),
        ("id", "1.23.4", "invalid"),
        ("id", "12.34,5", "invalid"),
        ("id", "tujuh", "invalid"),
    ],
)
def test_what_could_be_misread_is_refused_with_a_clear_error(language, typed, code):
    with translation.override(language), pytest.raises(ValidationError) as refused:
        LocaleDecimalField(max_digits=16, decimal_places=3).clean(typed)
    assert refused.value.code == code


def test_the_ambiguity_error_says_how_to_write_either_reading():
    with translation.override("id"), pytest.raises(ValidationError) as refused:
        LocaleDecimalField(max_digits=16, decimal_places=3).clean("1.234")
    expected = "“1.234” bisa dibaca dua cara: tulis 1234 untuk bilangan bulat atau 1,234 untuk desimal."
    assert refused.value.messages == [expected]


def test_money_keeps_its_own_whole_rupiah_reading():
    with translation.override("id"):
        assert MoneyField().clean("1.250.000") == 1250000
        with pytest.raises(ValidationError):
            MoneyField().clean("-1.250")


# --- through the admin's forms, in both languages -------------------------------------------------------------------
@pytest.fixture
def superuser(client):
    user = UserFactory(is_staff=True, is_superuser=True)
    client.force_login(user)
    return user


def admin_url(name, *args, language):
    with translation.override(language):
        return reverse(f"admin:pillars_{name}", args=args)


def post(client, superuser, language, model, obj=None, name=None, **fields):
    data = admin_form_data(SimpleNamespace(superuser=superuser), model, obj, **fields)
    view = f"{model._meta.model_name}_{'change' if obj else 'add'}"
    return client.post(admin_url(name or view, *([obj.pk] if obj else []), language=language), data)


@pytest.mark.parametrize(("language", "typed"), [("id", "78,5"), ("en", "78.5"), ("id", "78.5")])
def test_the_measurement_form_takes_the_pages_decimal(client, superuser, language, typed):
    indicator = IndicatorFactory()
    response = post(client, superuser, language, Measurement, indicator=indicator.pk, measured_on="2024-03-01",
                    value=typed)  # fmt: skip
    assert response.status_code == 302, response.context["adminform"].form.errors
    measurement = Measurement.objects.get(indicator=indicator)
    assert measurement.value == Decimal("78.5")
    html = client.get(admin_url("measurement_change", measurement.pk, language=language)).content.decode()
    shown = "78,5" if language == "id" else "78.5"
    assert f'name="value" value="{shown}"' in html  # shown back as the page writes it, without trailing zeros


@pytest.mark.parametrize(("language", "typed"), [("id", "1.234,5"), ("en", "1,234.5")])
def test_grouped_thousands_are_read_too(client, superuser, language, typed):
    indicator = IndicatorFactory()
    response = post(client, superuser, language, Measurement, indicator=indicator.pk, measured_on="2024-03-01",
                    value=typed)  # fmt: skip
    assert response.status_code == 302
    assert Measurement.objects.get(indicator=indicator).value == Decimal("1234.5")


@pytest.mark.parametrize(("language", "typed"), [("id", "1.234"), ("en", "1,234")])
def test_an_ambiguous_measurement_is_a_form_error_and_saves_nothing(client, superuser, language, typed):
    indicator = IndicatorFactory()
    response = post(client, superuser, language, Measurement, indicator=indicator.pk, measured_on="2024-03-01",
                    value=typed)  # fmt: skip
    assert response.status_code == 200 and "value" in response.context["adminform"].form.errors
    assert not Measurement.objects.exists()


@pytest.mark.parametrize(("language", "typed", "shown"), [("id", "92,3", "92,3"), ("en", "92.3", "92.3")])
def test_the_target_rows_of_an_indicator_take_the_pages_decimal(client, superuser, language, typed, shown):
    target = IndicatorTargetFactory(year=2024, value=Decimal("80.00"))
    indicator = target.indicator
    response = post(client, superuser, language, type(indicator), indicator, **{"targets-0-value": typed})
    assert response.status_code == 302, response.context["adminform"].form.errors
    assert IndicatorTarget.objects.get(pk=target.pk).value == Decimal("92.3")
    html = client.get(admin_url("indicator_change", indicator.pk, language=language)).content.decode()
    assert f'name="targets-0-value" value="{shown}"' in html


@pytest.mark.parametrize(("language", "weight"), [("id", "1,5"), ("en", "1.5")])
def test_the_activity_form_takes_the_pages_decimal_weight_and_its_progress(client, superuser, language, weight):
    activity = ActivityFactory(weight=1, progress=0)
    response = post(client, superuser, language, Activity, activity, weight=weight, progress="40")
    assert response.status_code == 302, response.context["adminform"].form.errors
    activity.refresh_from_db()
    assert (activity.weight, activity.progress, activity.program.progress) == (Decimal("1.5"), 40, 40)
    html = client.get(admin_url("activity_change", activity.pk, language=language)).content.decode()
    assert f'name="weight" value="{weight}"' in html and 'name="progress" value="40"' in html


def test_measurement_values_from_before_show_in_the_pages_language(client, superuser):
    measurement = MeasurementFactory(value=Decimal("1234.50"))
    html = client.get(admin_url("measurement_change", measurement.pk, language="id")).content.decode()
    assert 'name="value" value="1234,5"' in html and 'inputmode="decimal"' in html


def test_every_decimal_box_of_every_admin_form_and_inline_reads_the_pages_language(superuser):
    """Scores, weights, quantities, coordinates: no admin form is left with Django's plain DecimalField."""
    from django import forms
    from django.contrib import admin
    from django.test import RequestFactory

    request = RequestFactory().get("/")
    request.user = superuser
    plain, localized = [], []
    for model, model_admin in admin.site._registry.items():
        form_classes = [(model.__name__, model_admin.get_form(request))]
        form_classes += [
            (inline.model.__name__, formset.form) for formset, inline in model_admin.get_formsets_with_inlines(request)
        ]
        for name, form_class in form_classes:
            for field_name, field in form_class.base_fields.items():
                if isinstance(field, forms.DecimalField | forms.FloatField):
                    (localized if field.localize else plain).append(f"{name}.{field_name}")
    assert not plain, plain
    assert {"Measurement.value", "IndicatorTarget.value", "Activity.weight", "DimensionScore.score"} <= set(localized)
