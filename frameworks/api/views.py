"""API of the assessment frameworks, self-assessments and external indices."""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers as fields
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.response import Response

from frameworks import filters, services
from frameworks.models import ExternalIndex, ExternalIndexValue, Framework, SelfAssessment
from frameworks.services.assessments import SELF_ASSESSMENT_MISSING
from smartcity.api.permissions import HasPerm
from smartcity.api.views import RecordViewSet
from smartcity.opendata import OpenDataset

from . import serializers


class FrameworkViewSet(RecordViewSet):
    """Assessment frameworks (SPBE, its successor Indeks Pemdi once loaded, ...): domains, aspects, weighted
    indicators, named levels and bands, written whole."""

    queryset = Framework.objects.all()
    open_data = OpenDataset(
        title=_("Evaluation frameworks"),
        description=_(
            "The national frameworks the city assesses itself against (such as SPBE): domains, indicators and bands."
        ),
        topic="performance",
        keywords=(_("framework"), _("SPBE"), _("assessment")),
    )
    serializer_class = serializers.FrameworkSerializer
    filterset_class = filters.FrameworkFilterSet
    ordering_fields = ["name_ind", "slug"]
    lookup_field = "slug"


class SelfAssessmentViewSet(RecordViewSet):
    """The city's yearly self-assessments against a framework, with the index and band. Staff write the targets,
    self-assessed levels and justifications; the external assessors record theirs with `assess`."""

    queryset = SelfAssessment.objects.all()
    open_data = OpenDataset(
        title=_("Self-assessments"),
        description=_("The city's self-assessments against each framework: index, band and scores."),
        topic="performance",
        keywords=(_("self-assessment"), _("SPBE"), _("index")),
    )
    serializer_class = serializers.SelfAssessmentSerializer
    filterset_class = filters.SelfAssessmentFilterSet
    ordering_fields = ["year"]

    def _answer(self, assessment):
        return Response(self.get_serializer(self.get_queryset().get(pk=assessment.pk)).data)

    @extend_schema(request=serializers.AssessInput, description=_("The external assessors record their levels."))
    @action(detail=True, methods=["post"], permission_classes=[HasPerm("frameworks.assess_selfassessment")])
    def assess(self, request, pk=None):
        params = serializers.AssessInput(data=request.data)
        params.is_valid(raise_exception=True)
        scores = params.validated_data["scores"]
        return self._answer(services.self_assessment_assess(assessment=self.get_object(), actor=request.user,
                                                            scores=scores))  # fmt: skip

    @extend_schema(
        request={"multipart/form-data": serializers.EvidenceInput},
        description=_("Attach a supporting document to one indicator."),
    )
    @action(
        detail=True,
        methods=["post"],
        parser_classes=[MultiPartParser, FormParser],
        permission_classes=[HasPerm("frameworks.add_selfassessmentevidence")],
    )
    def evidence(self, request, pk=None):
        params = serializers.EvidenceInput(data=request.data)
        params.is_valid(raise_exception=True)
        assessment = self.get_object()
        services.self_assessment_add_evidence(assessment=assessment, actor=request.user, **params.validated_data)
        return self._answer(assessment)

    @extend_schema(
        request=None,
        description=_("Indicators still lacking a level, a justification or evidence."),
        responses=inline_serializer(
            "SelfAssessmentReadiness",
            {
                "missing": fields.IntegerField(help_text=_("Indicators with something missing.")),
                "indicators": inline_serializer(
                    "SelfAssessmentGap",
                    {
                        "indicator": fields.IntegerField(help_text=_("The indicator's number in the framework.")),
                        "name": fields.CharField(),
                        "missing": fields.ListField(child=fields.ChoiceField(SELF_ASSESSMENT_MISSING)),
                    },
                    many=True,
                ),
            },
        ),
    )
    @action(detail=True, methods=["get"], permission_classes=[HasPerm("frameworks.change_selfassessment")])
    def readiness(self, request, pk=None):
        gaps = services.self_assessment_readiness(assessment=self.get_object())
        return Response({"missing": len(gaps), "indicators": gaps})


class ExternalIndexViewSet(RecordViewSet):
    """The external indices the office tracks: the city's own (Kompas's IKCI, ITB's RKCI) and national ones shown as
    context (the UN's EGDI, the World Bank's GTMI), each with its source."""

    queryset = ExternalIndex.objects.all()
    open_data = OpenDataset(
        title=_("External indices"),
        description=_("Indices other bodies publish about cities (such as IKCI), with their scale."),
        topic="performance",
        keywords=(_("index"), _("ranking"), _("benchmark")),
    )
    serializer_class = serializers.ExternalIndexSerializer
    filterset_class = filters.ExternalIndexFilterSet
    ordering_fields = ["name_ind", "slug"]
    lookup_field = "slug"


class ExternalIndexValueViewSet(RecordViewSet):
    """The editions of the external indices (a year each): the score or level, the rank within its peer group, the
    band where the publisher gives one, and the source."""

    queryset = ExternalIndexValue.objects.all()
    open_data = OpenDataset(
        title=_("External index values"),
        description=_("The city's value, band and rank in each external index, year by year."),
        topic="performance",
        keywords=(_("index"), _("ranking"), _("benchmark")),
    )
    serializer_class = serializers.ExternalIndexValueSerializer
    filterset_class = filters.ExternalIndexValueFilterSet
    ordering_fields = ["year", "value"]
