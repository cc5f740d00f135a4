import datetime

import pytest

from evaluations.selectors import mous_signed_between
from pillars.models import Pillar

from .factories import MoUFactory

pytestmark = pytest.mark.django_db


def test_mous_signed_between_two_evaluations_feed_the_what_changed_page(django_assert_num_queries):
    inside = MoUFactory(title_ind="Nota 2021", signed_on=datetime.date(2021, 7, 26))
    inside.pillars.set(Pillar.objects.filter(slug__in=["governance", "society"]))
    MoUFactory(title_ind="Nota 2015", signed_on=datetime.date(2015, 5, 30))
    MoUFactory(title_ind="Draf", state="draft", signed_on=None, signed_place="", publication="draft")
    with django_assert_num_queries(2):
        items = mous_signed_between(since=datetime.date(2020, 12, 31), until=datetime.date(2021, 12, 31), user=None)
    assert sorted((item.title, item.pillar_id) for item in items) == sorted(
        ("Nota 2021", pk)
        for pk in Pillar.objects.filter(slug__in=["governance", "society"]).values_list("pk", flat=True)
    )
