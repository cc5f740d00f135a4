from django.http import HttpResponse
from django.shortcuts import get_object_or_404, render

from .models import Pillar


def home(request):
    """The public dashboard: the six pillars and their sub-dimensions."""
    return render(request, "pillars/pillar_list.html", {"pillars": Pillar.objects.with_related()})


def pillar_detail(request, slug: str):
    """One pillar's page: what it covers and its sub-dimensions."""
    pillar = get_object_or_404(Pillar.objects.with_related(), slug=slug)
    return render(request, "pillars/pillar_detail.html", {"pillar": pillar, "pillars": Pillar.objects.all()})


def pillar_colours_css(request):
    """Each pillar's colour as a CSS class, so colours stay editable data without inline styles."""
    colours = Pillar.objects.values_list("slug", "colour")
    rules = "".join(f".pillar-{slug}{{--pillar-colour:{colour}}}\n" for slug, colour in colours)
    return HttpResponse(rules, content_type="text/css; charset=utf-8")
