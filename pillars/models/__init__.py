from .activity import Activity
from .area import District, Village
from .asset import InfrastructureAsset
from .basemap import BaseMap
from .boundary import Boundary
from .feedback import Feedback
from .figures import PortfolioChange, PortfolioFigures
from .identity import StaffIdentity
from .indicator import Indicator, IndicatorTarget, Measurement
from .link import ProgramIndicator
from .notice import WorkspaceNotice
from .program import BudgetLine, Masterplan, Milestone, Program
from .reference import Agency, Pillar, SubDimension
from .service import DigitalService

__all__ = [
    "Activity",
    "Agency",
    "BaseMap",
    "Boundary",
    "BudgetLine",
    "DigitalService",
    "District",
    "Feedback",
    "Indicator",
    "IndicatorTarget",
    "InfrastructureAsset",
    "Masterplan",
    "Measurement",
    "Milestone",
    "Pillar",
    "PortfolioChange",
    "PortfolioFigures",
    "Program",
    "ProgramIndicator",
    "StaffIdentity",
    "SubDimension",
    "Village",
    "WorkspaceNotice",
]
