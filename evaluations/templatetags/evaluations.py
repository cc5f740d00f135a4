"""Template tags that let other apps' pages show an evaluation panel without importing evaluations."""

from django import template

from evaluations import selectors

register = template.Library()


@register.simple_tag(takes_context=True)
def evaluation_overview(context, pillars):
    """{% evaluation_overview pillars as evaluation %}: the latest result for the dashboard (evaluations.selectors.
    evaluation_overview for the page's user), or None before any result; the page shows it with
    evaluations/includes/overview.html and names its index in the home page's sentence. The home page (pillars)
    composes it here, so pillars' Python never imports evaluations."""
    return selectors.evaluation_overview(user=context["request"].user, pillars=pillars)
