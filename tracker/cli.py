"""The headless commands of journal-format.md: import, export, summary.

Exit status: 0 done; 1 the data was refused or the journal could not be used (each
problem on stderr, nothing written); 2 the command line was wrong; 3 done, but some stored
entries could not be read (each named on stderr; everything readable was written).
"""

from __future__ import annotations

import argparse
import contextlib
import errno
import json
import os
import sys
import warnings
from collections.abc import Callable, Iterator, Mapping, Sequence
from datetime import date
from pathlib import Path
from typing import Any, NoReturn

from tracker import cli_encryption
from tracker.commands import COMMANDS
from tracker.domain.errors import ValidationError
from tracker.domain.times import parse_day
from tracker.paths import default_journal
from tracker.storage.errors import JournalError, JournalWarning

EXIT_OK, EXIT_REFUSED, EXIT_USAGE, EXIT_UNREADABLE = 0, 1, 2, 3
WRITER_WAIT_MS = 5000


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        self.print_usage(sys.stderr)
        self.exit(EXIT_USAGE, f"{self.prog}: error: {message}\n")


def _day(value: str) -> date:
    try:
        return parse_day(value)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def _name(value: str) -> str:
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:  # bytes from the command line that are not UTF-8
        raise argparse.ArgumentTypeError("the name is not readable text (not UTF-8)") from None
    return value


def build_parser() -> argparse.ArgumentParser:
    journal_help = f"the journal file (default: {default_journal()})"
    journal_option = _Parser(add_help=False)
    # SUPPRESS: a command without --journal keeps one given before the command.
    journal_option.add_argument(
        "--journal", type=Path, default=argparse.SUPPRESS, metavar="PATH", help=journal_help
    )
    cli_encryption.add_options(journal_option, suppress=True)
    ranged = _Parser(add_help=False)
    ranged.add_argument(
        "--from", dest="start", type=_day, metavar="YYYY-MM-DD", help="first day to include"
    )
    ranged.add_argument(
        "--to", dest="end", type=_day, metavar="YYYY-MM-DD", help="last day to include"
    )

    parser = _Parser(prog="onset", description="Onset journal: command line")
    parser.add_argument("--journal", type=Path, default=None, metavar="PATH", help=journal_help)
    cli_encryption.add_options(parser, suppress=False)
    commands = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)

    importer = commands.add_parser(
        "import", parents=[journal_option], help="import a journal JSON file"
    )
    importer.add_argument("file", type=Path)

    exporter = commands.add_parser("export", help="export the journal")
    formats = exporter.add_subparsers(dest="format", required=True, parser_class=_Parser)
    for name, what in (("json", "F"), ("csv", "DIR"), ("pdf", "F"), ("fhir", "F")):
        sub = formats.add_parser(name, parents=[journal_option, ranged])
        sub.add_argument("--out", type=Path, required=True, metavar=what)
        if name in ("pdf", "fhir"):
            where = "on the report" if name == "pdf" else "of the Patient (none when left out)"
            sub.add_argument("--name", type=_name, default=None, help=f"patient name {where}")
        if name == "csv":
            sub.add_argument(
                "--excel",
                action="store_true",
                help="start each file with a UTF-8 byte-order mark so Excel reads accents right",
            )
        if name == "pdf":
            sub.add_argument("--provider", default=None, help="provider name on the report")
            sub.add_argument("--notes", action="store_true", help="include check-in notes")

    summary = commands.add_parser(
        "summary", parents=[journal_option], help="change over treatment, per instrument"
    )
    summary.add_argument("--json", action="store_true", help="print JSON")
    due = commands.add_parser(
        "due", parents=[journal_option], help="what is due now: check-ins, reflections, sessions"
    )
    due.add_argument("--json", action="store_true", help="print JSON")

    commands.add_parser(
        "backup", parents=[journal_option], help="copy the journal into its backups folder now"
    )
    commands.add_parser(
        "backups", parents=[journal_option], help="list the journal's backups, newest first"
    )
    restorer = commands.add_parser(
        "restore",
        parents=[journal_option],
        help="put a backup in place of the journal (the journal as it was is kept first)",
    )
    restorer.add_argument("file", type=Path, help="a backup file, or its name in backups/")
    cli_encryption.add_restore_option(restorer)
    cli_encryption.add_commands(commands, [journal_option])
    return parser


def _fail(message: str) -> int:
    print(f"onset: {message}", file=sys.stderr)
    return EXIT_REFUSED


def _open(path: Path | None, *, create: bool = False, read_only: bool = False) -> Any:
    from tracker.journal import Journal

    return Journal.open(path or default_journal(), create=create, read_only=read_only)


@contextlib.contextmanager
def _writing(path: Path, *, create: bool = False) -> Iterator[None]:
    """Hold the journal's single-writer lock (the app holds it while a window is open)."""
    from tracker.storage.connection import FOLDER_MODE, read_only_reason, writable
    from tracker.storage.errors import JournalWriteError
    from tracker.storage.lock import holding

    if create and not path.parent.exists():
        try:
            path.parent.mkdir(mode=FOLDER_MODE, parents=True, exist_ok=True)
        except OSError as exc:
            raise JournalWriteError(
                path, f"the folder cannot be created ({exc.strerror})"
            ) from None
    if (path.exists() and not writable(path)) or not os.access(path.parent, os.W_OK | os.X_OK):
        raise JournalWriteError(path, read_only_reason(path))
    # Long enough for another import of the same file to finish (a ten-year journal takes
    # about half a second), short enough not to leave a script hanging behind a window.
    with holding(path, wait_ms=WRITER_WAIT_MS):
        yield


def _cmd_import(args: argparse.Namespace) -> int:
    from tracker.io.journal_json import read_document, read_json_file

    path = (args.journal or default_journal()).expanduser().absolute()
    data = read_json_file(args.file)  # not a journal file at all: refused before opening
    if not path.exists():
        # Every problem is found before a new journal is made, so a refusal leaves nothing.
        placed = read_document(data, journal_sessions={})
        with _writing(path, create=True), _open(path, create=True) as journal:
            report = journal.import_entries(placed)
    else:
        with _writing(path), _open(path) as journal:
            placed = read_document(
                data,
                journal_sessions=journal.session_fingerprints(),
                journal_medications=journal.medications(),
            )
            report = journal.import_entries(placed)
    added = ", ".join(f"{n} {kind.replace('_', ' ')}(s)" for kind, n in report.added.items() if n)
    print(
        f"imported {report.total_added} entries"
        + (f" ({added})" if added else "")
        + f"; {report.already_present} already in the journal"
    )
    return EXIT_OK


def _cmd_export(args: argparse.Namespace) -> int:
    from tracker.io.output import STDOUT

    if args.start and args.end and args.start > args.end:
        print("onset: error: --from is after --to", file=sys.stderr)
        return EXIT_USAGE
    from tracker.io.exports import export_data, write_export

    report = None
    if args.format == "pdf":
        from tracker.io.report import ReportOptions

        report = ReportOptions(
            patient_name=args.name, provider_name=args.provider, include_notes=args.notes
        )
    if str(args.out) == STDOUT and args.format == "csv":
        print(
            "onset: error: the CSV export writes a folder; --out - is not possible", file=sys.stderr
        )
        return EXIT_USAGE
    with _open(args.journal, read_only=True) as journal:
        options: dict[str, Any] = {
            "report": report,
            "name": getattr(args, "name", None),
        }
        if str(args.out) == STDOUT:
            data = export_data(journal, args.format, args.start, args.end, **options)
            raw = data.encode("utf-8") if isinstance(data, str) else data
            sys.stdout.flush()
            sys.stdout.buffer.write(raw)
            sys.stdout.flush()
        else:
            write_export(
                journal,
                args.format,
                args.out,
                args.start,
                args.end,
                excel=getattr(args, "excel", False),
                **options,
            )
            print(f"wrote {args.out}")
        unreadable = journal.scan_unreadable()
    return _report_unreadable(unreadable, "left out of the export")


def _report_unreadable(unreadable: Sequence[Any], what: str) -> int:
    """Exit 3 and name every stored entry that could not be read (journal-format.md)."""
    if not unreadable:
        return EXIT_OK
    print(
        f"onset: {len(unreadable)} stored "
        f"{'entry' if len(unreadable) == 1 else 'entries'} could not be read and "
        f"{'was' if len(unreadable) == 1 else 'were'} {what}:",
        file=sys.stderr,
    )
    for item in unreadable:
        print(f"  {item}", file=sys.stderr)
    print("  open the journal in the app to delete them (a backup is made first)", file=sys.stderr)
    return EXIT_UNREADABLE


def _yes(value: bool | None) -> str:
    if value is None:
        return "not applicable (baseline below 10)"
    return "reached" if value else "not reached"


def summary_text(summary: dict[str, Any], relief: str = "") -> str:
    """The summary in lines; `relief` is the Relief view's headline and counts."""
    lines = []
    for name, block in summary.items():
        if name in ("summary_version", "sessions", "onset"):
            continue
        if block is None:
            lines.append(f"{name}: not taken yet")
            continue
        base, latest = block["baseline"], block["latest"]
        percent = block["percent_change"]
        lines.append(
            f"{name}: baseline {base['total']} ({base['severity']}) on {base['at'][:10]}"
            + ("" if block["baseline_before_treatment"] else " (not taken before treatment)")
            + f"; latest {latest['total']} ({latest['severity']}) on {latest['at'][:10]}"
            + f"; change {block['change']:+d}"
            + (f" ({percent:+.1f}%)" if percent is not None else "")
            + f"; response {_yes(block['response'])}, remission {_yes(block['remission'])}, "
            + f"minimal important difference {_yes(block['mcid_met'])}"
        )
    sessions = summary["sessions"]
    if sessions["count"]:
        lines.append(
            f"sessions: {sessions['count']}, first {sessions['first'][:10]}, "
            f"last {sessions['last'][:10]}"
        )
    else:
        lines.append("sessions: none yet")
    if relief:
        lines.append(f"relief after sessions: {relief}")
    return "\n".join(lines)


def _cmd_summary(args: argparse.Namespace) -> int:
    from datetime import UTC, datetime

    now = datetime.now(UTC)
    with _open(args.journal, read_only=True) as journal:
        summary = journal.summary(now)
        relief = "" if args.json else _relief_words(journal.relief(now))
        unreadable = journal.scan_unreadable()
    if args.json:
        print(json.dumps(summary, ensure_ascii=False, indent=2))
    else:
        print(summary_text(summary, relief))
    return _report_unreadable(unreadable, "left out of the summary")


def _cmd_due(args: argparse.Namespace) -> int:
    from tracker import cli_due

    return _report_unreadable(cli_due.run(args), "left out of what is due")


def _relief_words(analysis: Any) -> str:
    from tracker.charts.relief import counts, headline

    return " ".join(part for part in (headline(analysis), counts(analysis)) if part)


def _cmd_backup(args: argparse.Namespace) -> int:
    from tracker.storage.backup import make_backup

    # From the file through a read-only connection: no migration, no daily copy on top.
    made = make_backup(args.journal or default_journal())
    print(f"backed up to {made}")
    return EXIT_OK


def _counted(counts: Mapping[str, int]) -> str:
    names = {
        "checkin": "check-in",
        "assessment": "assessment",
        "session": "session",
        "side_effect": "side effect",
    }
    said = [f"{n} {names[k]}{'' if n == 1 else 's'}" for k, n in counts.items() if n]
    return ", ".join(said) or "no entries"


def _cmd_backups(args: argparse.Namespace) -> int:
    from tracker.storage.backup import REASON_LABELS, backup_folder, list_backups

    journal = args.journal or default_journal()
    found = list_backups(journal)
    if not found:
        print(f"no backups of {journal} yet (they go in {backup_folder(journal)})")
        return EXIT_OK
    print(f"backups of {journal}, newest first, in {backup_folder(journal)}:")
    history = cli_encryption.passphrase_history(journal)
    for info in found:
        if info.ok or info.locked:
            what = "entries not counted" if info.locked else _counted(info.counts)
        else:
            what = f"NOT USABLE: {info.problem}"
        print(f"  {info.made_at:%Y-%m-%d %H:%M}  {REASON_LABELS[info.reason]:<26}  {what}")
        print(f"  {'':16}  {info.path.name}")
        if info.encrypted or history:
            print(f"  {'':16}  {cli_encryption.needs(journal, info, history)}")
    return EXIT_OK


def _cmd_restore(args: argparse.Namespace) -> int:
    from tracker.storage.backup import resolve, restore_backup

    journal = args.journal or default_journal()
    source = resolve(journal, args.file)
    cli_encryption.unlock_backup(args, source)
    with _writing(Path(journal).expanduser().absolute(), create=True):
        kept = restore_backup(journal, source)
    print(f"restored {journal} from {source}")
    if kept is not None:
        print(f"the journal as it was is kept in {kept}; restore that file to undo this")
    return EXIT_OK


HANDLERS: dict[str, Callable[[argparse.Namespace], int]] = {
    "import": _cmd_import,
    "export": _cmd_export,
    "summary": _cmd_summary,
    "due": _cmd_due,
    "backup": _cmd_backup,
    "backups": _cmd_backups,
    "restore": _cmd_restore,
    "encrypt": cli_encryption.cmd_encrypt,
    "decrypt": cli_encryption.cmd_decrypt,
    "change-passphrase": cli_encryption.cmd_change_passphrase,
}
if set(HANDLERS) != set(COMMANDS):  # tracker.app tells commands from the window by COMMANDS
    raise RuntimeError("tracker.commands.COMMANDS and the command handlers disagree")


@contextlib.contextmanager
def _warnings_to_stderr() -> Iterator[None]:
    """What did not stop a command (today's backup failed) is said on stderr, not raised."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", JournalWarning)
        try:
            yield
        finally:
            for warning in caught:
                if isinstance(warning.message, JournalWarning):
                    print(f"onset: warning: {warning.message}", file=sys.stderr)
    for warning in caught:
        if not isinstance(warning.message, JournalWarning):
            warnings.warn_explicit(
                warning.message, warning.category, warning.filename, warning.lineno
            )


def main(argv: Sequence[str]) -> int:
    args = build_parser().parse_args(list(argv))
    try:
        with _warnings_to_stderr():
            if args.command not in cli_encryption.COMMANDS:
                cli_encryption.unlock(args)  # an encrypted journal's passphrase, in memory
            return HANDLERS[args.command](args)
    except ValidationError as exc:
        print("onset: the data was refused; nothing was written:", file=sys.stderr)
        for problem in exc.problems:
            print(f"  {problem}", file=sys.stderr)
        return EXIT_REFUSED
    except JournalError as exc:
        return _fail(str(exc))
    except OSError as exc:
        target = exc.filename or "the output"
        if exc.errno in (errno.ENOSPC, errno.EDQUOT):
            return _fail(f"{target}: the disk is full; nothing was written")
        return _fail(f"{target}: {exc.strerror or exc}; nothing was written")
