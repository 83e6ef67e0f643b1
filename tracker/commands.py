"""The names of the headless commands, without their parser.

`tracker.app` reads them on the way to the window to tell a command from the app's own
options; importing `tracker.cli` for that would build its argparse parser and load the
journal core before the first window needs it.
"""

from __future__ import annotations

COMMANDS = (
    "import",
    "export",
    "summary",
    "due",
    "backup",
    "backups",
    "restore",
    "encrypt",
    "decrypt",
    "change-passphrase",
)
# Options that take a value, for telling a command word from an option's value.
VALUE_OPTIONS = (
    "--journal",
    "--passphrase-file",
    "--new-passphrase-file",
    "--backup-passphrase-file",
)
