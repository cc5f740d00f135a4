"""Generated findings and follow-ups for load tests and benchmarks, on the evaluations already recorded:
the evaluations themselves are one per stage of a year, so what grows with a city's records is what the
assessors found and what the agencies do about it. Texts start with "gen-"."""

import datetime

from pillars.generate import PREFIX, insert_batches
from pillars.models import Agency, Pillar

from .choices import FindingKind, FollowUpStatus
from .models import Evaluation, Finding, FollowUpAction


def generated_findings_delete() -> None:
    findings = Finding.objects.filter(text_ind__startswith=PREFIX)
    FollowUpAction.objects.filter(finding__in=findings).delete()
    findings.delete()


def findings_generate(count: int, *, rng, progress) -> int:
    generated_findings_delete()
    evaluations = list(Evaluation.objects.values_list("pk", flat=True))
    if not evaluations:
        return 0  # nothing to attach them to: the demo data holds the evaluations
    pillars, agencies = list(Pillar.objects.all()), list(Agency.objects.all())
    insert_batches(
        Finding,
        (
            Finding(
                evaluation_id=rng.choice(evaluations),
                pillar=rng.choice(pillars),
                kind=rng.choice(list(FindingKind)),
                text_ind=f"{PREFIX}temuan {n}",
                text_en=f"{PREFIX}finding {n}",
                publication="published",
            )
            for n in range(count)
        ),
        progress,
    )
    findings = Finding.objects.filter(text_ind__startswith=PREFIX).values_list("pk", flat=True)
    insert_batches(FollowUpAction, (_follow_up(finding, agencies, rng) for finding in findings), progress)
    return count


def _follow_up(finding, agencies, rng) -> FollowUpAction:
    due = datetime.date(2025, 1, 1) + datetime.timedelta(days=rng.randint(0, 700))
    status = rng.choice(list(FollowUpStatus))
    return FollowUpAction(
        finding_id=finding,
        owner_agency=rng.choice(agencies),
        title_ind=f"{PREFIX}tindak lanjut {finding}",
        due_on=due,
        status=status,
        done_on=due if status == FollowUpStatus.DONE else None,
        publication="published",
    )


ROWS_PER_FINDING = 2  # the finding and its follow-up


# The generated dataset's interface (pillars/generate.py): one finding with its follow-up per ten programs.
def generate(*, programs: int, measurements_per_indicator: int, rng, progress) -> dict:
    return {"findings": findings_generate(programs // 10, rng=rng, progress=progress)}


def generated_delete() -> None:
    generated_findings_delete()


def expected_rows(programs: int, measurements_per_indicator: int = 10) -> int:
    return programs // 10 * ROWS_PER_FINDING
