"""Hostile import files: every one is read cleanly or refused with a ValidationError whose
every problem has a place and a message; never a traceback, never a half-changed journal."""

from __future__ import annotations

import contextlib
import io
import json
import random
import re
import shutil
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, event, find, given, settings
from hypothesis import strategies as st

from tracker.cli import main as cli_main
from tracker.domain.entries import BY_SECTION, MEDICATION_CLASSES, ROUTES
from tracker.domain.errors import ValidationError
from tracker.io.journal_json import read_document, read_json_file
from tracker.journal import ALL_KINDS, Journal

SECTIONS = tuple(BY_SECTION)
PLACE = re.compile(r"^(format|version|\w+(\[\d+\])?(\.\w+(\[\d+\])?)*)$")

# -- what a file may hold ----------------------------------------------------------------------

scalars = (
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=True, allow_infinity=True)
    | st.text(max_size=20)
)
any_json = st.recursive(
    scalars,
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=10), inner, max_size=4)
    ),
    max_leaves=10,
)
hostile = st.one_of(
    scalars,
    any_json,
    st.sampled_from(
        [
            None,
            True,
            0,
            -1,
            11,
            3.5,
            10**15 + 1,
            10**400,
            -(10**400),
            1e308,
            -0.0,
            float("nan"),
            float("inf"),
            "",
            " ",
            "x" * 25_000,
            "\ud800",
            "nausea\x00",
            "2026-02-30T10:00",
            "2026-01-01T24:00",
            "2026-01-01",
            "2026-01-01T10:00+25:00",
            "2026-01-01T10:00:00.5",
            "0000-01-01T00:00",
            [],
            {},
            [1],
            [300, 80],
            [80, 120],
            [120, 80, 60],
            ["120", "80"],
            "GAD-7",
            "PHQ-9",
            "iv",
            "mild",
            "other:",
            "other:" + "y" * 300,
            [3] * 7,
            [3] * 9,
            [4] * 7,
            list(range(100)),
        ]
    ),
)


def good_entries(seed: int = 7, count: int = 60) -> dict[str, list[dict[str, Any]]]:
    """Valid entries of every kind, made once: drawing them is cheap, so the examples go to
    the mutations, which are what find bugs."""
    chance = random.Random(seed)

    def at() -> str:
        # 1995 to 2025: every time before the import (one more than a day ahead is refused).
        moment = datetime(1995, 1, 1) + timedelta(minutes=chance.randrange(60 * 24 * 365 * 30))
        return moment.strftime("%Y-%m-%dT%H:%M" if chance.random() < 0.7 else "%Y-%m-%dT%H:%M:%S")

    def some(value: Any) -> Any:
        return value if chance.random() < 0.5 else None

    pools: dict[str, list[dict[str, Any]]] = {section: [] for section in SECTIONS}
    for _ in range(count):
        pools["checkins"].append(
            {
                "at": at(),
                "anxiety": chance.randint(0, 10),
                "mood": some(chance.randint(0, 10)),
                "sleep_hours": some(round(chance.uniform(0, 24), 2)),
                "note": some("tense ✓ day"),
            }
        )
        name, items = chance.choice([("GAD-7", 7), ("PHQ-9", 9)])
        pools["assessments"].append(
            {
                "instrument": name,
                "at": at(),
                "answers": [chance.randint(0, 3)] * items,
                "difficulty": some(chance.randint(0, 3)),
            }
        )
        pools["sessions"].append(
            {
                "at": at(),
                "route": chance.choice(ROUTES),
                "dose_mg": some(35.0),
                "bp_before": some([chance.randint(100, 180), chance.randint(50, 95)]),
                "heart_rate_after": some(chance.randint(40, 150)),
                "clinic": some("North"),
            }
        )
        pools["side_effects"].append(
            {
                "at": at(),
                "effect": chance.choice(["nausea", "headache", "other:tingling"]),
                "severity": chance.choice(["mild", "moderate", "severe"]),
                "duration_min": some(chance.randint(0, 600)),
            }
        )
        name = chance.choice(["lorazepam", "Sertraline", "zolpidem"])
        started = at()[:10]
        pools["medications"].append(
            {
                "name": name,
                "class": chance.choice(MEDICATION_CLASSES),
                "dose_mg": some(1.0),
                "schedule": "as_needed",
                "started": started,
                "stopped": some("2025-12-31"),
                "note": some("from Dr. K"),
            }
        )
        pools["medication_doses"].append(
            {"at": at(), "medication": name, "dose_mg": some(0.5), "note": some("")}
        )
        pools["planned_sessions"].append(
            {"at": at(), "route": chance.choice(ROUTES), "note": some("booster")}
        )
    return pools


POOLS = good_entries()
FIELD_NAMES = sorted(
    {name for t in BY_SECTION.values() for name in t.RULES} | {"total", "severity", "id", "extra"}
)


@st.composite
def near_valid(draw: st.DrawFn) -> dict[str, Any]:
    """A good document with a few things wrong in it: values, types, missing fields, sections."""
    document: dict[str, Any] = {"format": "onset-journal", "version": 1}
    for section in SECTIONS:
        if draw(st.booleans()):
            picked = draw(st.lists(st.sampled_from(POOLS[section]), max_size=3))
            document[section] = [dict(item) for item in picked]
    for _ in range(draw(st.integers(0, 4))):
        where = draw(st.sampled_from([*SECTIONS, "format", "version", "document"]))
        items = document.get(where)
        if where == "document":
            document[draw(st.text(max_size=8))] = draw(hostile)
        elif isinstance(items, list) and any(isinstance(i, dict) for i in items):
            item = draw(st.sampled_from([i for i in items if isinstance(i, dict)]))
            name = draw(st.sampled_from(FIELD_NAMES))
            if draw(st.integers(0, 5)) == 0:
                item.pop(name, None)
            else:
                item[name] = draw(hostile)
        else:
            document[where] = draw(hostile)
    return document


documents = st.one_of(near_valid(), near_valid(), near_valid(), any_json)


# -- what must hold ----------------------------------------------------------------------------


def verdict(data: object) -> list[tuple[str, Any]] | None:
    """Read a parsed document; None when refused, after checking the refusal says enough."""
    try:
        placed = read_document(data)
    except ValidationError as exc:
        assert exc.problems
        for problem in exc.problems:
            assert isinstance(problem.message, str) and problem.message.strip()
            assert isinstance(problem.place, str)
            if isinstance(data, dict):
                assert PLACE.match(problem.place), problem
            str(problem).encode("utf-8")  # printable as it stands
        if isinstance(data, dict) and {p.place for p in exc.problems} & {"format", "version"}:
            return None
        # Past the header, every bad entry is named, not just the first one found.
        named = {p.place.split(".")[0] for p in exc.problems}
        for section, entry_type in BY_SECTION.items():
            items = data.get(section) if isinstance(data, dict) else None
            for index, item in enumerate(items if isinstance(items, list) else []):
                try:
                    entry_type.from_json(item)
                except ValidationError:
                    assert f"{section}[{index}]" in named
        return None
    for place, entry in placed:
        assert re.fullmatch(r"\w+\[\d+\]", place) and entry.problems() == []
        # What was accepted exports to something that is accepted again.
        read_document({"format": "onset-journal", "version": 1, entry.SECTION: [entry.to_json()]})
    return placed


@settings(max_examples=2000, deadline=None, database=None)
@given(documents)
def test_any_document_is_read_or_refused_with_every_problem_placed(data: object) -> None:
    event("accepted" if verdict(data) is not None else "refused")


# -- the whole import, from bytes on disk to the journal ---------------------------------------


@pytest.fixture(scope="module")
def workspace(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One folder for every example (hypothesis runs them all inside one test call)."""
    folder = tmp_path_factory.mktemp("fuzz")
    with Journal.open(folder / "base.onset", create=True, backups=False) as journal:
        journal.add_checkin("2026-01-05T21:10", 6, note="already here")
        journal.add_session("2026-01-06T10:00", "iv", dose_mg=35.0)
    return folder


def stored(path: Path) -> dict[str, list[dict[str, Any]]]:
    with Journal.open(path, backups=False) as journal:
        return {kind: [e.to_json() for e in journal.entries(kind)] for kind in ALL_KINDS}


def as_bytes(data: object, style: int) -> bytes:
    text = json.dumps(data, ensure_ascii=bool(style & 1), allow_nan=True)
    encoded = text.encode("utf-8", "surrogatepass")
    return b"\xef\xbb\xbf" + encoded if style & 2 else encoded


raw_files = st.one_of(
    st.tuples(documents, st.integers(0, 3)).map(lambda pair: as_bytes(*pair)),
    st.binary(max_size=200),
    st.tuples(near_valid(), st.integers(0, 3), st.data()).map(
        lambda t: mangle(as_bytes(t[0], t[1]), t[2])
    ),
)


def mangle(raw: bytes, data: st.DataObject) -> bytes:
    """Cut, splice or overwrite a few bytes of a file that was nearly right."""
    if not raw:
        return raw
    at = data.draw(st.integers(0, len(raw) - 1))
    how = data.draw(st.integers(0, 2))
    if how == 0:
        return raw[:at]
    junk = data.draw(st.binary(min_size=1, max_size=8))
    return raw[:at] + junk + raw[at + (len(junk) if how == 1 else 0) :]


@settings(
    max_examples=150,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(raw_files)
def test_the_whole_import_takes_a_file_cleanly_or_leaves_the_journal_as_it_was(
    workspace: Path, raw: bytes
) -> None:
    path = workspace / "journal.onset"
    for leftover in workspace.glob("journal.onset*"):
        leftover.unlink()
    shutil.copyfile(workspace / "base.onset", path)
    source = workspace / "import.json"
    source.write_bytes(raw)
    before = stored(path)

    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = cli_main(["import", str(source), "--journal", str(path)])

    after = stored(path)
    event(f"exit status {code}")
    if code == 0:
        assert out.getvalue().startswith("imported ") and err.getvalue() == ""
        assert all(entry in after[kind] for kind in ALL_KINDS for entry in before[kind])
    else:
        assert code == 1 and after == before
        said = err.getvalue()
        assert said.startswith("onset: ") and "Traceback" not in said
        lines = said.splitlines()
        if lines[0] == "onset: the data was refused; nothing was written:":
            assert len(lines) > 1 and all(
                line.startswith("  ") and line.strip() for line in lines[1:]
            )
        else:
            assert str(source) in said


# -- the cases named in the brief, each once ---------------------------------------------------

GOOD = b'{"format": "onset-journal", "version": 1, "checkins": [%s]}'
CASES: dict[str, tuple[bytes, str | None]] = {
    "deep nesting": (b"[" * 100_000 + b"]" * 100_000, "nested too deeply"),
    "deep inside an entry": (
        GOOD
        % (
            b'{"at": "2026-01-01T10:00", "anxiety": 1, "note": '
            + b"[" * 50_000
            + b"]" * 50_000
            + b"}"
        ),
        "nested too deeply",
    ),
    "a number too long to read": (
        GOOD % (b'{"at": "2026-01-01T10:00", "anxiety": ' + b"9" * 5000 + b"}"),
        "number too long",
    ),
    "a number past every float": (
        GOOD % (b'{"at": "2026-01-01T10:00", "anxiety": ' + b"9" * 400 + b"}"),
        "anxiety: is far too large a number",
    ),
    "NaN": (GOOD % b'{"at": "2026-01-01T10:00", "anxiety": NaN}', "holds NaN"),
    "Infinity where nothing reads it": (
        b'{"format": "onset-journal", "version": 1, "exported_at": -Infinity}',
        "holds -Infinity",
    ),
    "not UTF-8": (
        GOOD % '{"at": "2026-01-01T10:00", "anxiety": 1, "note": "café"}'.encode("latin-1"),
        "not a text file in UTF-8",
    ),
    "UTF-16": ('{"format": "onset-journal", "version": 1}'.encode("utf-16"), "UTF-8"),
    "a byte-order mark": (
        b"\xef\xbb\xbf" + GOOD % b'{"at": "2026-01-01T10:00", "anxiety": 1}',
        None,
    ),
    "a key twice": (
        GOOD % b'{"at": "2026-01-01T10:00", "anxiety": 1, "anxiety": 9}',
        'the key "anxiety" twice',
    ),
    "a lone surrogate": (
        GOOD % b'{"at": "2026-01-01T10:00", "anxiety": 1, "note": "\\ud800"}',
        "note: contains a broken character",
    ),
    "an enormous string": (
        GOOD % (b'{"at": "2026-01-01T10:00", "anxiety": 1, "note": "' + b"x" * 5_000_000 + b'"}'),
        "note: is longer than 20000 characters",
    ),
    "wrong types everywhere": (
        b'{"format": "onset-journal", "version": 1, "checkins": [{"at": 5, "anxiety": "6", '
        b'"mood": [], "sleep_hours": {}, "note": 7}], "sessions": {"at": 1}}',
        "checkins[0].at",
    ),
    "an empty file": (b"", "not valid JSON"),
    "JSON but not a journal": (b"[1, 2, 3]", "a list at the top"),
}


@pytest.mark.parametrize("case", CASES)
def test_each_kind_of_hostile_file_gets_a_clear_answer(
    case: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    raw, words = CASES[case]
    source = tmp_path / "import.json"
    source.write_bytes(raw)
    journal = tmp_path / "journal.onset"
    code = cli_main(["import", str(source), "--journal", str(journal)])
    err = capsys.readouterr().err
    if words is None:
        assert code == 0 and err == ""
        return
    assert code == 1 and words in err and "Traceback" not in err
    assert not journal.exists()  # a refused first import makes no journal
    with pytest.raises(ValidationError):
        read_document(read_json_file(source))


def test_the_generated_documents_include_accepted_and_refused_ones() -> None:
    """The generator is neither so gentle nor so hostile that one answer never comes."""
    quick = settings(max_examples=500, database=None)
    accepted = find(near_valid(), lambda d: len(verdict(d) or []) >= 2, settings=quick)
    assert read_document(accepted)
    refused = find(
        near_valid(),
        lambda d: verdict(d) is None and isinstance(d.get("checkins"), list),
        settings=quick,
    )
    with pytest.raises(ValidationError):
        read_document(refused)
