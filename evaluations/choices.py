from django.db import models
from django.utils.translation import gettext_lazy as _


class EvaluationStage(models.TextChoices):
    SELF_ASSESSMENT = "self_assessment", _("Self-assessment")
    STAGE_I = "stage_1", _("Stage I")
    STAGE_II = "stage_2", _("Stage II")
    FINAL = "final", _("Final")


class EvaluationKind(models.TextChoices):
    SELF_ASSESSMENT = "self_assessment", _("Self-assessment")
    FIELD_REVIEW = "field_review", _("Field review")
    NATIONAL = "national", _("National evaluation")


class EvaluationStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")
    FINAL = "final", _("Final")


class FindingKind(models.TextChoices):
    STRENGTH = "strength", _("Strength")
    WEAKNESS = "weakness", _("Weakness")
    RECOMMENDATION = "recommendation", _("Recommendation")


class FollowUpStatus(models.TextChoices):
    OPEN = "open", _("Open")
    IN_PROGRESS = "in_progress", _("In progress")
    DONE = "done", _("Done")
    DROPPED = "dropped", _("Dropped")


# A follow-up in one of these states is closed: it can no longer be overdue.
CLOSED_FOLLOW_UP_STATUSES = (FollowUpStatus.DONE, FollowUpStatus.DROPPED)


class AttachmentKind(models.TextChoices):
    PHOTO = "photo", _("Photo")
    DOCUMENT = "document", _("Document")


class ExportFormat(models.TextChoices):
    XLSX = "xlsx", _("Spreadsheet (XLSX)")
    PDF = "pdf", _("PDF")


class ExportStatus(models.TextChoices):
    QUEUED = "queued", _("Queued")
    RUNNING = "running", _("Being made")
    DONE = "done", _("Ready")
    FAILED = "failed", _("Failed")


class InstrumentKind(models.TextChoices):
    REGULATION = "regulation", _("Mayor's regulation (Perwal/Perwako)")
    DECREE = "decree", _("Decree (SK)")
    OTHER = "other", _("Other instrument")


class InstrumentBody(models.TextChoices):
    NONE = "", _("Forms no body")
    COUNCIL = "council", _("Smart-city council (Dewan Smart City)")
    TEAM = "team", _("Implementation team (Tim Pelaksana)")
    OTHER = "other", _("Another body")


class ResponseSource(models.TextChoices):
    IMPORT = "import", _("Survey tool export")
    PAPER = "paper", _("Paper form")
    WEB = "web", _("Public survey page")


class ClarificationStatus(models.TextChoices):
    OPEN = "open", _("Open")
    ANSWERED = "answered", _("Answered")
    CLOSED = "closed", _("Closed")


# The default fewest responses a surveyed sub-dimension needs: the office's convention (50 is commonly quoted; no
# official source was found). Each year's scheme carries its own (EvaluationScheme.min_survey_responses).
DEFAULT_MIN_SURVEY_RESPONSES = 50
