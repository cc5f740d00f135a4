"""Demo records of the evaluations app: the demo city's (Kota Padang's) evaluations from 2019 to last year.

The 2019 field review with BPPT and its visit to Pantai Air Manis follow the news (ANTARA: "Pemko Padang
evaluasi program smart city", the third year in the movement). Every score, weight, band, date and letter
number here is a DEMO FIGURE, shaped like published results but not the city's official ones.
The years 2019–2021 are authored; later years up to the last full year are continued from them (demo figures), so
the latest evaluation is always last year's and its evidence (register, closed survey, clarification) that year's.
Idempotent: running it again updates the same rows. Pillars and agencies are looked up and skipped if absent.
Every row is written through the app's writers and workflow services with actor=None (the system).
"""

import datetime
import random
import zoneinfo
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from pillars.models import Agency, DigitalService, Pillar, Program
from smartcity.services import upsert

from . import services
from .choices import (
    EvaluationKind,
    EvaluationStage,
    EvaluationStatus,
    FindingKind,
    FollowUpStatus,
    InstrumentBody,
    InstrumentKind,
)
from .models import (
    ClarificationRequest,
    Evaluation,
    EvaluationScheme,
    FieldVisit,
    Finding,
    FollowUpAction,
    LegalInstrument,
    Survey,
    SurveyResponse,
    SurveyTarget,
)
from .services import DEFAULT_DIMENSIONS
from .services.evidence import (
    clarification_answer,
    clarification_close,
    clarification_request_create,
    survey_response_create,
)

MINISTRY = "Kementerian Komunikasi dan Informatika"
BPPT = "Badan Pengkajian dan Penerapan Teknologi (BPPT)"
PUBLISHED = "published"
DEMO_NOTE_ID = "Angka demo: bukan hasil resmi."
DEMO_NOTE_EN = "Demo figures: not the official results."
# The national index's weights by era, with their sources (../shared/DOMAIN.md "Evaluation"). No public source
# gives bands for this index, so the demo schemes have none.
EARLY_WEIGHTS = (
    "10 20 30 30 10",
    "Bobot tahun-tahun awal gerakan, dari laman resmi sebuah kabupaten peserta; belum dicocokkan dengan sumber kedua.",
    False,
)
WEIGHTS_FROM_2022 = (
    "10 20 30 20 20",
    "Dihitung ulang dari skor dimensi yang diterbitkan: Kota Kediri 2022 (surat B-1003/DJAI/AI.01.04/12/2022, "
    "indeks 3,31) dan Kota Jambi 2024; hanya bobot ini yang menghasilkan indeks resminya.",
    True,
)


def weights_of(year: int) -> tuple[str, str, bool]:
    """(weights of baseline, output, outcome, impact, quick win; their source; whether verified) of a year."""
    return WEIGHTS_FROM_2022 if year >= 2022 else EARLY_WEIGHTS


# year: (the dimension scores; pillar scores in pillar order;
#        the official letter's figure when it differs from the computed one; letter date)
YEARS = {
    2019: ("3.00 3.10 2.80 2.70 3.00", "2.90 3.05 2.60 2.80 2.85 2.70", None, (2019, 12, 10)),
    2020: ("3.10 3.30 3.00 2.90 3.20", "3.10 3.20 2.85 3.00 3.05 2.90", None, (2020, 12, 8)),
    2021: ("3.30 3.50 3.20 3.20 3.60", "3.30 3.45 3.10 3.25 3.30 3.10", None, (2021, 12, 7)),
}
YEARLY_GAIN = Decimal("0.04")  # how much each later (generated) year's scores rise on the year before (demo)


def demo_years() -> dict[int, tuple]:
    """The authored years and every later one up to the last full year, each a little better (capped at 3.95)."""
    years = dict(YEARS)
    last_full = timezone.localdate().year - 1

    def better(text: str) -> str:
        return " ".join(str(min(Decimal("3.95"), value + YEARLY_GAIN)) for value in _decimals(text))

    for year in range(max(YEARS) + 1, last_full + 1):
        scores, pillar_scores, _official, _letter = years[year - 1]
        years[year] = (better(scores), better(pillar_scores), None, (year, 12, 7))
    return {year: row for year, row in years.items() if year <= last_full}


PILLAR_ORDER = ["governance", "branding", "economy", "living", "society", "environment"]


def _decimals(text: str) -> list[Decimal]:
    return [Decimal(value) for value in text.split()]


def _scheme(year: int) -> EvaluationScheme:
    weights, source, verified = weights_of(year)
    dimensions = [
        {"code": code, "name_ind": name_ind, "name_en": name_en, "weight": weight}
        for (code, name_ind, name_en), weight in zip(DEFAULT_DIMENSIONS, _decimals(weights), strict=True)
    ]
    fields = {
        "name": f"Evaluasi Gerakan Menuju 100 Smart City {year} (demo)",
        "scale_min": Decimal(0),
        "scale_max": Decimal(4),
        "decimals": 2,
        "source": source,
        "source_verified": verified,
        "notes": f"{DEMO_NOTE_ID} {DEMO_NOTE_EN}",
        "publication": PUBLISHED,
    }
    scheme = EvaluationScheme.objects.filter(year=year, issuing_body=MINISTRY).first()
    if scheme:
        return services.scheme_update(scheme=scheme, actor=None, dimensions=dimensions, bands=[], **fields)
    return services.scheme_create(
        actor=None, year=year, issuing_body=MINISTRY, dimensions=dimensions, bands=[], **fields
    )


def _evaluation(*, scheme, stage, kind, scores=None, pillar_scores=None, **fields) -> Evaluation:
    """Write the evaluation through its writer, then take it through the workflow to final, as staff would."""
    evaluation = Evaluation.objects.filter(scheme=scheme, stage=stage, kind=kind).first()
    arguments = {"actor": None, "dimension_scores": scores, "pillar_scores": pillar_scores, "year": scheme.year}
    if evaluation:
        evaluation = services.evaluation_update(evaluation=evaluation, **arguments, **fields)
    else:
        evaluation = services.evaluation_create(scheme=scheme, stage=stage, kind=kind, **arguments, **fields)
    if evaluation.status == EvaluationStatus.DRAFT:
        # A past stage recorded after the fact: its evidence predates the register, so the gate is overridden,
        # with the reason kept (evaluations.ReadinessOverride), as an administrator would.
        reason = "Demo: tahap lampau dicatat kemudian; bukti dukungnya mendahului register portal."
        evaluation = services.evaluation_submit(evaluation=evaluation, actor=None, override_reason=reason)
    if evaluation.status == EvaluationStatus.SUBMITTED:
        evaluation = services.evaluation_finalise(evaluation=evaluation, actor=None)
    return evaluation


def _final_result(year: int, row: tuple, pillars: dict[str, Pillar]) -> Evaluation:
    scores, pillar_scores, official, letter = row
    letter_date = datetime.date(*letter)
    return _evaluation(
        scheme=_scheme(year),
        stage=EvaluationStage.FINAL,
        kind=EvaluationKind.NATIONAL,
        evaluating_body=MINISTRY,
        letter_number=f"DEMO-{year}/SC",
        letter_date=letter_date,
        official_index=Decimal(official) if official else None,
        summary_ind=DEMO_NOTE_ID,
        summary_en=DEMO_NOTE_EN,
        publication=PUBLISHED,
        publish_from=datetime.datetime.combine(letter_date, datetime.time(9), tzinfo=zoneinfo.ZoneInfo("Asia/Jakarta")),
        scores=[
            {"dimension": code, "score": score}
            for (code, *_), score in zip(DEFAULT_DIMENSIONS, _decimals(scores), strict=True)
        ],
        pillar_scores=[
            {"pillar": pillars[slug], "score": score}
            for slug, score in zip(PILLAR_ORDER, _decimals(pillar_scores), strict=True)
            if slug in pillars
        ],
    )


def _field_review(scheme: EvaluationScheme) -> Evaluation:
    day = datetime.date(2019, 10, 16)  # a Wednesday ("Rabu"); the exact date is a demo figure
    return _evaluation(
        scheme=scheme,
        stage=EvaluationStage.STAGE_II,
        kind=EvaluationKind.FIELD_REVIEW,
        evaluating_body=BPPT,
        assessors="Tim asesor BPPT",
        started_on=day,
        ended_on=day,
        summary_ind=(
            "Tinjauan lapangan evaluasi implementasi program smart city di tahun ketiga Kota Padang dalam "
            "Gerakan Menuju 100 Smart City: tim BPPT mengunjungi lokasi dan OPD dari enam pilar. Tanggal: angka demo."
        ),
        summary_en=(
            "Field review of the smart-city program in Padang's third year in the 100 Smart Cities movement: "
            "the BPPT team visited sites and agencies of the six pillars. Date: a demo figure."
        ),
        publication=PUBLISHED,
    )


def _visit(evaluation, site, *, pillar, agency, notes_ind, notes_en) -> FieldVisit:
    visit = FieldVisit.objects.filter(evaluation=evaluation, site=site).first()
    fields = {
        "visited_on": evaluation.started_on,
        "pillar": pillar,
        "agency": agency,
        "notes_ind": notes_ind,
        "notes_en": notes_en,
        "publication": PUBLISHED,
    }
    if visit:
        return services.field_visit_update(field_visit=visit, actor=None, **fields)
    return services.field_visit_create(actor=None, evaluation=evaluation, site=site, **fields)


def _finding(evaluation, kind, pillar, text_ind, text_en, follow_up=None) -> Finding:
    finding = Finding.objects.filter(evaluation=evaluation, text_ind=text_ind).first()
    fields = {"kind": kind, "pillar": pillar, "text_en": text_en, "publication": PUBLISHED}
    if finding:
        services.finding_update(finding=finding, actor=None, **fields)
    else:
        finding = services.finding_create(actor=None, evaluation=evaluation, text_ind=text_ind, **fields)
    if follow_up and follow_up.get("owner_agency"):
        action = FollowUpAction.objects.filter(finding=finding, title_ind=follow_up["title_ind"]).first()
        if action:
            services.follow_up_update(follow_up=action, actor=None, publication=PUBLISHED, **follow_up)
        else:
            services.follow_up_create(actor=None, finding=finding, publication=PUBLISHED, **follow_up)
    return finding


@transaction.atomic
def load() -> dict[str, int]:
    """Create or update the demo evaluations; returns how many rows each model has afterwards."""
    pillars = {pillar.slug: pillar for pillar in Pillar.objects.filter(slug__in=PILLAR_ORDER)}
    agencies = {agency.slug: agency for agency in Agency.objects.filter(slug__in=["diskominfo", "dispar", "dlh"])}
    results = {year: _final_result(year, row, pillars) for year, row in demo_years().items()}
    review = _field_review(results[2019].scheme)
    _field_review_records(review, pillars, agencies)
    load_evidence(results, pillars)
    _finding(
        results[2020],
        FindingKind.WEAKNESS,
        pillars.get("environment"),
        "Data timbulan sampah harian belum dibuka untuk warga.",
        "Daily waste figures are not yet open to citizens.",
        {
            "owner_agency": agencies.get("dlh"),
            "title_ind": "Terbitkan data timbulan sampah harian sebagai data terbuka",
            "title_en": "Publish daily waste figures as open data",
            "due_on": datetime.date(2021, 6, 30),
            "status": FollowUpStatus.DONE,
            "done_on": datetime.date(2021, 6, 21),
        },
    )
    latest = results[max(results)]
    _finding(
        latest,
        FindingKind.RECOMMENDATION,
        pillars.get("living"),
        "Perluas integrasi CCTV simpang ke command center (demo).",
        "Extend the integration of junction CCTV into the command center (demo).",
        {
            "owner_agency": agencies.get("diskominfo"),
            "title_ind": "Integrasikan 10 titik CCTV simpang berikutnya (demo)",
            "title_en": "Integrate the next 10 junction CCTV points (demo)",
            "due_on": timezone.localdate() + datetime.timedelta(days=90),  # still ahead on the day of a first look
            "status": FollowUpStatus.IN_PROGRESS,
        },
    )
    return {
        "evaluation schemes": EvaluationScheme.objects.count(),
        "evaluations": Evaluation.objects.count(),
        "findings": Finding.objects.count(),
        "follow-up actions": FollowUpAction.objects.count(),
        "field visits": FieldVisit.objects.count(),
        "regulations and decrees": LegalInstrument.objects.count(),
        "survey responses": SurveyResponse.objects.count(),
        "clarification requests": ClarificationRequest.objects.count(),
    }


def _field_review_records(review, pillars, agencies) -> None:
    _visit(
        review,
        "Pantai Air Manis",
        pillar=pillars.get("branding"),
        agency=agencies.get("dispar"),
        notes_ind=(
            "Masuk kawasan wisata dengan kartu Brizzi dan wi-fi gratis bagi pengunjung: "
            "bukti dukung pilar smart branding."
        ),
        notes_en="Entry to the beach by Brizzi card and free Wi-Fi for visitors: evidence for smart branding.",
    )
    _visit(
        review,
        "Dinas Komunikasi dan Informatika Kota Padang",
        pillar=pillars.get("governance"),
        agency=agencies.get("diskominfo"),
        notes_ind="Paparan capaian enam pilar; target: semua kelurahan terhubung pada 2021.",
        notes_en="Presentation of the six pillars' progress; target: every kelurahan connected by 2021.",
    )
    _finding(
        review,
        FindingKind.STRENGTH,
        pillars.get("branding"),
        "Pantai Air Manis sudah memakai layanan masuk dengan kartu Brizzi dan menyediakan wi-fi gratis.",
        "Pantai Air Manis already takes entry by Brizzi card and offers free Wi-Fi.",
    )
    _finding(
        review,
        FindingKind.RECOMMENDATION,
        pillars.get("governance"),
        "Hubungkan semua kelurahan dengan jaringan kota.",
        "Connect every kelurahan to the city network.",
        {
            "owner_agency": agencies.get("diskominfo"),
            "title_ind": "Semua kelurahan terhubung jaringan",
            "title_en": "Every kelurahan connected",
            "due_on": datetime.date(2021, 12, 31),
            "status": FollowUpStatus.DONE,
            "done_on": datetime.date(2021, 11, 30),
        },
    )


# --- Evidence of the five dimensions for one year (issue 14): every invented figure is marked demo -------------
ITEMS = [  # code, statement (id, en)
    ("q1", "Layanan ini mudah digunakan.", "The service is easy to use."),
    ("q2", "Layanan ini mempercepat urusan saya.", "The service makes my business quicker."),
    ("q3", "Informasi layanan ini jelas dan terbuka.", "The service's information is clear and open."),
    ("q4", "Secara umum saya puas dengan layanan ini.", "Overall I am satisfied with the service."),
]
SHORT_TARGET = "living"  # one pillar's survey stays below the 50-response rule, to show it


def _instruments(year: int, pillars: dict[str, Pillar]) -> None:
    every = list(pillars.values())
    upsert(LegalInstrument, year=year, kind=InstrumentKind.REGULATION, number=f"Perwako No. DEMO-12/{year}", defaults={
        "issued_on": datetime.date(year, 2, 15), "publication": PUBLISHED, "pillars": every,
        "title_ind": "Peraturan Wali Kota tentang Masterplan Smart City Kota Padang (demo)",
        "title_en": "Mayor's regulation on Padang's smart-city masterplan (demo)",
    })  # fmt: skip
    bodies = [
        ("DEMO-100", InstrumentBody.COUNCIL, "Pembentukan Dewan Smart City Kota Padang (demo)",
         "Forming Padang's smart-city council (demo)",
         [("Wali Kota Padang", "Ketua"), ("Sekretaris Daerah", "Wakil Ketua"), ("Kepala Diskominfo", "Sekretaris"),
          ("Kepala Bappeda", "Anggota")]),
        ("DEMO-101", InstrumentBody.TEAM, "Pembentukan Tim Pelaksana Smart City (demo)",
         "Forming the smart-city implementation team (demo)",
         [("Kepala Bidang Aplikasi Informatika", "Ketua"), ("Kepala Bidang Perencanaan Bappeda", "Anggota"),
          ("Kepala Bidang Lalu Lintas Dishub", "Anggota")]),
    ]  # fmt: skip
    for number, body, title_ind, title_en, members in bodies:
        upsert(LegalInstrument, year=year, kind=InstrumentKind.DECREE, number=f"SK {number}/{year}", defaults={
            "issued_on": datetime.date(year, 3, 1), "forms_body": body, "publication": PUBLISHED, "pillars": every,
            "title_ind": title_ind, "title_en": title_en,
            "members": [{"name": name, "role": role, "position": "demo"} for name, role in members],
        })  # fmt: skip


def _survey(year: int, pillars: dict[str, Pillar], *, open_online: bool = False) -> Survey:
    survey, _ = upsert(Survey, slug=f"survei-warga-{year}-demo", defaults={
        "year": year, "title_ind": f"Survei Kepuasan Warga Smart City {year} (demo)",
        "title_en": f"Citizen satisfaction survey {year} (demo)", "run_by": "Diskominfo bersama Bappeda (demo)",
        "open_online": open_online,  # only this year's survey takes answers; a past year's is closed
        "publication": PUBLISHED, "items": [{"code": c, "text_ind": i, "text_en": e} for c, i, e in ITEMS],
    })  # fmt: skip
    for pillar in pillars.values():
        program = Program.objects.filter(pillar=pillar, first_year__lte=year, last_year__gte=year).order_by("slug")
        program = program.prefetch_related("sub_dimensions").first()
        service = DigitalService.objects.filter(pillar=pillar, launched_year__lte=year).order_by("slug").first()
        if program is None and service is None:
            continue  # nothing of this pillar ran that year: readiness shows it as not surveyed
        subs = list(program.sub_dimensions.all()) if program else []
        sub = subs[0] if subs else pillar.sub_dimensions.order_by("order").first()
        subject = {"program": program} if program else {"service": service}
        target, _ = upsert(SurveyTarget, survey=survey, sub_dimension=sub, defaults=subject)
        _responses(target, year, short=pillar.slug == SHORT_TARGET)
    return survey


def _responses(target: SurveyTarget, year: int, *, short: bool) -> None:
    """Invented answers (demo): 42 respondents for the short pillar, 50 to 64 for the others, seeded."""
    if target.responses.exists():
        return
    rng = random.Random(target.sub_dimension.slug)  # noqa: S311 - demo figures, not security
    count = 42 if short else rng.randint(50, 64)
    lean = rng.choice([3, 4, 4, 5])
    for n in range(count):
        answers = {code: max(1, min(5, lean + rng.choice([-2, -1, 0, 0, 0, 1]))) for code, _, _ in ITEMS}
        day = min(datetime.date(year, 8, 1) + datetime.timedelta(days=n % 28), timezone.localdate())  # never ahead
        survey_response_create(
            data={"target": target, "respondent": f"DEMO-{n + 1:03}", "answered_on": day, "answers": answers},
            actor=None,
        )


def _clarification(evaluation: Evaluation, pillars: dict[str, Pillar]) -> None:
    dishub = Agency.objects.filter(slug="dishub").first()
    if dishub is None or ClarificationRequest.objects.filter(evaluation=evaluation).exists():
        return
    question = "Mohon lampirkan foto titik CCTV simpang yang terintegrasi ke command center (demo)."
    ask = clarification_request_create(data={
        "evaluation": evaluation, "pillar": pillars.get("living"), "owner_agency": dishub, "question": question,
        "due_on": datetime.date(evaluation.year, 10, 20),
    }, actor=None)  # fmt: skip
    answer = "Foto 12 titik CCTV simpang dan berita acara integrasi dikirim (demo)."
    clarification_answer(request=ask, text=answer, actor=None)
    clarification_close(request=ask, actor=None)


def load_evidence(results: dict[int, Evaluation], pillars: dict[str, Pillar]) -> None:
    """A plausible year of evidence for the demo city (the latest evaluation's): the output register, the survey
    (closed) and a clarification (answered and closed)."""
    year = max(results)
    _instruments(year, pillars)
    _survey(year, pillars)
    _survey(timezone.localdate().year, pillars, open_online=True)  # this year's, still collecting
    if year in results:
        _clarification(results[year], pillars)


LOADERS = [load]  # what `load_demo` runs of this app (smartcity/discovery.py finds each app's demo.py)
