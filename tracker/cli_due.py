"""`due [--json]`: what is due now (journal-format.md, "due --json")."""

from __future__ import annotations

import argparse
import json
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from tracker.domain.times import format_at, wall_clock
from tracker.paths import default_journal

if TYPE_CHECKING:
    from tracker.storage.repository import Unreadable


def now() -> datetime:
    """The local time with its offset, to the minute (tests replace this clock)."""
    return datetime.now().astimezone().replace(second=0, microsecond=0)


def due_document(items: list[dict[str, object]], at: datetime) -> dict[str, object]:
    return {"now": format_at(at.replace(second=0, microsecond=0)), "due": items}


def run(args: argparse.Namespace) -> list[Unreadable]:
    """Say what is due; return the damaged rows left out of it (the caller names them)."""
    from tracker.domain.due import PROMPTS_LAPSE
    from tracker.journal import Journal
    from tracker.reminders import due_items, due_words

    path: Path = args.journal or default_journal()
    at = now()
    with Journal.open(path) as journal:
        context = journal.due_context(wall_clock(at), PROMPTS_LAPSE)
        items = due_items(journal, wall_clock(at), context)
        # A damaged session or follow-up time is left out of what is due; it is named (by
        # a full read, only then) and the exit status says so (journal-format.md).
        unreadable = journal.scan_unreadable() if context.damaged else []
    if args.json:
        document = due_document([i.to_json() for i in items], at)
        print(json.dumps(document, ensure_ascii=False, indent=2))
    elif not items:
        print("Nothing is due now.")
    else:
        print("Due now:")
        for item in items:
            print(f"  {due_words(item, at.date())}")
    return unreadable
