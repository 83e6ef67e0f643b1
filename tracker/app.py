"""Entry point: a command (tracker.commands) runs headless; anything else opens the window."""

from __future__ import annotations

import sys
from collections.abc import Sequence


def is_command(argv: Sequence[str]) -> bool:
    """True when the first positional word (skipping --journal's value) is a CLI command."""
    from tracker.commands import COMMANDS, VALUE_OPTIONS

    skip = False
    for word in argv:
        if skip:
            skip = False
            continue
        if word in VALUE_OPTIONS:
            skip = True
            continue
        if word.startswith("-"):
            continue
        return word in COMMANDS
    return False


def main(argv: Sequence[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    if is_command(args):
        from tracker.cli import main as cli_main

        return cli_main(args)
    from tracker.ui.app.launch import run_gui

    return run_gui(args)
