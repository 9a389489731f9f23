"""Typed SQLAlchemy 2 models: the bank (bank.py) and exams with their use (exams.py)."""

from app.models.access import ApiKey, Role
from app.models.bank import (
    ID_MAX,
    NUMBER_MAX,
    SAMPLE_KEY_BITS,
    TEXT_MAX_CHARS,
    TITLE_MAX_CHARS,
    Assertion,
    Label,
    Status,
    Subtopic,
    Topic,
    UTCDateTime,
    Variant,
    VariantKind,
    VariantOrigin,
    VariantStatus,
    sample_key_of,
    text_digest,
    utcnow,
)
from app.models.counters import Counter
from app.models.exams import Attempt, AttemptAnswer, Exam, ExamFile, ExamItem, PracticeSession, SessionDraw
from app.models.jobs import Job, JobStatus
from app.models.scans import ScanSheet, ScanStatus, ScanUpload
from app.models.web import WebSession

__all__ = [
    "ID_MAX", "NUMBER_MAX", "SAMPLE_KEY_BITS", "ApiKey", "Role", "TEXT_MAX_CHARS", "TITLE_MAX_CHARS",
    "Assertion", "Attempt", "Counter", "AttemptAnswer", "Exam", "ExamFile", "ExamItem", "Job", "JobStatus", "Label",
    "PracticeSession", "ScanSheet", "ScanStatus", "ScanUpload", "SessionDraw", "Status", "Subtopic", "Topic",
    "UTCDateTime", "Variant", "VariantKind", "VariantOrigin", "WebSession",
    "VariantStatus", "sample_key_of", "text_digest", "utcnow",
]
