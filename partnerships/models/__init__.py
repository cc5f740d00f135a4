from .apikey import PartnerAPIKey
from .commitment import Commitment, ProgressReport
from .mou import MoU, MoUParty, MoUReminder
from .partner import Partner, PartnerContact, ScopeArea
from .webhook import WebhookDelivery, WebhookEndpoint

__all__ = [
    "Commitment",
    "MoU",
    "MoUParty",
    "MoUReminder",
    "Partner",
    "PartnerAPIKey",
    "PartnerContact",
    "ProgressReport",
    "ScopeArea",
    "WebhookDelivery",
    "WebhookEndpoint",
]
