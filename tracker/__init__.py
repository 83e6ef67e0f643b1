"""Onset: a private journal for people in ketamine therapy for anxiety."""

__version__ = "0.1.0"
