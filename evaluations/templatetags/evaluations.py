"""Template tags that let other apps' pages show an evaluation panel without importing evaluations."""

from django import template

from evaluations import selectors

register = template.Library()


@register.inclusion_tag("evaluations/includes/overview.html", takes_context=True)
def evaluation_overview(context, pillars):
    """{% evaluation_overview pillars %}: the dashboard's evaluation section (evaluations.selectors.
    evaluation_overview for the page's user), or nothing before any result. The home page (pillars) composes it
    here, so pillars' Python never imports evaluations."""
    return {"evaluation": selectors.evaluation_overview(user=context["request"].user, pillars=pillars)}
