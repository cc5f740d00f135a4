from .asset import InfrastructureAsset
from .boundary import Boundary
from .feedback import Feedback
from .figures import PortfolioChange, PortfolioFigures
from .indicator import Indicator, IndicatorTarget, Measurement
from .program import BudgetLine, Masterplan, Milestone, Program
from .reference import Agency, Pillar, SubDimension
from .service import DigitalService

__all__ = [
    "Agency",
    "Boundary",
    "BudgetLine",
    "DigitalService",
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
    "SubDimension",
]
