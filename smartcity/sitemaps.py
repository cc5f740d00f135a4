"""The portal's sitemap (/sitemap.xml): the open-data catalogue and one page per listed dataset, in both
languages (each page with its alternate), so search engines and Satu Data crawlers find every dataset page."""

from datetime import datetime

from django.contrib.sitemaps import Sitemap
from django.urls import reverse

from .opendata import listed_datasets, open_data_index


class OpenDataSitemap(Sitemap):
    i18n = True
    alternates = True
    x_default = True
    changefreq = "daily"

    def items(self):
        return [("", None)] + [(name, info) for name, info in listed_datasets(open_data_index())]

    def location(self, item):
        name, _info = item
        return reverse("open-data-dataset", args=[name]) if name else reverse("open-data")

    def lastmod(self, item):
        _name, info = item
        return datetime.fromisoformat(info["updated"]) if info else None


SITEMAPS = {"open-data": OpenDataSitemap}
