from django.db import models
from django.utils.translation import gettext_lazy as _


class Horizon(models.TextChoices):
    QUICK_WIN = "quick_win", _("Quick win")
    SHORT = "short", _("Short term")
    MEDIUM = "medium", _("Medium term")
    LONG = "long", _("Long term")


class Stage(models.TextChoices):
    PLANNED = "planned", _("Planned")
    IN_PROGRESS = "in_progress", _("In progress")
    COMPLETED = "completed", _("Completed")
    ON_HOLD = "on_hold", _("On hold")
    CANCELLED = "cancelled", _("Cancelled")


class FundingSource(models.TextChoices):
    APBD = "apbd", _("APBD (city budget)")
    APBN = "apbn", _("APBN / ministry")
    CSR = "csr", _("CSR")
    KPBU = "kpbu", _("KPBU (public-private partnership)")
    PARTNER = "partner", _("Partner investment")
    OTHER = "other", _("Other")


class Direction(models.TextChoices):
    HIGHER_IS_BETTER = "higher", _("Higher is better")
    LOWER_IS_BETTER = "lower", _("Lower is better")


class Frequency(models.TextChoices):
    MONTHLY = "monthly", _("Monthly")
    QUARTERLY = "quarterly", _("Quarterly")
    SEMESTER = "semester", _("Every six months")
    YEARLY = "yearly", _("Yearly")


# How old an indicator's latest measurement may be before it counts as stale, per frequency.
FREQUENCY_DAYS = {Frequency.MONTHLY: 31, Frequency.QUARTERLY: 92, Frequency.SEMESTER: 183, Frequency.YEARLY: 366}


class Audience(models.TextChoices):
    PUBLIC = "public", _("Public")
    INTERNAL = "internal", _("Internal")


class ServiceStatus(models.TextChoices):
    DEVELOPMENT = "development", _("In development")
    LIVE = "live", _("Live")
    RETIRED = "retired", _("Retired")


class Platform(models.TextChoices):
    WEB = "web", _("Web")
    MOBILE = "mobile", _("Mobile app")
    WEB_AND_MOBILE = "web_mobile", _("Web and mobile")
    DESKTOP = "desktop", _("Desktop")
    OTHER = "other", _("Other")


class ServiceOrigin(models.TextChoices):
    IN_HOUSE = "in_house", _("Built in-house")
    VENDOR = "vendor", _("Bought from a vendor")
    SHARED = "shared", _("Shared by another city")


class AssetKind(models.TextChoices):
    CCTV = "cctv", _("CCTV")
    WIFI = "wifi", _("Public Wi-Fi")
    TOWER = "tower", _("Telecommunication tower")
    FIBER = "fiber", _("Fiber-optic link")
    COMMAND_CENTER = "command_center", _("Command center")
    OTHER = "other", _("Other")


class AssetStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    ACTIVE = "active", _("Active")
    DOWN = "down", _("Down")
    RETIRED = "retired", _("Retired")


class BoundaryKind(models.TextChoices):
    CITY = "city", _("City boundary")
    DISTRICT = "district", _("District (kecamatan)")


class BaseMapTileType(models.TextChoices):
    """The image format of a base map's tiles, as its PMTiles header names it."""

    PNG = "png", "PNG"
    JPEG = "jpg", "JPEG"
    WEBP = "webp", "WebP"


class Approval(models.TextChoices):
    """Satu Data Indonesia: the producing agency submits an indicator's metadata, the walidata (Diskominfo) checks
    it and approves it or sends it back; only an approved indicator may be published."""

    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted to the walidata")
    APPROVED = "approved", _("Approved")
    SENT_BACK = "sent_back", _("Sent back")


class Access(models.TextChoices):
    """Satu Data Indonesia's access classification of an indicator's data: only open data is ever public."""

    OPEN = "terbuka", _("Open (terbuka)")
    RESTRICTED = "terbatas", _("Restricted (terbatas)")
    CLOSED = "tertutup", _("Closed (tertutup)")


class IsoTheme(models.TextChoices):
    """The 19 themes of ISO 37120:2018 (sustainable cities and communities: indicators for city services and
    quality of life); ISO 37122 (smart cities) uses the same themes."""

    ECONOMY = "economy", _("Economy")
    EDUCATION = "education", _("Education")
    ENERGY = "energy", _("Energy")
    ENVIRONMENT = "environment", _("Environment and climate change")
    FINANCE = "finance", _("Finance")
    GOVERNANCE = "governance", _("Governance")
    HEALTH = "health", _("Health")
    HOUSING = "housing", _("Housing")
    POPULATION = "population", _("Population and social conditions")
    RECREATION = "recreation", _("Recreation")
    SAFETY = "safety", _("Safety")
    SOLID_WASTE = "solid_waste", _("Solid waste")
    SPORT_CULTURE = "sport_culture", _("Sport and culture")
    TELECOMMUNICATION = "telecommunication", _("Telecommunication")
    TRANSPORTATION = "transportation", _("Transportation")
    URBAN_AGRICULTURE = "urban_agriculture", _("Urban/local agriculture and food security")
    URBAN_PLANNING = "urban_planning", _("Urban planning")
    WASTEWATER = "wastewater", _("Wastewater")
    WATER = "water", _("Water")


class FeedbackStatus(models.TextChoices):
    PENDING = "pending", _("Awaiting moderation")
    PUBLISHED = "published", _("Published")
    REJECTED = "rejected", _("Rejected")


class LinkRole(models.TextChoices):
    """What a program does to an indicator it is linked to (RPJMD/Renstra: program → indikator kinerja)."""

    OUTPUT = "output", _("Output")
    OUTCOME = "outcome", _("Outcome")
