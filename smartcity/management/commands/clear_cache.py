from django.core.cache import cache
from django.core.management.base import BaseCommand

from smartcity import cache as public_cache


class Command(BaseCommand):
    help = (
        "Forget everything the portal keeps in its cache (cached pages and API lists, kept API key checks, "
        "throttle counters, replica marks), and nothing else in the same Redis (Celery's queues stay). Run after "
        "restoring a backup (deploy/restore.sh does): the cache would otherwise serve the state before it."
    )

    def handle(self, *args, **options):
        if hasattr(cache, "delete_pattern"):  # django-redis: the portal's keys only (its key prefix and version)
            removed = cache.delete_pattern("*")
        else:
            removed = None
            cache.clear()  # the local-memory cache of a first look: this process's only
        public_cache.invalidate()  # a new generation, whatever a node still holds
        self.stdout.write(f"cache cleared ({removed if removed is not None else 'all'} keys)")
