"""Generated MoUs for load tests and benchmarks: one per twenty generated programs, each with one partner as
its party, two scope areas, a linked program and a commitment. Slugs start with "gen-" like the portfolio's.

Not a door users write through: a benchmark command inserts tens of thousands of synthetic rows in batches, so it
bypasses the writers on purpose, and builds only rows their rules accept (each commitment's partner is the party
of its MoU; no signing date in the future)."""

import datetime
from decimal import Decimal

from pillars.generate import PREFIX, insert_batches
from pillars.models import Program

from .models import Commitment, MoU, MoUParty, Partner, ScopeArea


def generated_mous_delete() -> None:
    mous = MoU.objects.filter(slug__startswith=PREFIX)
    Commitment.objects.filter(mou__in=mous).delete()
    MoUParty.objects.filter(mou__in=mous).delete()
    mous.delete()


def mous_generate(count: int, *, rng, progress) -> int:
    partners, areas = list(Partner.objects.all()), list(ScopeArea.objects.all())
    generated_mous_delete()
    if not partners:
        return 0  # nothing to sign with: the demo data holds the partners
    programs = list(Program.objects.filter(slug__startswith=PREFIX).values_list("pk", flat=True)[: count * 20])
    insert_batches(MoU, _mous(count, rng), progress)
    mous = list(MoU.objects.filter(slug__startswith=PREFIX).order_by("slug").values_list("pk", flat=True))
    chosen = {mou: rng.choice(partners) for mou in mous}
    insert_batches(
        MoUParty, (MoUParty(mou_id=mou, partner=p, signatory_name="Direktur") for mou, p in chosen.items()), progress
    )
    insert_batches(
        MoU.scope_areas.through,
        (MoU.scope_areas.through(mou_id=mou, scopearea_id=area.pk) for mou in mous for area in rng.sample(areas, 2)),
        progress,
    )
    if programs:
        insert_batches(
            MoU.programs.through,
            (MoU.programs.through(mou_id=mou, program_id=rng.choice(programs)) for mou in mous),
            progress,
        )
    insert_batches(Commitment, _commitments(chosen, rng), progress)
    return len(mous)


def _mous(count, rng):
    for n in range(count):
        start = datetime.date(2015, 1, 1) + datetime.timedelta(days=rng.randint(0, 3650))
        yield MoU(
            slug=f"{PREFIX}mou-{n:06d}",
            title_ind=f"Nota kesepahaman generasi {n}",
            title_en=f"Generated MoU {n}",
            state="signed",
            signed_on=start,
            signed_place="Padang",
            valid_from=start,
            valid_until=start + datetime.timedelta(days=365 * rng.randint(1, 5)),
            publication="published",
        )


def _commitments(chosen, rng):
    for mou, partner in chosen.items():
        yield Commitment(
            mou_id=mou,
            partner=partner,
            description_ind="Komitmen generasi",
            description_en="Generated commitment",
            target_quantity=Decimal(rng.randint(1, 100)),
            unit_ind="unit",
            unit_en="units",
        )


ROWS_PER_MOU = 6  # the MoU, its party, two scope areas, a linked program, a commitment


# The generated dataset's interface (pillars/generate.py): one MoU per twenty programs.
def generate(*, programs: int, measurements_per_indicator: int, rng, progress) -> dict:
    return {"mous": mous_generate(programs // 20, rng=rng, progress=progress)}


def generated_delete() -> None:
    generated_mous_delete()


def expected_rows(programs: int, measurements_per_indicator: int = 10) -> int:
    return programs // 20 * ROWS_PER_MOU
