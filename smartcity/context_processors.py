from django.conf import settings


def portal(request):
    """Values every page template shows: the city's name, and whether the portal is a provincial hub (its menu
    then leads to the comparison of the cities it follows)."""
    return {"city_name": settings.PORTAL_CITY_NAME, "provincial_hub": settings.PROVINCIAL_HUB}
