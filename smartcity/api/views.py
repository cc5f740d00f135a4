"""A base viewset for records that citizens read and staff write through a service."""

from rest_framework import viewsets

from .caching import CachedListMixin
from .permissions import PublicReadModelPermissions


class RecordViewSet(CachedListMixin, viewsets.ModelViewSet):
    """CRUD over one model. Reads see `visible_to(user)` rows through `with_related()`; writes need the
    model permission (PublicReadModelPermissions) and go through `save_service` / `delete_service`,
    which enforce the row-level rules (e.g. an OPD editor's own agency) and validate."""

    permission_classes = [PublicReadModelPermissions]
    save_service = None  # (*, instance, actor, data) -> instance
    delete_service = None  # (*, instance, actor) -> None

    def get_queryset(self):
        return self.queryset.visible_to(self.request.user).with_related()

    def perform_create(self, serializer):
        instance = self.queryset.model()
        saved = type(self).save_service(instance=instance, actor=self.request.user, data=serializer.validated_data)
        serializer.instance = self.get_queryset().get(pk=saved.pk)  # re-read: the response is prefetched too

    def perform_update(self, serializer):
        saved = type(self).save_service(
            instance=serializer.instance, actor=self.request.user, data=serializer.validated_data
        )
        serializer.instance = self.get_queryset().get(pk=saved.pk)

    def perform_destroy(self, instance):
        type(self).delete_service(instance=instance, actor=self.request.user)
