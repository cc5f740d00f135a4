from .apikey import PartnerAPIKey
from .commitment import Commitment, ProgressReport
from .mou import MoU, MoUParty
from .partner import Partner, PartnerContact, ScopeArea

__all__ = [
    "Commitment",
    "MoU",
    "MoUParty",
    "Partner",
    "PartnerAPIKey",
    "PartnerContact",
    "ProgressReport",
    "ScopeArea",
]
