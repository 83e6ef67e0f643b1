"""Benchmarks and budgets: time the app against honest floors, in the same run.

    python benchmarks/run.py [--runs 7] [--warmup 1] [--only smoke,charts,...]

Generates 1-, 10- and 30-year journals into benchmarks/out/ and imports them with the
command line, then measures each benchmark alternately with its floor (floor, app, app,
floor, ...) so that a busy machine slows both alike, and prints a markdown table of medians
and ratios against the budgets. The table also goes to benchmarks/out/results.md. A row
whose feature is not built yet says so instead of failing. Exit status 1 when a measured
row misses its budget.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
OUT = HERE / "out"
FLOORS = HERE / "floors"
MAIN = REPO / "main.py"
PYTHON = sys.executable
YEARS = (1, 10, 30)
# Modules that must never load on the way to the first window (preamble: open instantly).
HEAVY = ("matplotlib", "numpy", "fpdf", "PIL")
CHILD_TIMEOUT_S = 120.0
# The Charts view opens on its "90 days" range (DEFAULT_RANGE in tracker/ui/pages/charts.py).
CHART_DAYS = 90

sys.path.insert(0, str(HERE))
from make_journal import write_journal  # noqa: E402

# -- running children -------------------------------------------------------------------------


@dataclass
class Sample:
    """One child process: wall time, its own peak memory, exit status, what it said."""

    seconds: float
    max_rss_kb: int
    code: int
    stderr: str


def child_env() -> dict[str, str]:
    """Same platform for app and floors; never the user's own journal or data folder."""
    env = dict(os.environ)
    env["QT_QPA_PLATFORM"] = "offscreen"
    env["XDG_DATA_HOME"] = str(OUT / "xdg-data")
    # The window's remembered size and Charts range (QSettings) stay out of the user's own.
    env["XDG_CONFIG_HOME"] = str(OUT / "xdg-config")
    env.pop("ONSET_JOURNAL", None)
    env.pop("MPLBACKEND", None)
    # An installed app runs from cached bytecode; compiling every module on every run would
    # charge the app (many modules) far more than a floor (one small file). The cache goes
    # to benchmarks/out/, not beside the sources.
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    env["PYTHONPYCACHEPREFIX"] = str(OUT / "pycache")
    return env


def run_child(command: Sequence[str]) -> Sample:
    """Time one process from outside; os.wait4 gives that one child's own ru_maxrss."""
    with tempfile.TemporaryFile() as errors:
        start = time.perf_counter()
        process = subprocess.Popen(
            list(command),
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=errors,
            env=child_env(),
            cwd=REPO,
        )
        # A window that never goes idle must not hang the whole run.
        watchdog = threading.Timer(CHILD_TIMEOUT_S, process.kill)
        watchdog.start()
        try:
            _, status, usage = os.wait4(process.pid, 0)
        finally:
            watchdog.cancel()
        elapsed = time.perf_counter() - start
        process.returncode = os.waitstatus_to_exitcode(status)
        errors.seek(0)
        text = errors.read().decode("utf-8", "replace")
    if elapsed >= CHILD_TIMEOUT_S:
        text += f"\nstopped after {CHILD_TIMEOUT_S:.0f} s (it did not finish)"
    return Sample(elapsed, usage.ru_maxrss, process.returncode, text)


def last_line(text: str) -> str:
    lines = [
        line.strip()
        for line in text.splitlines()
        if line.strip() and not line.startswith("import time:") and "propagateSizeHints" not in line
    ]
    return lines[-1] if lines else "(no message)"


class ChildFailed(Exception):
    pass


def checked(sample: Sample, what: str) -> Sample:
    if sample.code != 0:
        raise ChildFailed(f"{what} exited with {sample.code}: {last_line(sample.stderr)}")
    return sample


def measure_pair(
    app: Sequence[str],
    floor: Sequence[str],
    runs: int,
    warmup: int,
    before: Callable[[], None] | None = None,
) -> tuple[list[Sample], list[Sample]]:
    """Warm up, then alternate floor and app (ABBA order) so drifts in load hit both."""
    for _ in range(warmup):
        checked(run_child(floor), "floor")
        if before:
            before()
        checked(run_child(app), "app")
    app_samples: list[Sample] = []
    floor_samples: list[Sample] = []
    for index in range(runs):
        order = ("floor", "app") if index % 2 == 0 else ("app", "floor")
        for which in order:
            if which == "app":
                if before:
                    before()
                app_samples.append(checked(run_child(app), "app"))
            else:
                floor_samples.append(checked(run_child(floor), "floor"))
    return app_samples, floor_samples


def measure_alone(
    command: Sequence[str], runs: int, warmup: int, before: Callable[[], None] | None = None
) -> list[Sample]:
    samples = []
    for index in range(warmup + runs):
        if before:
            before()
        sample = checked(run_child(command), "app")
        if index >= warmup:
            samples.append(sample)
    return samples


def imported_modules(stderr: str) -> list[str]:
    """Module names from `python -X importtime` output, in import order."""
    names = []
    for line in stderr.splitlines():
        if line.startswith("import time:") and "|" in line and "imported package" not in line:
            names.append(line.rsplit("|", 1)[-1].strip())
    return names


# -- journals ---------------------------------------------------------------------------------


def journal_json(years: int) -> Path:
    return OUT / f"journal-{years}y.json"


def journal_file(years: int) -> Path:
    return OUT / f"journal-{years}y.onset"


EMPTY_JOURNAL = OUT / "journal-empty.onset"


def remove_journal(path: Path) -> None:
    for leftover in (path, Path(f"{path}-wal"), Path(f"{path}-shm")):
        leftover.unlink(missing_ok=True)


def import_with_cli(source: Path, target: Path) -> Sample:
    remove_journal(target)
    return checked(
        run_child([PYTHON, str(MAIN), "import", str(source), "--journal", str(target)]),
        f"import {source.name}",
    )


def prepare_journals() -> None:
    """Journals that end today, like one in use (the Charts view counts back from today)."""
    OUT.mkdir(parents=True, exist_ok=True)
    for years in YEARS:
        counts = write_journal(journal_json(years), years, end=date.today())
        sample = import_with_cli(journal_json(years), journal_file(years))
        print(
            f"  {years:>2}-year journal: {sum(counts.values())} entries "
            f"({', '.join(f'{n} {k}' for k, n in counts.items())}), "
            f"imported in {sample.seconds:.2f} s"
        )
    empty = OUT / "journal-empty.json"
    empty.write_text(json.dumps({"format": "onset-journal", "version": 1}) + "\n")
    import_with_cli(empty, EMPTY_JOURNAL)


# -- rows -------------------------------------------------------------------------------------


@dataclass
class Row:
    what: str
    budget: str
    how: str
    measured: str = "—"
    floor: str = "—"
    ratio: str = "—"
    result: str = "not available yet"
    notes: list[str] = field(default_factory=list)

    @property
    def failed(self) -> bool:
        return self.result == "FAIL"


def median(values: Sequence[float]) -> float:
    return statistics.median(values)


def seconds_text(samples: Sequence[Sample]) -> str:
    times = [s.seconds for s in samples]
    return f"{median(times):.3f} s ({min(times):.3f}–{max(times):.3f})"


def memory_text(samples: Sequence[Sample]) -> str:
    values = [s.max_rss_kb / 1024 for s in samples]
    return f"{median(values):.1f} MB ({min(values):.1f}–{max(values):.1f})"


def judge_ratio(row: Row, app: float, floor: float, limit: float) -> None:
    ratio = app / floor
    row.ratio = f"{ratio:.2f}×"
    row.result = "PASS" if ratio <= limit else "FAIL"


def smoke_command(journal: Path, *extra: str, importtime: bool = False) -> list[str]:
    flags = ["-X", "importtime"] if importtime else []
    return [PYTHON, *flags, str(MAIN), "--journal", str(journal), "--smoke", *extra]


def probe(command: list[str], name: str) -> Sample:
    """One untimed run with -X importtime: does the feature exist, and what does it load?"""
    sample = run_child(command)
    (OUT / f"importtime-{name}.txt").write_text(sample.stderr)
    return sample


def first_window_notes(sample: Sample) -> list[str]:
    modules = imported_modules(sample.stderr)
    heavy = sorted({m.split(".")[0] for m in modules if m.split(".")[0] in HEAVY})
    ui = [m for m in modules if m.startswith("tracker.ui")]
    notes = [
        "first window loads "
        + (", ".join(heavy) + " (should load later)" if heavy else "none of " + ", ".join(HEAVY)),
        f"tracker.ui modules loaded: {', '.join(ui) or 'none'}",
    ]
    if ui == ["tracker.ui", "tracker.ui.app.launch"]:
        notes.append("this is still the placeholder window of tracker/ui/app/launch.py")
    return notes


def row_smoke(runs: int, warmup: int) -> Row:
    row = Row(
        "`main.py --smoke`, 10-year journal, wall time",
        "≤ 1.5× floor",
        "median wall time of whole processes, alternated with floors/bare_qt.py "
        "(bare PySide6: one QMainWindow shown, quit by the same rule as --smoke)",
    )
    found = probe(smoke_command(journal_file(10), importtime=True), "smoke")
    if found.code != 0:
        row.notes.append(f"main.py --smoke failed: {last_line(found.stderr)}")
        return row
    row.notes += first_window_notes(found)
    app, floor = measure_pair(
        smoke_command(journal_file(10)), [PYTHON, str(FLOORS / "bare_qt.py")], runs, warmup
    )
    row.measured, row.floor = seconds_text(app), seconds_text(floor)
    judge_ratio(row, median([s.seconds for s in app]), median([s.seconds for s in floor]), 1.5)
    return row


def row_smoke_30(runs: int, warmup: int) -> Row:
    row = Row(
        "`main.py --smoke`, 30-year journal against an empty one",
        "≤ 1.1× floor",
        "median wall time, 30-year journal alternated with the same command on an empty journal",
    )
    found = run_child(smoke_command(EMPTY_JOURNAL))
    if found.code != 0:
        row.notes.append(f"main.py --smoke failed: {last_line(found.stderr)}")
        return row
    app, floor = measure_pair(
        smoke_command(journal_file(30)), smoke_command(EMPTY_JOURNAL), runs, warmup
    )
    row.measured, row.floor = seconds_text(app), seconds_text(floor) + " (empty journal)"
    judge_ratio(row, median([s.seconds for s in app]), median([s.seconds for s in floor]), 1.1)
    return row


def chart_range_note() -> str:
    """Say whether the Charts view still opens on the range the floor plots."""
    source = REPO / "tracker" / "ui" / "pages" / "charts.py"
    found = re.search(r'^DEFAULT_RANGE = "(\d+) days"', source.read_text(), re.MULTILINE)
    if found and int(found.group(1)) == CHART_DAYS:
        return f"the Charts view opens on {CHART_DAYS} days, as the floor plots"
    return (
        f"could not confirm that the Charts view opens on {CHART_DAYS} days (DEFAULT_RANGE in "
        "tracker/ui/pages/charts.py): update CHART_DAYS in benchmarks/run.py"
    )


def rows_charts(runs: int, warmup: int) -> list[Row]:
    timing = Row(
        "`--smoke --view charts`, 10-year journal, wall time",
        "≤ 1.5× floor",
        "median wall time, alternated with floors/bare_charts.py (FigureCanvasQTAgg in a shown "
        f"window plotting the same points, read from the 10-year JSON: the last {CHART_DAYS} "
        "days, the Charts view's default range)",
    )
    memory = Row(
        "peak memory, `--smoke --view charts`, 10-year journal",
        "≤ 1.3× floor",
        "median ru_maxrss of each child (os.wait4 on that child alone), same runs as above",
    )
    found = probe(smoke_command(journal_file(10), "--view", "charts", importtime=True), "charts")
    reason = ""
    if found.code != 0:
        reason = f"main.py --smoke --view charts failed: {last_line(found.stderr)}"
    elif not any(
        m.startswith("matplotlib.backends.backend_qt") for m in imported_modules(found.stderr)
    ):
        reason = "main.py --smoke --view charts ran but drew no matplotlib Qt canvas"
    if reason:
        timing.notes.append(reason)
        memory.notes.append("see the row above")
        return [timing, memory]
    timing.notes.append(chart_range_note())
    app, floor = measure_pair(
        smoke_command(journal_file(10), "--view", "charts"),
        [
            PYTHON,
            str(FLOORS / "bare_charts.py"),
            str(journal_json(10)),
            "--days",
            str(CHART_DAYS),
        ],
        runs,
        warmup,
    )
    timing.measured, timing.floor = seconds_text(app), seconds_text(floor)
    judge_ratio(timing, median([s.seconds for s in app]), median([s.seconds for s in floor]), 1.5)
    memory.measured, memory.floor = memory_text(app), memory_text(floor)
    judge_ratio(
        memory,
        median([s.max_rss_kb for s in app]),
        median([s.max_rss_kb for s in floor]),
        1.3,
    )
    return [timing, memory]


def row_pdf(runs: int, warmup: int) -> Row:
    row = Row(
        "`export pdf`, 1-year journal, wall time",
        "≤ 2× floor",
        "median wall time, alternated with floors/bare_pdf.py (imports matplotlib's Figure and "
        "Agg canvas and fpdf2, writes a one-line PDF)",
    )
    report = OUT / "report-1y.pdf"
    report.unlink(missing_ok=True)
    command = [
        PYTHON, str(MAIN), "export", "pdf", "--out", str(report), "--journal", str(journal_file(1))
    ]  # fmt: skip
    found = probe([PYTHON, "-X", "importtime", *command[1:]], "pdf")
    if found.code != 0:
        row.notes.append(f"export pdf failed: {last_line(found.stderr)}")
        return row
    if not report.exists() or not report.read_bytes().startswith(b"%PDF"):
        row.notes.append("export pdf exited 0 but wrote no PDF")
        return row
    app, floor = measure_pair(
        command, [PYTHON, str(FLOORS / "bare_pdf.py"), str(OUT / "floor.pdf")], runs, warmup
    )
    row.measured, row.floor = seconds_text(app), seconds_text(floor)
    judge_ratio(row, median([s.seconds for s in app]), median([s.seconds for s in floor]), 2.0)
    return row


def row_import(runs: int, warmup: int) -> Row:
    row = Row(
        "`import` of the 10-year JSON",
        "≤ 3 s",
        "median wall time of `main.py import` into a new journal (removed before each run, "
        "outside the timing)",
    )
    target = OUT / "import-10y.onset"
    command = [PYTHON, str(MAIN), "import", str(journal_json(10)), "--journal", str(target)]
    samples = measure_alone(command, runs, warmup, before=lambda: remove_journal(target))
    row.measured = seconds_text(samples)
    row.result = "PASS" if median([s.seconds for s in samples]) <= 3.0 else "FAIL"
    return row


SYNC_CALLS = ("fsync", "fdatasync", "sync_file_range", "msync")
ONE_SYNC = "one transaction, one fsync"


def count_syncs(trace: str, saves: int) -> list[list[str]]:
    """For each save, the sync calls strace saw between its begin and end markers."""
    found: list[list[str]] = [[] for _ in range(saves)]
    current: int | None = None
    for line in trace.splitlines():
        marker = re.search(r"onset-benchmark-marker/(begin|end)-(\d+)", line)
        if marker:
            current = int(marker.group(2)) if marker.group(1) == "begin" else None
            continue
        call = re.search(r"\b(" + "|".join(SYNC_CALLS) + r")\((\d+)(<([^>]*)>)?", line)
        if call and current is not None:
            target = f"fd {call.group(2)}"
            if call.group(4):
                path = Path(call.group(4))
                target = f"folder {path.name}/" if path.is_dir() else path.name
            found[current].append(f"{call.group(1)}({target})")
    return found


def rows_save(saves: int = 300) -> list[Row]:
    """Count transactions and syncs of each of `saves` check-ins saved in one session."""
    how = (
        f"Journal.add (the Today view's call) {saves} times in one child on a copy of the "
        "10-year journal; BEGIN/COMMIT from sqlite3's trace callback; fsync/fdatasync by "
        "`strace -f -y` between marker calls around each save"
    )
    typical = Row("saving one check-in in the running app (a typical save)", ONE_SYNC, how)
    first = Row(
        "saving one check-in: the first save after opening the journal",
        "— (SQLite WAL upkeep)",
        "same child, save 1",
        result="info",
    )
    checkpoint = Row(
        "saving one check-in: the save that triggers SQLite's automatic checkpoint",
        "— (SQLite WAL upkeep)",
        "same child: saves that also synced the main journal file, and the save after each",
        result="info",
    )
    rows = [typical, first, checkpoint]
    copy = OUT / "save-10y.onset"
    remove_journal(copy)
    shutil.copyfile(journal_file(10), copy)
    script = [PYTHON, str(HERE / "save_checkin.py"), str(copy), "--saves", str(saves)]
    strace = shutil.which("strace")
    trace_file = OUT / "save-checkin.strace"
    calls = ",".join((*SYNC_CALLS, "access", "faccessat", "faccessat2"))
    flags = ["-f", "-qq", "-y", "-e", f"trace={calls}", "-o", str(trace_file)]
    command = [strace, *flags, *script] if strace else script
    result = subprocess.run(
        command, capture_output=True, text=True, env=child_env(), cwd=REPO, timeout=600
    )
    why_no_strace = "" if strace else "strace is not installed (apt-get install strace)"
    if result.returncode != 0 and strace:
        why_no_strace = f"strace could not trace here: {last_line(result.stderr)}"
        remove_journal(copy)
        shutil.copyfile(journal_file(10), copy)
        result = subprocess.run(script, capture_output=True, text=True, env=child_env(), cwd=REPO)
    if result.returncode != 0:
        typical.result = "FAIL"
        typical.notes.append(f"saving failed: {last_line(result.stderr)}")
        return rows
    statements = json.loads(result.stdout)["saves"]
    one_transaction = [
        sum(1 for s in done if s.upper().startswith("BEGIN")) == 1
        and sum(1 for s in done if s.upper().startswith("COMMIT")) == 1
        for done in statements
    ]
    transactions_ok = all(one_transaction)
    transactions = (
        f"1 transaction each of {saves}"
        if transactions_ok
        else f"{one_transaction.count(False)} of {saves} saves were not exactly one transaction"
    )
    if why_no_strace:
        typical.measured = transactions + "; syncs not counted"
        typical.notes.append(f"syncs not counted: {why_no_strace}")
        typical.result = "PASS (transactions only)" if transactions_ok else "FAIL"
        first.notes.append("see the row above")
        checkpoint.notes.append("see the row above")
        return rows

    syncs = count_syncs(trace_file.read_text(), saves)
    main_file = copy.name
    checkpoints = [i for i in range(1, saves) if f"({main_file})" in " ".join(syncs[i])]
    after = [i + 1 for i in checkpoints if i + 1 < saves]
    usual = [i for i in range(1, saves) if i not in checkpoints and i not in after]
    counts = sorted({len(syncs[i]) for i in usual})
    typical.measured = f"{transactions}; {'/'.join(map(str, counts))} sync per save"
    typical.notes.append(
        f"{len(usual)} typical saves (all but the first, the checkpoint saves and the save "
        f"after each): sync calls per save {counts}, e.g. {', '.join(syncs[usual[0]])}"
        if usual
        else "no typical save was measured"
    )
    typical.result = "PASS" if usual and transactions_ok and counts == [1] else "FAIL"
    first.measured = f"1 transaction, {len(syncs[0])} sync calls"
    first.notes.append("sync calls: " + ", ".join(syncs[0]))
    if checkpoints:
        checkpoint.measured = (
            f"{len(syncs[checkpoints[0]])} sync calls, then "
            f"{len(syncs[after[0]]) if after else '?'} on the next save"
        )
        checkpoint.notes.append(
            f"saves {', '.join(str(i + 1) for i in checkpoints)} of {saves} checkpointed: "
            + "; ".join(f"save {i + 1}: {', '.join(syncs[i])}" for i in checkpoints + after)
        )
    else:
        checkpoint.measured = f"no automatic checkpoint in {saves} saves"
    return rows


# -- report -----------------------------------------------------------------------------------


def machine() -> dict[str, str]:
    versions = subprocess.run(
        [
            PYTHON,
            "-c",
            "import json, PySide6, PySide6.QtCore as q, matplotlib, fpdf; print(json.dumps("
            "[PySide6.__version__, q.qVersion(), matplotlib.__version__, fpdf.__version__]))",
        ],
        capture_output=True,
        text=True,
        env=child_env(),
    )
    pyside, qt, mpl, fpdf = (
        json.loads(versions.stdout) if versions.returncode == 0 else ["?", "?", "?", "?"]
    )
    cpu = platform.processor() or "unknown"
    cpuinfo = Path("/proc/cpuinfo")
    if cpuinfo.exists():
        for line in cpuinfo.read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    return {
        "date": datetime.now().astimezone().isoformat(timespec="seconds"),
        "nproc": str(len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else "?"),
        "cpu": cpu,
        "system": f"{platform.system()} {platform.release()}",
        "python": platform.python_version(),
        "qt": f"Qt {qt} (PySide6 {pyside})",
        "libraries": f"matplotlib {mpl}, fpdf2 {fpdf}",
    }


def render(rows: Sequence[Row], about: dict[str, str], runs: int, warmup: int) -> str:
    lines = [
        "# Onset benchmarks",
        "",
        f"- date: {about['date']}",
        f"- machine: {about['nproc']} CPUs ({about['cpu']}), {about['system']}",
        f"- Python {about['python']}, {about['qt']}, {about['libraries']}",
        f"- load average at start / end: {about['load_start']} / {about['load_end']}",
        f"- {warmup} warm-up + {runs} measured runs per benchmark, alternated with the floor; "
        "times are medians (min–max)",
        "",
        "| what | measured | floor | ratio | budget | result |",
        "|---|---|---|---|---|---|",
    ]
    for row in rows:
        lines.append(
            f"| {row.what} | {row.measured} | {row.floor} | {row.ratio} | {row.budget} | "
            f"{row.result} |"
        )
    lines += ["", "## How each row was measured", ""]
    for number, row in enumerate(rows, 1):
        lines.append(f"{number}. {row.what}: {row.how}.")
        lines += [f"   - {note}" for note in row.notes]
    return "\n".join(lines) + "\n"


ROWS: dict[str, Callable[[int, int], list[Row]]] = {
    "smoke": lambda runs, warmup: [row_smoke(runs, warmup)],
    "smoke30": lambda runs, warmup: [row_smoke_30(runs, warmup)],
    "charts": rows_charts,
    "pdf": lambda runs, warmup: [row_pdf(runs, warmup)],
    "import": lambda runs, warmup: [row_import(runs, warmup)],
    "save": lambda runs, warmup: rows_save(),
}


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Onset benchmarks and budgets")
    parser.add_argument("--runs", type=int, default=7, help="measured runs per benchmark")
    parser.add_argument("--warmup", type=int, default=1, help="warm-up runs, not counted")
    parser.add_argument(
        "--only", default=",".join(ROWS), help=f"comma-separated rows: {', '.join(ROWS)}"
    )
    args = parser.parse_args(argv)
    chosen = [name.strip() for name in args.only.split(",") if name.strip()]
    unknown = [name for name in chosen if name not in ROWS]
    if unknown or args.runs < 1 or args.warmup < 0:
        parser.error(f"unknown rows: {', '.join(unknown)}" if unknown else "--runs must be ≥ 1")

    about = machine()
    about["load_start"] = " ".join(f"{v:.2f}" for v in os.getloadavg())
    print("preparing journals in benchmarks/out/ …")
    prepare_journals()
    rows: list[Row] = []
    for name in chosen:
        print(f"measuring {name} …", flush=True)
        try:
            rows += ROWS[name](args.runs, args.warmup)
        except ChildFailed as exc:
            rows.append(Row(name, "—", "—", result="FAIL", notes=[str(exc)]))
    about["load_end"] = " ".join(f"{v:.2f}" for v in os.getloadavg())
    text = render(rows, about, args.runs, args.warmup)
    (OUT / "results.md").write_text(text, encoding="utf-8")
    print()
    print(text)
    print(f"written to {OUT / 'results.md'}")
    return 1 if any(row.failed for row in rows) else 0


if __name__ == "__main__":
    sys.exit(main())
