from django.urls import path, re_path

from . import area_views, feedback_views, views

app_name = "pillars"
url_prefix = ""  # the home page and the portfolio's pages (smartcity/routes.py serves them)

# The map's offline base map: one address in every language, in no namespace (byte ranges; views.basemap_file).
language_neutral_urlpatterns = [
    path("map/basemap/<slug:version>.pmtiles", views.basemap_file, name="basemap-file"),
]

urlpatterns = [
    path("", views.home, name="pillar-list"),  # the home page: the dashboard and the six pillars
    path("pillars/<slug:slug>/", views.pillar_detail, name="pillar-detail"),
    path("pillar-colours.css", views.pillar_colours_css, name="pillar-colours"),
    path("programs/", views.program_list, name="program-list"),
    path("programs/<slug:slug>/", views.program_detail, name="program-detail"),
    path("programs/<slug:slug>/feedback/", feedback_views.feedback_page, {"kind": "program"}, name="program-feedback"),
    path(
        "programs/<slug:slug>/feedback/sent/",
        feedback_views.feedback_sent,
        {"kind": "program"},
        name="program-feedback-sent",
    ),
    path("indicators/", views.indicator_list, name="indicator-list"),
    path("indicators/<slug:slug>/", views.indicator_detail, name="indicator-detail"),
    path("services/", views.service_list, name="service-list"),
    path("services/<slug:slug>/feedback/", feedback_views.feedback_page, {"kind": "service"}, name="service-feedback"),
    path(
        "services/<slug:slug>/feedback/sent/",
        feedback_views.feedback_sent,
        {"kind": "service"},
        name="service-feedback-sent",
    ),
    path("map/", views.asset_map, name="asset-map"),
    path("map/boundaries.geojson", views.map_boundaries, name="boundary-geojson"),
    # Areas by their Kemendagri code; the code written with dashes (and the name after it) moves to it.
    path("kecamatan/", area_views.district_list, name="district-list"),
    re_path(r"^kecamatan/(?P<code>[0-9]{2}\.[0-9]{2}\.[0-9]{2})/$", area_views.district_detail, name="district-detail"),
    re_path(r"^kecamatan/(?P<dashed>[0-9]{2}-[0-9]{2}-[0-9]{2})(?:-[\w-]*)?/$", area_views.district_moved),
    re_path(
        r"^kelurahan/(?P<code>[0-9]{2}\.[0-9]{2}\.[0-9]{2}\.[0-9]{4})/$",
        area_views.village_detail,
        name="village-detail",
    ),
]
