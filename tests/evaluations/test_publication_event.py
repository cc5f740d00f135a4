"""Issue 23 item 16: `evaluation.published` follows the rule for when an evaluation is public, exactly:
`Evaluation.objects.public()` (publication "published" and the publish-from moment, if any, come). The workflow
status (draft, submitted, final) is not part of that rule: a stage's scores may be published while it is still a
draft, so the event says so (`publication`, `publish_from` and the workflow `status`, each by its own name).

Emitted when the evaluation becomes public, through any door or when its embargo lifts however late the periodic
job runs, and only then: never for a row the rule does not show, once per evaluation."""

import datetime

import pytest
from django.utils import timezone

from evaluations.models import Evaluation
from evaluations.services import EVALUATION, evaluation_embargoes_announce
from partnerships import webhooks
from partnerships.models import WebhookDelivery, WebhookEndpoint
from tests.factories import UserFactory
from tests.partnerships.factories import PartnerFactory

from .factories import EvaluationFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def endpoint(settings):
    settings.WEBHOOK_ALLOW_LOOPBACK = True
    return WebhookEndpoint.objects.create(
        partner=PartnerFactory(), url="http://127.0.0.1:8173/x", events=["evaluation.published"],
        secret=webhooks.new_secret(),
    )  # fmt: skip


@pytest.fixture
def staff():
    return UserFactory(is_superuser=True)


def announced(evaluation) -> list[dict]:
    return [d.payload["data"] for d in WebhookDelivery.objects.filter(payload__data__id=evaluation.pk)]


def is_public(evaluation) -> bool:
    return Evaluation.objects.public().filter(pk=evaluation.pk).exists()


def test_an_embargo_lifted_while_the_periodic_job_was_away_is_still_announced(endpoint, staff):
    evaluation = EvaluationFactory(publication="draft")
    later = timezone.now() + datetime.timedelta(hours=1)
    EVALUATION.update(instance=evaluation, data={"publication": "published", "publish_from": later}, actor=staff)
    assert not is_public(evaluation) and announced(evaluation) == []
    evaluation_embargoes_announce()
    assert announced(evaluation) == []  # still under embargo: nothing
    # the beat was down for half an hour around the moment: the next run still announces it, once
    Evaluation.objects.filter(pk=evaluation.pk).update(publish_from=timezone.now() - datetime.timedelta(minutes=30))
    assert is_public(evaluation)
    evaluation_embargoes_announce()
    evaluation_embargoes_announce()
    assert len(announced(evaluation)) == 1


def test_a_row_the_rule_does_not_show_is_never_announced(endpoint, staff):
    past = timezone.now() - datetime.timedelta(minutes=2)
    hidden = EvaluationFactory(publication="draft")
    EVALUATION.update(instance=hidden, data={"publish_from": past, "summary_ind": "Belum terbit"}, actor=staff)
    embargoed = EvaluationFactory(publication="draft")
    soon = timezone.now() + datetime.timedelta(days=1)
    EVALUATION.update(instance=embargoed, data={"publication": "published", "publish_from": soon}, actor=staff)
    EVALUATION.create(
        data={"scheme": embargoed.scheme, "year": embargoed.year, "stage": "stage_1", "kind": "field_review",
              "publication": "published", "publish_from": soon},
        actor=staff,
    )  # fmt: skip
    evaluation_embargoes_announce()
    assert not WebhookDelivery.objects.exists()


def test_a_published_draft_stage_is_public_and_the_event_says_which_status_is_which(endpoint, staff):
    evaluation = EvaluationFactory(publication="draft", stage="stage_1", kind="field_review")
    EVALUATION.update(instance=evaluation, data={"publication": "published"}, actor=staff)
    assert is_public(evaluation)  # the rule: publication and publish-from, whatever the workflow status
    [data] = announced(evaluation)
    assert data["status"] == "draft" and data["publication"] == "published" and data["publish_from"] is None
    assert data["public"] is True


def test_each_evaluation_is_announced_once_however_often_it_is_published(endpoint, staff):
    evaluation = EvaluationFactory(publication="draft")
    for publication in ("published", "draft", "published"):
        EVALUATION.update(instance=evaluation, data={"publication": publication}, actor=staff)
    evaluation_embargoes_announce()
    assert len(announced(evaluation)) == 1


def test_an_evaluation_public_before_the_announcements_began_is_not_announced_late(endpoint):
    """The migration marks what was already public: deploying does not send old news."""
    from evaluations.models import PublicationAnnouncement

    old = EvaluationFactory(publication="published")  # written straight to the table, as before this change
    assert not PublicationAnnouncement.objects.filter(evaluation=old).exists()
    PublicationAnnouncement.objects.create(evaluation=old)  # what the migration does for every public row
    evaluation_embargoes_announce()
    assert announced(old) == []
