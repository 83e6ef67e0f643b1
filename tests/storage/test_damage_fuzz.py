"""Random damage in stored rows of a one-year journal: every read path survives it.

Each round writes damage into one to nine stored rows (bytes, text that is not UTF-8,
NULLs, values out of range, wrong types, impossible times) past the tables' own rules, as a
failing disk or another program could. Then, in this process, every way the journal is read
(what the History, Today and Charts pages read, summary, the JSON, CSV and FHIR exports, the
PDF's content) must finish, name the damaged rows, and still hold every undamaged entry.
Some rounds also run the app's `--smoke` on every view and `export json` as processes.

Which damage goes where is dealt, not drawn: every kind of damage on every column of every
table is one card of a shuffled deck, and the rounds deal the deck out, so that each
(column, damage) pair is written at least once per run. Drawn at random, 300 rounds (586
damaged rows) reached every column but only 246 of the 373 pairs; the deck reaches all of
them in 80 rounds.
"""

from __future__ import annotations

import importlib.util
import json
import random
import shutil
import sqlite3
import subprocess
import sys
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from datetime import date
from pathlib import Path
from types import ModuleType

import pytest

from tests.core_support import REPO, python_env
from tracker.io.journal_json import read_document
from tracker.journal import KINDS, Journal
from tracker.storage.repository import _COLUMNS, TABLES

# One round (a copy of the journal, its damage, every read path) costs about 0.25 s; the
# deck below has 373 cards. Round r damages 1 + r % 9 rows (a single damaged row every
# ninth round, up to nine at once), 396 in 80 rounds: the whole deck and a few more.
ROUNDS = 80
# Each process round runs two processes (about 1.5 s) beside the rounds in this process,
# on the other core: 8 of them, carrying 1 to 8 damaged rows, finish before the rounds do.
PROCESS_EVERY = 10
# Rendering adds about 0.4 s; its content is gathered every round. Offset from the process
# rounds, so that other damage goes through the renderer: 8 rounds, 40 damaged rows.
PDF_EVERY = 10
PDF_AT = 5
NOT_NULL = {"at", "sort_at", "anxiety", "instrument", "answers", "total", "route"}
NOT_NULL |= {"effect", "severity", "fingerprint"}


def _make_journal_module() -> ModuleType:
    spec = importlib.util.spec_from_file_location(
        "make_journal_for_fuzz", REPO / "benchmarks" / "make_journal.py"
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # its dataclasses look their module up by name
    try:
        spec.loader.exec_module(module)
    finally:
        del sys.modules[spec.name]
    return module


@pytest.fixture(scope="module")
def year(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("fuzz") / "year.onset"
    document = _make_journal_module().make_journal(1)
    with Journal.open(path, create=True, backups=False) as journal:
        journal.import_entries(read_document(document))
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.execute("PRAGMA journal_mode = DELETE")  # one file, copied whole each round
    conn.close()
    return path


# Each kind of damage: an SQL expression and its parameters, for one column of one row.
Damage = tuple[str, tuple[object, ...]]
DAMAGES: dict[str, Callable[[random.Random], Damage]] = {
    "text that is not UTF-8": lambda rng: (
        "CAST(? AS TEXT)",
        (bytes(rng.randrange(128, 256) for _ in range(rng.randint(1, 6))),),
    ),
    "a blob": lambda rng: ("?", (bytes(rng.randrange(256) for _ in range(rng.randint(0, 12))),)),
    "an integer out of range": lambda rng: (
        "?",
        (rng.choice([-1, 11, 99, -(10**12), 10**15, 2**63 - 1]),),
    ),
    "a real out of range": lambda rng: (
        "?",
        (rng.choice([5.5, -0.25, 1e308, float("inf"), -float("inf")]),),
    ),
    "odd text": lambda rng: (
        "?",
        (rng.choice(["", "x", "high", "9999-12-31T23:59", "0001-01-01T00:00", "\x00"]),),
    ),
    "odd JSON": lambda rng: (
        "?",
        (rng.choice(["[1,2]", "[]", "{", "[3,3,3,3,3,3,3,3,3,3]", '["a"]', "null"]),),
    ),
    "a name of something else": lambda rng: (
        "?",
        (rng.choice(["BDI", "GAD-7", "PHQ-9", "teleport", "severe", "<b>"]),),
    ),
    "an impossible time": lambda rng: (
        "?",
        (rng.choice(["2026-02-30T10:00", "2026-13-01T00:00", "9999-12-31T09:00:00"]),),
    ),
    "NULL": lambda rng: ("NULL", ()),  # only where the table allows it
}
Card = tuple[str, str, str]  # kind, column, damage


def deck() -> list[Card]:
    """Every kind of damage on every column of every table (but an assessment's stored
    total, which no read takes: the total is worked out from the answers)."""
    return [
        (kind, column, name)
        for kind in KINDS
        for column in _COLUMNS[kind]
        if column != "total"
        for name in DAMAGES
        if name != "NULL" or column not in NOT_NULL
    ]


def deal(rounds: int) -> list[list[Card]]:
    """The cards of each round: the deck shuffled (the same way every run) and dealt out,
    1 + r % 9 cards to round r; a fresh shuffle of it once it runs out."""
    rng = random.Random("damage deck")
    cards: list[Card] = []
    dealt = []
    for round_ in range(rounds):
        hand = []
        for _ in range(1 + round_ % 9):
            if not cards:
                cards = deck()
                rng.shuffle(cards)
            hand.append(cards.pop())
        dealt.append(hand)
    return dealt


def damage(
    conn: sqlite3.Connection, rng: random.Random, hand: list[Card]
) -> tuple[dict[str, set[int]], list[str]]:
    """Write each card's damage into a row of its table, a different row for each; return
    the ids touched, by kind, and what was done (for a failure's message)."""
    touched: dict[str, set[int]] = {kind: set() for kind in KINDS}
    done = []
    conn.execute("PRAGMA ignore_check_constraints = ON")
    for kind, column, name in hand:
        table = TABLES[kind]
        ids = [r[0] for r in conn.execute(f"SELECT id FROM {table}")]
        entry_id = rng.choice([i for i in ids if i not in touched[kind]])
        expression, params = DAMAGES[name](rng)
        conn.execute(
            f"UPDATE {table} SET {column} = {expression} WHERE id = ?", (*params, entry_id)
        )
        touched[kind].add(entry_id)
        done.append(f"{table} {entry_id}: {column} = {name} {params!r}")
    return touched, done


def _all_history(journal: Journal) -> Iterator[tuple[str, int]]:
    offset = 0
    while True:
        page = journal.history_page(limit=97, offset=offset)
        if not page:
            return
        for entry in page:
            assert entry.id is not None
            yield entry.KIND, entry.id
        offset += len(page)


def read_everything(journal: Journal, out: Path, *, render_pdf: bool) -> dict[str, set[int]]:
    """Every read path; the ids each kind's full read gives back."""
    from tracker.charts.data import describe_items, describe_trajectory, items_data, trajectory_data
    from tracker.io.csv_export import export_csv
    from tracker.io.fhir import export_bundle
    from tracker.io.journal_json import dumps, export_document
    from tracker.io.report_data import SECTIONS, gather

    present = {kind: {e.id for e in journal.entries(kind) if e.id is not None} for kind in KINDS}
    history = list(_all_history(journal))
    assert len(history) == len(set(history)), "a history page repeated an entry"
    assert {(k, i) for k in KINDS for i in present[k]} == set(history)
    assert journal.history_count() >= len(history)
    # What the Today and Charts pages ask for.
    today = date.today()
    journal.history_page(("checkin",), today, today, limit=1)
    for instrument_id in ("GAD-7", "PHQ-9"):
        journal.latest_assessment(instrument_id)
    data = trajectory_data(journal, None, None)
    describe_trajectory(data)
    describe_items(items_data(data))
    journal.relief()
    json.dumps(journal.summary())
    document = export_document(journal)
    dumps(document)
    export_csv(journal, out / "csv")
    json.dumps(export_bundle(journal, None, None))
    content = gather(
        journal,
        start=None,
        end=None,
        patient_name="Jo",
        provider_name=None,
        include_notes=True,
        sections=SECTIONS,
    )
    if render_pdf:
        from tracker.io.report_pdf import render

        assert render(content).startswith(b"%PDF")
    return present


def run(args: list[str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "main.py", *args],
        cwd=REPO,
        env=python_env() | {"QT_QPA_PLATFORM": "offscreen"},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def as_processes(journal: Path, damaged: list[str]) -> list[str]:
    """`--smoke --view all` (every page built and shown in turn) and `export json`, each on
    its own copy of a journal with this damage; what went wrong, if anything."""
    wrong = []
    for name in ("all", "export"):
        copy = journal.parent / name / journal.name
        copy.parent.mkdir()
        shutil.copyfile(journal, copy)
        if name == "export":
            args = ["export", "json", "--out", str(copy.parent / "out.json"), "--journal"]
        else:
            args = ["--smoke", "--view", name, "--journal"]
        ran = run([*args, str(copy)])
        allowed = (0, 3) if name == "export" else (0,)
        if ran.returncode not in allowed or "Traceback" in ran.stderr:
            wrong.append(
                f"{journal.parent.name} ({'; '.join(damaged)}), {name}: "
                f"exit {ran.returncode}\n{ran.stderr}"
            )
    return wrong


def test_the_rounds_deal_every_kind_of_damage_on_every_column() -> None:
    cards = deck()
    assert len(cards) == len(set(cards))
    assert {name for _, _, name in cards} == set(DAMAGES)
    assert {(kind, column) for kind, column, _ in cards} == {
        (kind, column) for kind in KINDS for column in _COLUMNS[kind] if column != "total"
    }
    dealt = [card for hand in deal(ROUNDS) for card in hand]
    # When a column or a kind of damage is added, ROUNDS has to grow with the deck.
    assert set(dealt) == set(cards), f"{len(cards)} cards, {len(dealt)} dealt"


@pytest.mark.slow
def test_random_damage_in_stored_rows_never_stops_a_read(year: Path, tmp_path: Path) -> None:
    with Journal.open(year, backups=False) as journal:
        everything = {kind: {e.id for e in journal.entries(kind)} for kind in KINDS}
    assert sum(map(len, everything.values())) > 500
    assert all(len(ids) > 9 for ids in everything.values()), "a round damages up to nine"
    # The processes run one at a time beside the rounds in this process: both cores work.
    processes = ThreadPoolExecutor(max_workers=1)
    launched = []
    for round_, hand in enumerate(deal(ROUNDS)):
        rng = random.Random(round_)
        folder = tmp_path / f"round {round_}"
        folder.mkdir()
        path = folder / "journal.onset"
        shutil.copyfile(year, path)
        conn = sqlite3.connect(path, isolation_level=None)
        touched, done = damage(conn, rng, hand)
        conn.close()
        with Journal.open(path, backups=False) as journal:
            present = read_everything(journal, folder, render_pdf=round_ % PDF_EVERY == PDF_AT)
            named = {(u.kind, u.entry_id) for u in journal.scan_unreadable()}
        for kind in KINDS:
            undamaged = everything[kind] - touched[kind]
            assert undamaged <= present[kind], (round_, done, kind, undamaged - present[kind])
            # Every row is either read or named as unreadable, never silently dropped.
            assert {i for k, i in named if k == kind} | present[kind] == everything[kind], (
                round_,
                done,
            )
        if round_ % PROCESS_EVERY == 0:
            kept = tmp_path / f"processes {round_}" / path.name
            kept.parent.mkdir()
            shutil.copyfile(path, kept)
            launched.append(processes.submit(as_processes, kept, done))
        shutil.rmtree(folder)
    processes.shutdown(wait=True)
    assert len(launched) == ROUNDS // PROCESS_EVERY
    assert [line for job in launched for line in job.result()] == []
