"""A program's progress rolled up from its action plan's activities, by weight: the one place the rule lives.

Pages, the API and the exports read `Program.progress`; once a program has activities, the activity writer keeps
that column equal to the rollup, so every reader shows the same figure without computing it again. A program
without activities keeps the progress staff give it, as before.
"""

from collections.abc import Iterable
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Count, Q

ZERO = Decimal(0)


def weighted_progress(items: Iterable[tuple[Decimal | None, int | None]]) -> int | None:
    """The weighted mean of (weight, progress %) pairs, rounded to a whole percent: weights 3 and 1 at 100 % and
    0 % give 75. A missing weight counts as 0; when no weight is above 0, every activity counts the same. None when
    there is nothing to roll up."""
    pairs = [(Decimal(weight or 0), Decimal(progress or 0)) for weight, progress in items]
    if not pairs:
        return None
    total = sum((weight for weight, _ in pairs), ZERO)
    if total <= 0:
        pairs, total = [(Decimal(1), progress) for _, progress in pairs], Decimal(len(pairs))
    mean = sum((weight * progress for weight, progress in pairs), ZERO) / total
    return int(mean.quantize(Decimal(1), rounding=ROUND_HALF_UP))


def program_rolled_progress(program_id: int) -> int | None:
    """The rollup of one program's activities (all years), None when it has none."""
    from pillars.models import Activity

    return weighted_progress(Activity.objects.filter(program_id=program_id).values_list("weight", "progress"))


def program_progress_refresh(*, program_id: int, actor=None) -> None:
    """Store the rollup on the program through its writer (history records it; the stage follows the progress, see
    `pillars.services.program_stage_rules`); a program without activities is left as it is."""
    from pillars.choices import Stage
    from pillars.models import Program
    from pillars.services import program_progress_roll_up

    rolled = program_rolled_progress(program_id)
    program = Program.objects.get(pk=program_id)
    # Also when the figure stays but the stage may have to follow: an activity reopened at 99 % of a completed
    # program whose rounded roll-up is still 100 %.
    if rolled is not None and (rolled != program.progress or program.stage in (Stage.PLANNED, Stage.COMPLETED)):
        program_progress_roll_up(program=program, progress=rolled, actor=actor)


def activities_carried_out(activities) -> dict:
    """Per (year, pillar id): planned activities, those carried out (100 %), and those still at 0 %, one query."""
    rows = activities.values("year", "program__pillar_id").annotate(
        planned=Count("pk"), done=Count("pk", filter=Q(progress__gte=100)), untouched=Count("pk", filter=Q(progress=0))
    )
    return {(row["year"], row["program__pillar_id"]): row for row in rows}
