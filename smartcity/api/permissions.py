"""Permission classes of the API: Django model permissions, public reads, and one class per domain verb."""

from rest_framework import permissions


class ModelPermissions(permissions.DjangoModelPermissions):
    """Django model permissions, with `view_<model>` required for reads too (as NetBox does)."""

    perms_map = {
        **permissions.DjangoModelPermissions.perms_map,
        "GET": ["%(app_label)s.view_%(model_name)s"],
        "HEAD": ["%(app_label)s.view_%(model_name)s"],
    }


class PublicReadModelPermissions(ModelPermissions):
    """Anyone may read (the viewset's queryset shows anonymous callers only public rows); writes need
    the model permission."""

    def has_permission(self, request, view):
        if request.method in permissions.SAFE_METHODS:
            return True
        return super().has_permission(request, view)


def HasPerm(*perms: str) -> type[permissions.BasePermission]:  # noqa: N802 - reads as a class in decorators
    """A permission class that requires every one of `perms`, e.g. for an `@action` such as `sign`."""

    class _HasPerm(permissions.BasePermission):
        def has_permission(self, request, view):
            return bool(request.user and request.user.is_authenticated and request.user.has_perms(perms))

    _HasPerm.__name__ = f"HasPerm({', '.join(perms)})"
    return _HasPerm
