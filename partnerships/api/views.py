"""The partnerships API: every viewset writes through the model's writer (smartcity.api.views.RecordViewSet).

No deletes here: partnership records carry legal weight, so staff remove mistakes in the admin (through the same
writers). Signing and terminating an MoU are actions of their own, each with its permission."""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiExample, extend_schema, extend_schema_view
from rest_framework import viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from partnerships import filters, services, webhooks
from partnerships.models import Commitment, MoU, Partner, ProgressReport, ScopeArea, WebhookDelivery, WebhookEndpoint
from smartcity.api.caching import CachedListMixin
from smartcity.api.permissions import HasPerm, ModelPermissions, PublicReadModelPermissions
from smartcity.api.views import BriefListMixin, RecordViewSet
from smartcity.opendata import OpenDataset

from . import serializers

NO_DELETE = ["get", "post", "put", "patch", "head", "options"]


class PartnerViewSet(RecordViewSet):
    """Partner organisations; contact people only for staff holding view_partnercontact."""

    queryset = Partner.objects.all()
    open_data = OpenDataset(
        title=_("Partners"),
        description=_(
            "The companies, ministries, universities and others the city works with on its smart-city programmes."
        ),
        topic="partnerships",
        keywords=(_("partner"), _("cooperation")),
    )
    serializer_class = serializers.PartnerSerializer
    filterset_class = filters.PartnerFilterSet
    ordering_fields = ["name", "kind", "updated_at"]
    lookup_field = "slug"
    http_method_names = NO_DELETE

    def shows_contacts(self) -> bool:
        return self.request.user.has_perm("partnerships.view_partnercontact")

    def get_queryset(self):
        queryset = self.queryset.restrict(self.request.user, "view")
        return queryset.with_contacts() if self.shows_contacts() else queryset.with_related()

    def get_serializer_class(self):
        serializer_class = super().get_serializer_class()  # the brief form for `?brief=1`
        if serializer_class is serializers.PartnerSerializer and self.shows_contacts():
            return serializers.PartnerWithContactsSerializer
        return serializer_class


class ScopeAreaViewSet(BriefListMixin, CachedListMixin, viewsets.ReadOnlyModelViewSet):
    """The scope areas an MoU can cover: public reference data, changed only in the admin."""

    queryset = ScopeArea.objects.with_related()
    open_data = OpenDataset(
        title=_("Areas of cooperation"),
        description=_("The kinds of work a memorandum of understanding may cover."),
        topic="partnerships",
        keywords=(_("cooperation"), _("MoU")),
    )
    serializer_class = serializers.ScopeAreaSerializer
    filterset_class = filters.ScopeAreaFilterSet
    permission_classes = [PublicReadModelPermissions]
    ordering_fields = ["order", "name_ind", "name_en"]
    lookup_field = "slug"


class MoUViewSet(RecordViewSet):
    """The MoU registry. `status` is derived from the state and dates on every read, never stored; the parties
    are written with the MoU (nested `parties`)."""

    queryset = MoU.objects.all()
    open_data = OpenDataset(
        title=_("Memoranda of understanding (MoU)"),
        description=_(
            "The city's published memoranda of understanding: parties, period, status, areas and programmes."
        ),
        topic="partnerships",
        keywords=(_("MoU"), _("agreement"), _("cooperation")),
    )
    serializer_class = serializers.MoUSerializer
    filterset_class = filters.MoUFilterSet
    ordering_fields = ["valid_from", "valid_until", "signed_on", "title_ind", "updated_at"]
    lookup_field = "slug"
    http_method_names = NO_DELETE

    def reread(self, instance):
        return self.get_queryset().get(pk=instance.pk)  # the response is prefetched too

    @extend_schema(
        request=serializers.MoUSignSerializer,
        description=_("Sign a draft MoU: it comes into force on its dates."),
        examples=[
            OpenApiExample(
                "Signed in the city hall", {"signed_on": "2025-03-01", "signed_place": "Padang"}, request_only=True
            )
        ],
    )
    @action(detail=True, methods=["post"], permission_classes=[HasPerm("partnerships.sign_mou")])
    def sign(self, request, slug=None):
        params = serializers.MoUSignSerializer(data=request.data)
        params.is_valid(raise_exception=True)
        mou = services.mou_sign(mou=self.get_object(), actor=request.user, **params.validated_data)
        return Response(self.get_serializer(self.reread(mou)).data)

    @extend_schema(
        request=serializers.MoUTerminateSerializer,
        description=_("End an MoU before its term, saying why."),
        examples=[
            OpenApiExample(
                "Ended by agreement",
                {"terminated_on": "2025-09-30", "reason": "Program moved to the province."},
                request_only=True,
            )
        ],
    )
    @action(detail=True, methods=["post"], permission_classes=[HasPerm("partnerships.terminate_mou")])
    def terminate(self, request, slug=None):
        params = serializers.MoUTerminateSerializer(data=request.data)
        params.is_valid(raise_exception=True)
        mou = services.mou_terminate(mou=self.get_object(), actor=request.user, **params.validated_data)
        return Response(self.get_serializer(self.reread(mou)).data)


class CommitmentViewSet(RecordViewSet):
    """Measurable commitments under MoUs, with the progress the newest report shows."""

    queryset = Commitment.objects.all()
    open_data = OpenDataset(
        title=_("Partner commitments"),
        description=_("What each partner committed to in an MoU, and how far it has come."),
        topic="partnerships",
        keywords=(_("commitment"), _("MoU"), _("progress")),
    )
    serializer_class = serializers.CommitmentSerializer
    filterset_class = filters.CommitmentFilterSet
    ordering_fields = ["due_on", "target_quantity", "last_reported_on", "updated_at"]
    http_method_names = NO_DELETE


class ProgressReportPermissions(PublicReadModelPermissions):
    """Staff need add_progressreport; a partner's key may create (the writer keeps it to its own commitments)."""

    def has_permission(self, request, view):
        if request.method == "POST" and getattr(request.user, "partner_id", None):
            return True
        return super().has_permission(request, view)


@extend_schema_view(
    create=extend_schema(
        examples=[
            OpenApiExample(
                "Towers built so far",
                {"commitment": 12, "reported_on": "2025-06-30", "quantity_reached": "45", "note": "Phase 2 done."},
                request_only=True,
            )
        ]
    )
)
class ProgressReportViewSet(RecordViewSet):
    """Progress reports on commitments; partners post theirs with their API key. Reports are not edited here."""

    queryset = ProgressReport.objects.all()
    open_data = OpenDataset(
        title=_("Partner progress reports"),
        description=_("The progress partners reported on their commitments."),
        topic="partnerships",
        keywords=(_("progress"), _("report"), _("MoU")),
    )
    serializer_class = serializers.ProgressReportSerializer
    filterset_class = filters.ProgressReportFilterSet
    permission_classes = [ProgressReportPermissions]
    ordering_fields = ["reported_on", "quantity_reached", "created_at"]
    http_method_names = ["get", "post", "head", "options"]


class PartnerKeyOrModelPermissions(ModelPermissions):
    """A partner's key may read and write (its own rows: the queryset and the writer see to that); staff need the
    model permissions, reads included; anonymous callers get 401."""

    def has_permission(self, request, view):
        if getattr(request.user, "partner_id", None):
            return True
        return super().has_permission(request, view)


@extend_schema_view(
    create=extend_schema(
        examples=[
            OpenApiExample(
                "Told of signed MoUs and progress",
                {
                    "url": "https://partner.example.co.id/hooks/kota-cerdas",
                    "events": ["mou.signed", "commitment.progress_reported"],
                    "description": "Our project tracker",
                },
                request_only=True,
            )
        ]
    )
)
class WebhookEndpointViewSet(RecordViewSet):
    """Webhook endpoints: a partner's key registers, changes and removes its own; staff see and keep them all. The
    signing secret is answered once, on registration and on `rotate-secret`."""

    queryset = WebhookEndpoint.objects.all()
    serializer_class = serializers.WebhookEndpointSerializer
    filterset_class = filters.WebhookEndpointFilterSet
    permission_classes = [PartnerKeyOrModelPermissions]
    ordering_fields = ["created_at", "url"]

    def list(self, request, *args, **kwargs):
        # Live bookkeeping (attempts, failures) changes by queryset updates, which start no new cache generation.
        return viewsets.ModelViewSet.list(self, request, *args, **kwargs)

    def get_serializer_class(self):
        if self.action in ("create", "rotate_secret"):  # the two answers that carry the secret
            return serializers.WebhookEndpointWithSecretSerializer
        return super().get_serializer_class()

    @extend_schema(request=None, responses=serializers.WebhookEndpointWithSecretSerializer)
    @action(detail=True, methods=["post"], url_path="rotate-secret")
    def rotate_secret(self, request, pk=None):
        """A new signing secret; the previous one keeps signing too for WEBHOOK_SECRET_OVERLAP_HOURS."""
        endpoint = webhooks.webhook_secret_rotate(endpoint=self.get_object(), actor=request.user)
        return Response(self.get_serializer(self.get_queryset().get(pk=endpoint.pk)).data)


class WebhookDeliveryViewSet(RecordViewSet):
    """The log of what was sent to the caller's endpoints (staff: to every endpoint), with the last answer."""

    queryset = WebhookDelivery.objects.all()
    serializer_class = serializers.WebhookDeliverySerializer
    filterset_class = filters.WebhookDeliveryFilterSet
    permission_classes = [PartnerKeyOrModelPermissions]
    ordering_fields = ["created_at", "status"]
    http_method_names = ["get", "head", "options"]

    def list(self, request, *args, **kwargs):
        # Live bookkeeping (attempts, failures) changes by queryset updates, which start no new cache generation.
        return viewsets.ModelViewSet.list(self, request, *args, **kwargs)
