"""The dashboard's counts (pillars/figures.py): exact after every write, embargoes applied at read time,
rolled-back writes never counted, and a read costs the same whatever the portfolio's size."""

import datetime
import threading

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from pillars import figures
from pillars.choices import AssetStatus, ServiceStatus, Stage
from pillars.models import DigitalService, Indicator, InfrastructureAsset, Pillar, Program

from .factories import DigitalServiceFactory, IndicatorFactory, InfrastructureAssetFactory, ProgramFactory

pytestmark = pytest.mark.django_db


def live_counts(pillar):
    """What the figures must say, counted the slow way."""
    return {
        "programs": Program.objects.published().count(),
        "completed": Program.objects.published().filter(stage=Stage.COMPLETED).count(),
        "pillar programs": Program.objects.published().filter(pillar=pillar).count(),
        "pillar indicators": Indicator.objects.published().filter(pillar=pillar).count(),
        "live services": DigitalService.objects.published().filter(status=ServiceStatus.LIVE).count(),
        "active assets": InfrastructureAsset.objects.published().filter(status=AssetStatus.ACTIVE).count(),
    }


def counted(pillar, at=None):
    counts = figures.published_counts(at)
    return {
        "programs": counts.count("program"),
        "completed": counts.count("program", state=Stage.COMPLETED),
        "pillar programs": counts.count("program", pillar=pillar.pk),
        "pillar indicators": counts.count("indicator", pillar=pillar.pk),
        "live services": counts.count("service", state=ServiceStatus.LIVE),
        "active assets": counts.count("asset", state=AssetStatus.ACTIVE),
    }


def test_counts_match_the_records_through_creates_edits_and_deletes():
    economy = Pillar.objects.get(slug="economy")
    past = timezone.now() - datetime.timedelta(days=1)
    future = timezone.now() + datetime.timedelta(days=1)
    moved, *_ = ProgramFactory.create_batch(3, pillar=economy)
    ProgramFactory(pillar=economy, stage=Stage.COMPLETED, progress=100, publish_from=past)
    ProgramFactory(pillar=economy, publication="draft")
    ProgramFactory(pillar=economy, publish_from=future)
    IndicatorFactory.create_batch(2, pillar=economy)
    DigitalServiceFactory(status=ServiceStatus.LIVE)
    DigitalServiceFactory(status=ServiceStatus.LIVE, publication="draft")
    InfrastructureAssetFactory(status=AssetStatus.ACTIVE)
    assert counted(economy) == live_counts(economy)
    assert counted(economy)["pillar programs"] == 4

    moved.pillar = Pillar.objects.get(slug="living")
    moved.save()
    Program.objects.filter(publication="draft").first().delete()
    draft_service = DigitalService.objects.get(publication="draft")
    draft_service.publication = "published"
    draft_service.save()
    assert counted(economy) == live_counts(economy)
    assert counted(economy)["pillar programs"] == 3 and counted(economy)["live services"] == 2


def test_an_embargo_lifts_in_the_counts_without_any_write():
    economy = Pillar.objects.get(slug="economy")
    lifts = timezone.now() + datetime.timedelta(hours=1)
    ProgramFactory(pillar=economy, publish_from=lifts)
    assert counted(economy)["pillar programs"] == 0
    assert counted(economy, at=lifts)["pillar programs"] == 1


def test_a_rolled_back_write_is_never_counted():
    economy = Pillar.objects.get(slug="economy")
    counted(economy)
    with pytest.raises(RuntimeError), transaction.atomic():
        ProgramFactory(pillar=economy)
        raise RuntimeError("the save failed after the program row was written")
    assert counted(economy)["pillar programs"] == 0 == live_counts(economy)["pillar programs"]


def writes(context) -> list[str]:
    return [q["sql"] for q in context if q["sql"].split(None, 1)[0].upper() in ("INSERT", "UPDATE", "DELETE")]


def test_a_read_writes_nothing_and_costs_the_same_whatever_the_size():
    def queries():
        figures.prune_figures()  # the beat job folds the marks
        with CaptureQueriesContext(connection) as context:
            figures.published_counts()
        assert not writes(context)
        return [q["sql"] for q in context if "SAVEPOINT" not in q["sql"]]

    small = queries()
    ProgramFactory.create_batch(20)
    InfrastructureAssetFactory.create_batch(5)
    assert queries() == small and len(small) == 1


def test_pruning_keeps_the_counts_exact():
    economy = Pillar.objects.get(slug="economy")
    ProgramFactory.create_batch(2, pillar=economy)
    assert figures.prune_figures() >= 2
    assert counted(economy) == live_counts(economy)
    ProgramFactory(pillar=economy)  # a mark after the prune: the stored groups no longer hold
    assert counted(economy) == live_counts(economy) and counted(economy)["pillar programs"] == 3


@pytest.mark.django_db(transaction=True, serialized_rollback=True)  # leaves the reference data for later tests
def test_committed_changes_are_counted_at_once_and_cached_reads_are_one_query():
    economy = Pillar.objects.get(slug="economy")
    figures.prune_figures()
    for expected in (1, 2):
        ProgramFactory(pillar=economy)  # autocommit: its mark commits with it
        assert counted(economy) == live_counts(economy) and counted(economy)["pillar programs"] == expected
        with CaptureQueriesContext(connection) as context:
            counted(economy)  # the groups of this state are cached now
        assert len(context) == 1 and not writes(context)


def test_the_last_updated_moment_is_the_latest_published_change():
    economy = Pillar.objects.get(slug="economy")
    ProgramFactory(pillar=economy)
    newest = IndicatorFactory(pillar=economy)
    ProgramFactory(pillar=economy, publication="draft")  # a draft's edit is not news
    counts = figures.published_counts()
    assert counts.last_updated("program", "indicator", pillar=economy.pk) == newest.updated_at


@pytest.mark.django_db(transaction=True, serialized_rollback=True)  # leaves the reference data for later tests
def test_an_uncommitted_write_neither_shows_nor_blocks_readers_until_it_commits():
    economy = Pillar.objects.get(slug="economy")
    written, release, done = threading.Event(), threading.Event(), threading.Event()

    def writer():
        try:
            with transaction.atomic():
                ProgramFactory(pillar=economy)
                written.set()
                release.wait(10)
        finally:
            connection.close()
            done.set()

    thread = threading.Thread(target=writer)
    thread.start()
    assert written.wait(10)
    assert counted(economy)["pillar programs"] == 0  # answered while the writer holds its transaction open
    release.set()
    assert done.wait(10)
    thread.join()
    assert counted(economy)["pillar programs"] == 1
