from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers as fields
from rest_framework.decorators import action
from rest_framework.response import Response

from evaluations import services
from evaluations.filters import (
    ClarificationRequestFilterSet,
    EvaluationFilterSet,
    EvaluationPackFilterSet,
    EvaluationSchemeFilterSet,
    FieldVisitFilterSet,
    FindingFilterSet,
    FollowUpActionFilterSet,
    LegalInstrumentFilterSet,
    SurveyFilterSet,
    SurveyResponseFilterSet,
    SurveyTargetFilterSet,
)
from evaluations.models import (
    ClarificationRequest,
    Evaluation,
    EvaluationPack,
    EvaluationScheme,
    FieldVisit,
    Finding,
    FollowUpAction,
    LegalInstrument,
    Survey,
    SurveyResponse,
    SurveyTarget,
)
from evaluations.readiness import dimension_readiness
from evaluations.services.evidence import clarification_answer, clarification_close, survey_responses_import
from evaluations.surveys import survey_results, survey_results_json
from smartcity.api.permissions import HasPerm, ModelPermissions
from smartcity.api.views import RecordViewSet
from smartcity.opendata import OpenDataset

from .serializers import (
    ClarificationAnswerSerializer,
    ClarificationRequestSerializer,
    EvaluationPackSerializer,
    EvaluationSchemeSerializer,
    EvaluationSerializer,
    EvaluationSubmitSerializer,
    FieldVisitSerializer,
    FindingSerializer,
    FollowUpActionSerializer,
    LegalInstrumentSerializer,
    PackRequestSerializer,
    SurveyImportSerializer,
    SurveyResponseSerializer,
    SurveySerializer,
    SurveyTargetSerializer,
)


class EvaluationSchemeViewSet(RecordViewSet):
    """The yearly scoring schemes: scale, weighted dimensions and bands (written as one whole by the writer)."""

    queryset = EvaluationScheme.objects.all()
    open_data = OpenDataset(
        title=_("Evaluation schemes"),
        description=_("The schemes the smart-city evaluations score by: dimensions, scale and bands."),
        topic="performance",
        keywords=(_("evaluation"), _("scheme"), _("scoring")),
    )
    serializer_class = EvaluationSchemeSerializer
    filterset_class = EvaluationSchemeFilterSet
    ordering_fields = ["year", "issuing_body"]


# The nested parts of the actions' answers, as they are built (evaluations/readiness.py Gap.as_dict and
# evaluations/surveys.py survey_results_json): documented field by field so a generated client has their types.
READINESS_GAP = inline_serializer(
    "ReadinessGap",
    {
        "dimension": fields.CharField(),
        "pillar": fields.SlugField(allow_null=True, help_text=_("The pillar's slug; null: city-wide.")),
        "sub_dimension": fields.SlugField(allow_null=True),
        "text": fields.CharField(),
        "blocking": fields.BooleanField(),
    },
).__class__
SURVEY_TALLY = {
    "responses": fields.IntegerField(),
    "answers": fields.IntegerField(),
    "mean": fields.DecimalField(max_digits=6, decimal_places=2, allow_null=True, coerce_to_string=True),
    "distribution": fields.DictField(child=fields.IntegerField(), help_text=_("Answers per value on the scale.")),
    "meets_minimum": fields.BooleanField(),
}
SURVEY_ITEM_TALLY = inline_serializer("SurveyTally", dict(SURVEY_TALLY)).__class__  # DRF pops what it is given
SURVEY_SUBJECT_RESULTS = inline_serializer(
    "SurveySubjectResults",
    {
        "sub_dimension": fields.SlugField(),
        "subject": fields.CharField(help_text=_("The program or service surveyed.")),
        **SURVEY_TALLY,
        "items": fields.DictField(child=SURVEY_ITEM_TALLY(), help_text=_("The tally per questionnaire item code.")),
    },
).__class__
SURVEY_PILLAR_RESULTS = inline_serializer(
    "SurveyPillarResults",
    {"pillar": fields.SlugField(), **SURVEY_TALLY, "sub_dimensions": SURVEY_SUBJECT_RESULTS(many=True)},
).__class__


class EvaluationViewSet(RecordViewSet):
    """The city's evaluations with their dimension and pillar scores, index, band and improvement. The status is
    read-only here: it moves by `submit` and `finalise`, each with its own permission."""

    queryset = Evaluation.objects.all()
    open_data = OpenDataset(
        title=_("Smart-city evaluations"),
        description=_(
            "The published results of the smart-city evaluations: index, rank and scores per dimension and pillar."
        ),
        topic="performance",
        keywords=(_("evaluation"), _("index"), _("ranking")),
    )
    serializer_class = EvaluationSerializer
    filterset_class = EvaluationFilterSet
    ordering_fields = ["year", "stage", "letter_date"]
    lookup_field = "slug"

    @extend_schema(
        request=EvaluationSubmitSerializer,
        description=_(
            "Hand a draft evaluation in: it becomes submitted. Refused (400) while readiness shows a blocking gap, "
            "unless an administrator gives `override_reason`, which is kept."
        ),
    )
    @action(detail=True, methods=["post"], permission_classes=[HasPerm("evaluations.submit_evaluation")])
    def submit(self, request, slug=None):
        params = EvaluationSubmitSerializer(data=request.data)
        params.is_valid(raise_exception=True)
        evaluation = services.evaluation_submit(
            evaluation=self.get_object(), actor=request.user, **params.validated_data
        )
        return Response(self.get_serializer(self.get_queryset().get(pk=evaluation.pk)).data)

    @extend_schema(
        description=_("What the year's evaluation still lacks, per dimension and pillar."),
        responses=inline_serializer(
            "DimensionReadiness",
            {
                "dimension": fields.CharField(help_text=_("The scheme dimension's code.")),
                "name": fields.CharField(),
                "blocking": fields.IntegerField(help_text=_("Gaps that stop the evaluation being submitted.")),
                "gaps": READINESS_GAP(many=True),
            },
            many=True,
        ),
    )
    @action(
        detail=True,
        methods=["get"],
        permission_classes=[HasPerm("evaluations.view_readiness")],
        pagination_class=None,  # one list per evaluation, never paged (and documented so)
    )
    def readiness(self, request, slug=None):
        dimensions = dimension_readiness(evaluation=self.get_object())
        return Response(
            [
                {"dimension": d.code, "name": d.name, "blocking": d.blocking, "gaps": [g.as_dict() for g in d.gaps]}
                for d in dimensions
            ]
        )

    @extend_schema(
        request=PackRequestSerializer,
        responses={202: EvaluationPackSerializer},
        description=_("Ask for the evaluation's evidence pack (XLSX or PDF), made in the background."),
    )
    @action(detail=True, methods=["post"], permission_classes=[HasPerm("evaluations.add_evaluationpack")])
    def pack(self, request, slug=None):
        params = PackRequestSerializer(data=request.data)
        params.is_valid(raise_exception=True)
        pack = services.evaluation_pack_request(
            actor=request.user, evaluation=self.get_object(), fmt=params.validated_data["format"]
        )
        pack.refresh_from_db()
        return Response(EvaluationPackSerializer(pack, context=self.get_serializer_context()).data, status=202)

    @extend_schema(request=None, description=_("Declare a submitted evaluation final."))
    @action(detail=True, methods=["post"], permission_classes=[HasPerm("evaluations.finalise_evaluation")])
    def finalise(self, request, slug=None):
        evaluation = services.evaluation_finalise(evaluation=self.get_object(), actor=request.user)
        return Response(self.get_serializer(self.get_queryset().get(pk=evaluation.pk)).data)


class FindingViewSet(RecordViewSet):
    """Strengths, weaknesses and recommendations recorded by the assessors."""

    queryset = Finding.objects.all()
    open_data = OpenDataset(
        title=_("Evaluation findings"),
        description=_("The strengths, weaknesses and recommendations the evaluators wrote, by pillar."),
        topic="performance",
        keywords=(_("evaluation"), _("finding"), _("recommendation")),
    )
    serializer_class = FindingSerializer
    filterset_class = FindingFilterSet
    ordering_fields = ["kind", "pillar__order"]


class FollowUpActionViewSet(RecordViewSet):
    """Follow-up actions on the findings; OPD editors change only their own agency's."""

    queryset = FollowUpAction.objects.all()
    open_data = OpenDataset(
        title=_("Evaluation follow-ups"),
        description=_("What the city does about each evaluation finding: owner agency, due date and status."),
        topic="performance",
        keywords=(_("follow-up"), _("evaluation"), _("action plan")),
        agency="owner_agency",
    )
    serializer_class = FollowUpActionSerializer
    filterset_class = FollowUpActionFilterSet
    ordering_fields = ["due_on", "status"]


class FieldVisitViewSet(RecordViewSet):
    """The sites and agencies the assessors visited, with photos and documents."""

    queryset = FieldVisit.objects.all()
    open_data = OpenDataset(
        title=_("Evaluation field visits"),
        description=_("The sites the evaluators visited, with the agency and pillar concerned and their notes."),
        topic="performance",
        keywords=(_("field visit"), _("evaluation")),
        agency="agency",
    )
    serializer_class = FieldVisitSerializer
    filterset_class = FieldVisitFilterSet
    ordering_fields = ["visited_on"]


# --- Evidence of the five dimensions (issue 14) ---------------------------------------------------------------------
class LegalInstrumentViewSet(RecordViewSet):
    """The output register: the year's regulations and decrees, the pillars they serve, a decree's members."""

    queryset = LegalInstrument.objects.all()
    open_data = OpenDataset(
        title=_("Regulations and decrees"),
        description=_(
            "The mayor's regulations and decrees on the smart city: number, date, title and the bodies they form."
        ),
        topic="regulation",
        keywords=(_("regulation"), _("decree"), _("Perwako")),
    )
    serializer_class = LegalInstrumentSerializer
    filterset_class = LegalInstrumentFilterSet
    ordering_fields = ["year", "issued_on", "number"]


class SurveyViewSet(RecordViewSet):
    """The year's citizen survey and its bilingual Likert items; `results` gives only aggregates."""

    queryset = Survey.objects.all()
    open_data = OpenDataset(
        title=_("Citizen surveys"),
        description=_("The city's citizen satisfaction surveys: year, scale and questions."),
        topic="participation",
        keywords=(_("survey"), _("satisfaction")),
    )
    serializer_class = SurveySerializer
    filterset_class = SurveyFilterSet
    ordering_fields = ["year"]
    lookup_field = "slug"

    @extend_schema(
        description=_("Count, mean and distribution per item, sub-dimension and pillar."),
        responses=inline_serializer(
            "SurveyResults",
            {
                "survey": fields.IntegerField(),
                "minimum_responses": fields.IntegerField(),
                "pillars": SURVEY_PILLAR_RESULTS(many=True),
            },
        ),
    )
    @action(detail=True, methods=["get"])
    def results(self, request, slug=None):
        return Response(survey_results_json(survey_results(survey=self.get_object())))


class SurveyTargetViewSet(RecordViewSet):
    """For each sub-dimension, the program or service surveyed, with its response count (50 are needed)."""

    queryset = SurveyTarget.objects.all()
    open_data = OpenDataset(
        title=_("Survey subjects"),
        description=_(
            "What each survey asks citizens about (a programme, service or sub-dimension) and how many answered."
        ),
        topic="participation",
        keywords=(_("survey"), _("respondents")),
        agency="owner_agency",
    )
    serializer_class = SurveyTargetSerializer
    filterset_class = SurveyTargetFilterSet
    ordering_fields = ["sub_dimension__order"]

    @extend_schema(
        request={"multipart/form-data": SurveyImportSerializer},
        responses=inline_serializer(
            "SurveyImportResult",
            {
                "rows": fields.IntegerField(help_text=_("Responses in the file.")),
                "dry_run": fields.BooleanField(help_text=_("True: the file was only checked, nothing was saved.")),
                "responses": fields.IntegerField(help_text=_("The target's responses now.")),
            },
        ),
        description=_("Import responses from a CSV or XLSX file, all or nothing; `dry_run` only checks the file."),
    )
    @action(
        detail=True,
        methods=["post"],
        url_path="import-responses",
        permission_classes=[HasPerm("evaluations.add_surveyresponse")],
    )
    def import_responses(self, request, pk=None):
        params = SurveyImportSerializer(data=request.data)
        params.is_valid(raise_exception=True)
        upload = params.validated_data["file"]
        rows = survey_responses_import(
            target=self.get_object(),
            name=upload.name,
            content=upload.read(),
            actor=request.user,
            dry_run=params.validated_data["dry_run"],
        )
        target = self.get_queryset().get(pk=pk)
        return Response({"rows": rows, "dry_run": params.validated_data["dry_run"], "responses": target.response_count})


class SurveyResponseViewSet(RecordViewSet):
    """Respondents' answers (staff only: citizens see aggregates)."""

    permission_classes = [ModelPermissions]  # never public: anonymous callers get 401

    queryset = SurveyResponse.objects.all()
    serializer_class = SurveyResponseSerializer
    filterset_class = SurveyResponseFilterSet
    ordering_fields = ["answered_on"]


class ClarificationRequestViewSet(RecordViewSet):
    """Assessors' requests for clarification or evidence; OPD editors see and answer only their own agency's."""

    permission_classes = [ModelPermissions]  # never public: anonymous callers get 401

    queryset = ClarificationRequest.objects.all()
    serializer_class = ClarificationRequestSerializer
    filterset_class = ClarificationRequestFilterSet
    ordering_fields = ["due_on", "status"]

    @extend_schema(
        request={"multipart/form-data": ClarificationAnswerSerializer},
        description=_("The owning agency answers, with a file of evidence."),
    )
    @action(detail=True, methods=["post"], permission_classes=[HasPerm("evaluations.answer_clarificationrequest")])
    def answer(self, request, pk=None):
        params = ClarificationAnswerSerializer(data=request.data)
        params.is_valid(raise_exception=True)
        clarification_answer(request=self.get_object(), actor=request.user, **params.validated_data)
        return Response(self.get_serializer(self.get_queryset().get(pk=pk)).data)

    @extend_schema(request=None, description=_("The assessor closes the request."))
    @action(detail=True, methods=["post"], permission_classes=[HasPerm("evaluations.change_clarificationrequest")])
    def close(self, request, pk=None):
        clarification_close(request=self.get_object(), actor=request.user)
        return Response(self.get_serializer(self.get_queryset().get(pk=pk)).data)


class EvaluationPackViewSet(RecordViewSet):
    """Evidence packs asked for (by `POST /evaluations/{id}/pack/`), with their progress and download link."""

    permission_classes = [ModelPermissions]  # never public: anonymous callers get 401

    queryset = EvaluationPack.objects.all()
    serializer_class = EvaluationPackSerializer
    filterset_class = EvaluationPackFilterSet
    ordering_fields = ["created_at"]
    http_method_names = ["get", "head", "options"]
