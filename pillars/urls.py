from django.urls import path

from . import views

app_name = "pillars"

urlpatterns = [
    path("", views.home, name="pillar-list"),  # the home page: the dashboard and the six pillars
    path("pillars/<slug:slug>/", views.pillar_detail, name="pillar-detail"),
    path("pillar-colours.css", views.pillar_colours_css, name="pillar-colours"),
    path("programs/", views.program_list, name="program-list"),
    path("programs/<slug:slug>/", views.program_detail, name="program-detail"),
    path("indicators/", views.indicator_list, name="indicator-list"),
    path("indicators/<slug:slug>/", views.indicator_detail, name="indicator-detail"),
    path("services/", views.service_list, name="service-list"),
    path("map/", views.asset_map, name="asset-map"),
    path("map/boundaries.geojson", views.map_boundaries, name="boundary-geojson"),
]
