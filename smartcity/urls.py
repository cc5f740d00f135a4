from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.contrib.sitemaps.views import sitemap
from django.urls import include, path, reverse_lazy
from django.utils.translation import gettext_lazy as _

from . import views
from .health import healthz
from .media import serve_upload
from .routes import app_language_neutral, app_pages
from .sitemaps import SITEMAPS

admin.site.site_header = _("Kota Cerdas administration")
admin.site.site_title = _("Kota Cerdas")
admin.site.index_title = _("Smart city records")

handler404 = "smartcity.api.exceptions.page_not_found"
handler500 = "smartcity.api.exceptions.server_error"

urlpatterns = [
    path("api/v1/", include("smartcity.api.urls")),
    path("healthz", healthz, name="healthz"),
    path("open-data/files/<str:name>", views.open_data_file, name="open-data-file"),
    path("open-data/catalog.jsonld", views.open_data_catalogue, {"fmt": "jsonld"}, name="open-data-catalogue"),
    path("open-data/catalog.ttl", views.open_data_catalogue, {"fmt": "ttl"}, name="open-data-catalogue-turtle"),
    path("sitemap.xml", sitemap, {"sitemaps": SITEMAPS}, name="sitemap"),
    path("media/<path:name>", serve_upload, name="upload"),  # never served straight from disk: see media.py
    *app_language_neutral(),  # an app's addresses that are the same in every language (the base map's file)
]
if settings.OIDC_ENABLED:  # staff sign-in through the city's OpenID provider; the callback URL is /oidc/callback/
    urlpatterns.append(path("oidc/", include("mozilla_django_oidc.urls")))

# Pages carry the language prefix; Indonesian, the default, is served without one (/ and /en/).
urlpatterns += i18n_patterns(
    # A new staff member's invitation (smartcity.notifications) leads here to choose a password: Django's own
    # password-reset confirmation, before the admin's catch-all.
    path(
        "admin/password/set/<uidb64>/<token>/",
        auth_views.PasswordResetConfirmView.as_view(success_url=reverse_lazy("password_reset_complete")),
        name="password_reset_confirm",
    ),
    path("admin/password/set/done/", auth_views.PasswordResetCompleteView.as_view(), name="password_reset_complete"),
    path("admin/", admin.site.urls),
    path("open-data/", views.open_data, name="open-data"),
    path(_("search/"), views.search, name="search"),  # /cari/ in Indonesian, /en/search/ in English
    path("open-data/<slug:name>/", views.open_data_dataset, name="open-data-dataset"),
    *app_pages(),  # every app's pages, from its urls.py (smartcity/routes.py)
    prefix_default_language=False,
)
