"""Every box of an admin change form has a name a screen reader reads (axe-core's "label" rule, found by the staff
walks in tests/browser/test_admin_walks.py): a tabular inline's boxes and its delete checkbox, and the two boxes of
a date-and-time field. Read on the scheme's form, whose dimensions and bands are tabular inlines."""

import re

import pytest
from django.urls import reverse

from tests.evaluations.factories import EvaluationSchemeFactory
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def unlabelled(html: str) -> list[str]:
    """The ids of visible inputs, selects and text areas that neither carry an aria-label nor have a <label for>."""
    labelled_ids = set(re.findall(r'<label[^>]* for="([^"]+)"', html))
    found = []
    for tag in re.findall(r"<(?:input|select|textarea)\b[^>]*>", html):
        if re.search(r'type="(hidden|submit|button)"', tag) or "__prefix__" in tag:
            continue
        box = re.search(r'id="([^"]+)"', tag)
        if "aria-label=" not in tag and (box is None or box.group(1) not in labelled_ids):
            found.append(box.group(1) if box else tag)
    return found


def test_the_scheme_form_names_every_box_of_its_inlines_and_its_date_and_time(client):
    scheme = EvaluationSchemeFactory()
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    html = client.get(reverse("admin:evaluations_evaluationscheme_change", args=[scheme.pk])).content.decode()
    assert 'id="id_dimensions-0-code"' in html and 'id="id_publish_from_0"' in html
    inline_boxes = [box for box in unlabelled(html) if box.startswith("id_dimensions-") or box.startswith("id_bands-")]
    assert inline_boxes == []
    assert [box for box in unlabelled(html) if box.startswith("id_publish_from")] == []
    date_box = re.search(r'<input[^>]*name="publish_from_0"[^>]*>', html).group(0)
    assert 'aria-label="' in date_box and ': tanggal"' in date_box, date_box
    delete_box = re.search(r'<input[^>]*name="dimensions-0-DELETE"[^>]*>', html).group(0)
    assert 'aria-label="Hapus"' in delete_box, delete_box


def test_the_user_form_names_the_date_and_time_boxes_of_last_login_and_date_joined(client):
    person = UserFactory(is_staff=True)
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    html = client.get(reverse("admin:auth_user_change", args=[person.pk])).content.decode()
    assert 'id="id_date_joined_0"' in html
    assert [box for box in unlabelled(html) if box.startswith(("id_last_login", "id_date_joined"))] == []
