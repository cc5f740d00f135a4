"""The public filter forms' selects written without templates (smartcity.public_filters.PlainSelect) print what
Django's Select prints; their model choices are read as a list, never through a server-side cursor; choice labels
(`get_FOO_display`) translated once per field and language read as Django's (issue 27)."""

import pytest
from django import forms
from django.db import connection, models
from django.utils import translation

from pillars.choices import Horizon, Stage
from pillars.models import Program
from pillars.public_filters import ProgramPublicFilterSet
from smartcity.public_filters import Labelled, ListedChoices, PlainSelect
from tests.pillars.factories import DistrictFactory, ProgramFactory

CHOICES = [("", "All <programs>"), *Horizon.choices, (2024, 2024), (None, 'none & "co"')]


@pytest.mark.parametrize("value", [None, "", "short", ["2024"], "none", "<b>"])
@pytest.mark.parametrize("attrs", [None, {"id": "id_x", "required": True, "disabled": False, "data-q": '"x"'}])
@pytest.mark.parametrize("language", ["id", "en"])
def test_a_plain_select_prints_what_djangos_select_prints(value, attrs, language):
    with translation.override(language):
        assert PlainSelect(choices=CHOICES).render("h", value, attrs) == forms.Select(choices=CHOICES).render(
            "h", value, attrs
        )


@pytest.mark.parametrize("value", [None, "governance"])
def test_an_option_labelled_in_another_language_says_so_in_both_renderings(value):
    """A record's Indonesian name on an English page (issue 26, item 6): the option carries lang="id"."""
    name = Labelled("Tata Kelola <Cerdas>")
    name.lang = "id"
    select = PlainSelect(choices=[("", "All pillars"), ("governance", name), ("living", "Smart Living")])
    html = select.render("pillar", value)
    assert html == forms.Select.render(select, "pillar", value)  # Django's templates, through its create_option
    selected = " selected" if value else ""
    assert f'<option value="governance"{selected} lang="id">Tata Kelola &lt;Cerdas&gt;</option>' in html
    assert '<option value="living">Smart Living</option>' in html


def test_option_groups_are_left_to_djangos_templates():
    grouped = [("Group <1>", [("a", "A"), ("b", "B")]), ("c", "C")]
    assert PlainSelect(choices=grouped).render("g", "b") == forms.Select(choices=grouped).render("g", "b")


@pytest.mark.django_db
def test_the_public_forms_selects_are_plain_and_their_model_choices_a_list():
    DistrictFactory(name="Padang <Barat>")
    form = ProgramPublicFilterSet(data={"district": ""}, queryset=Program.objects.none()).form
    assert type(form.fields["district"].widget) is PlainSelect
    assert type(form.fields["horizon"].widget) is PlainSelect
    assert isinstance(form.fields["district"].iterator(form.fields["district"]), ListedChoices)
    assert type(form.fields["stage"].widget) is forms.CheckboxSelectMultiple  # a group of checkboxes stays one
    assert type(form.fields["q"].widget) is not PlainSelect
    assert "Padang &lt;Barat&gt;</option>" in str(form["district"])


@pytest.mark.django_db
@pytest.mark.parametrize("url", ["/programs/", "/indicators/", "/services/", "/map/", "/programs/?district=x"])
def test_public_list_pages_open_no_server_side_cursor(client, url):
    ProgramFactory()
    before = connection._named_cursor_idx  # counts every QuerySet.iterator() cursor (DECLARE … FETCH … CLOSE)
    assert client.get(url).status_code == 200
    assert connection._named_cursor_idx == before


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["id", "en", None])
def test_choice_labels_read_as_djangos_in_each_language(language):
    program = ProgramFactory(stage=Stage.IN_PROGRESS)
    unknown = Program(stage="no-such-stage")
    with translation.override(language):
        for row in (program, unknown):
            field = Program._meta.get_field("stage")
            assert row.get_stage_display() == models.Model._get_FIELD_display(row, field)
            assert type(row.get_stage_display()) is str
    with translation.override("en"):
        english = program.get_stage_display()
    with translation.override("id"):
        assert program.get_stage_display() != english  # not one language's labels kept for every language
