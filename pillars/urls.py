from django.urls import path

from . import views

app_name = "pillars"

urlpatterns = [
    path("", views.home, name="home"),
    path("pillars/<slug:slug>/", views.pillar_detail, name="pillar-detail"),
    path("pillar-colours.css", views.pillar_colours_css, name="pillar-colours"),
]
