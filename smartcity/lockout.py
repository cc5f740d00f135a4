"""Who a run of failed logins locks out (django-axes' AXES_LOCKOUT_PARAMETERS).

Normally a username at an address: five wrong passwords for "siti" from one address lock only that pair, so
nobody can lock the real administrator out from somewhere else, and colleagues behind the same office
address keep working. Once an address has failed for ADDRESS_LOCK_USERNAMES different usernames within the
cool-off time, it is spraying passwords across accounts: from then on its failures count together and the
whole address locks at the same limit, whatever username it tries next.
"""

from axes.helpers import get_cool_off
from axes.models import AccessAttempt, AccessBase
from django.utils import timezone

ADDRESS_LOCK_USERNAMES = 3
PER_USERNAME = [["username", "ip_address"]]
PER_ADDRESS = ["ip_address", ["username", "ip_address"]]


def lockout_parameters(request_or_attempt, credentials=None) -> list:
    if isinstance(request_or_attempt, AccessBase):
        address = request_or_attempt.ip_address
    else:
        address = getattr(request_or_attempt, "axes_ip_address", None)
    since = timezone.now() - get_cool_off(request_or_attempt)
    usernames = (
        AccessAttempt.objects.filter(ip_address=address, attempt_time__gte=since).values("username").distinct().count()
    )
    return PER_ADDRESS if usernames >= ADDRESS_LOCK_USERNAMES else PER_USERNAME
