from django.conf import settings


def portal(request):
    """Values every page template shows: the city's name."""
    return {"city_name": settings.PORTAL_CITY_NAME}
