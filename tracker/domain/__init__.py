"""The journal's meaning, free of Qt and SQL: entries, instruments, scoring, change."""

from tracker.domain.entries import (
    ENTRY_TYPES,
    Assessment,
    Checkin,
    Entry,
    SideEffect,
    TreatmentSession,
)
from tracker.domain.errors import Problem, ValidationError

__all__ = [
    "ENTRY_TYPES",
    "Assessment",
    "Checkin",
    "Entry",
    "Problem",
    "SideEffect",
    "TreatmentSession",
    "ValidationError",
]
