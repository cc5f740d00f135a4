"""The one public list view with its download: a page that lists rows, filtered by a public FilterSet, a page of
them at a time, and `?download=csv|json` of exactly the filtered rows (all of them, not the page's), streamed by
the one download path (smartcity/downloads.py). Each public list configures it; what the page adds to its context
(a chart, counts, a standing per row) is its own `extra_context`.

    class ProgramList(PublicListView):
        template_name = "pillars/program_list.html"
        filterset_class = ProgramPublicFilterSet
        export = resources.ProgramResource
        download_name = "programs"

        def get_queryset(self):
            return Program.objects.public().with_related()

    program_list = ProgramList.as_view()

Filters that do not validate filter nothing: the page shows the form's errors over the whole list, and its download
is the whole list (the map, which reads the same query in the API, does the same: templates/pillars/asset_map.html).
"""

from django.shortcuts import render
from django.views import View

from .downloads import download_response, wants_download
from .pagination import Paginator


class PublicListView(View):
    """A filtered public list page and its CSV/JSON download of the same rows."""

    http_method_names = ["get", "head", "options"]
    template_name: str = ""
    filterset_class = None  # a PublicFilterSet; None: the list has no filters
    export = None  # what a row is in the download: a Resource class, a RecordExport class or instance
    download_name: str = ""  # the file's name before its date
    paginate_by: int | None = 20  # None: every row on the page
    context_object_name: str = ""  # also give the page's rows under this name

    def get_queryset(self):
        raise NotImplementedError

    def get_export(self, rows):
        return self.export

    def shown(self, rows):
        """What the page reads of the filtered rows, when it needs less than the download (no prefetches)."""
        return rows

    def extra_context(self, context: dict, queryset) -> dict:
        """What the page shows besides its rows, from the unfiltered `queryset` or the page's rows."""
        return {}

    def get(self, request, *args, **kwargs):
        queryset = self.get_queryset()
        filterset = None
        rows = queryset
        if self.filterset_class is not None:
            filterset = self.filterset_class(request.GET or None, queryset=queryset, request=request)
            rows = filterset.qs if filterset.is_bound and filterset.is_valid() else queryset
        fmt = wants_download(request)
        if fmt:
            return download_response(request, self.get_export(rows), rows, fmt=fmt, name=self.download_name)
        context = {"filter": filterset, "query": query_without_page(request)}
        shown = self.shown(rows)
        if self.paginate_by:
            context["page"] = Paginator(shown, self.paginate_by).get_page(request.GET.get("page"))
            shown = context["page"].object_list
        if self.context_object_name:
            context[self.context_object_name] = shown
        context |= self.extra_context(context, queryset)
        return render(request, self.template_name, context)


def query_without_page(request) -> str:
    """The page's query string without its page number, for the links to the other pages."""
    query = request.GET.copy()
    query.pop("page", None)
    return query.urlencode()
