from django.urls import path, re_path

from . import views

app_name = "partnerships"
url_prefix = "partnerships/"

urlpatterns = [
    path("", views.mou_list, name="mou-list"),
    re_path(r"^mou\.(?P<format>csv|json)$", views.mou_download),  # old route: 301 to ?download=
    path("mou/<slug:slug>/", views.mou_detail, name="mou-detail"),
    path("partners/", views.partner_list, name="partner-list"),
    re_path(r"^partners\.(?P<format>csv|json)$", views.partner_download),  # old route: 301
    path("partners/<slug:slug>/", views.partner_detail, name="partner-detail"),
]
