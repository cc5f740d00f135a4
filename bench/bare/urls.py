"""The ceiling (`/bare`) and the two peers: a DRF list and a template page, 50 rows each."""

from django.http import HttpResponse
from django.shortcuts import render
from django.urls import path
from rest_framework import generics, pagination, serializers

from .models import Program


def bare(request):
    return HttpResponse(b"ok", content_type="text/plain")


class ProgramSerializer(serializers.ModelSerializer):
    class Meta:
        model = Program
        fields = ["id", "slug", "title_ind", "title_en", "progress", "updated_at"]


class ProgramList(generics.ListAPIView):
    queryset = Program.objects.all()
    serializer_class = ProgramSerializer
    pagination_class = pagination.LimitOffsetPagination  # ?limit=50: a count and a page, as the portal's lists


def program_page(request):
    return render(request, "programs.html", {"programs": Program.objects.all()[:50]})


urlpatterns = [
    path("bare", bare),
    path("drf/programs/", ProgramList.as_view()),
    path("page/programs/", program_page),
]
