"""Template filters of the partnerships pages."""

from django import template

from partnerships.display import ShownStatus, mou_shown_status

register = template.Library()


@register.filter
def shown_status(mou) -> ShownStatus:
    """{% with status=mou|shown_status %}: partnerships.display.mou_shown_status for today."""
    return mou_shown_status(mou)
