"""The one write path of `smartcity.services.Writer`: `prepare`, then the row, then `write_parts`, then `after_write`,
all in one transaction, whichever of create, update or delete (issue 24, item 3)."""

import pytest
from django.db import transaction

from pillars.models import Boundary
from smartcity.services import Writer

pytestmark = pytest.mark.django_db

SQUARE = {"type": "Polygon", "coordinates": [[[100.3, -0.9], [100.4, -0.9], [100.4, -1.0], [100.3, -0.9]]]}


class RecordingWriter(Writer):
    parts = ("tags",)

    def __init__(self, *args, fail_after=False, **kwargs):
        super().__init__(*args, **kwargs)
        object.__setattr__(self, "calls", [])
        object.__setattr__(self, "fail_after", fail_after)

    def prepare(self, *, instance, data, actor):
        return {**data, "note": "prepared"} if instance.pk is None else data

    def write_parts(self, *, row, actor, tags=None):
        self.calls.append(("parts", tags))

    def after_write(self, *, before, after, actor):
        self.calls.append(("after", getattr(before, "name", None), getattr(after, "name", None)))
        if self.fail_after:
            raise RuntimeError("recompute failed")


def test_after_write_sees_the_row_before_and_after_on_every_write():
    writer = RecordingWriter(Boundary)
    row = writer.create(data={"name": "Kota", "kind": "city", "geometry": SQUARE, "tags": ["a"]}, actor=None)
    assert row.note == "prepared"  # prepare completed the data
    writer.update(instance=row, data={"name": "Kota Padang"}, actor=None)
    writer.delete(instance=row, actor=None)
    assert writer.calls == [
        ("parts", ["a"]),
        ("after", None, "Kota"),
        ("parts", None),  # a part the write does not name is None: leave that set as it is
        ("after", "Kota", "Kota Padang"),
        ("after", "Kota Padang", None),
    ]


def test_a_failing_after_write_rolls_the_row_back():
    writer = RecordingWriter(Boundary, fail_after=True)
    with pytest.raises(RuntimeError), transaction.atomic():
        writer.create(data={"name": "Kota", "kind": "city", "geometry": SQUARE}, actor=None)
    assert not Boundary.objects.exists()
    kept = Writer(Boundary).create(data={"name": "Kota", "kind": "city", "geometry": SQUARE}, actor=None)
    with pytest.raises(RuntimeError):
        writer.update(instance=kept, data={"name": "Lain"}, actor=None)
    assert Boundary.objects.get().name == "Kota"
