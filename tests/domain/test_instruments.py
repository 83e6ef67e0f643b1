"""The instruments against the clinical reference: item text verbatim, codes, every total."""

from __future__ import annotations

import copy
import json
import re
from pathlib import Path
from typing import Any

import pytest

from tests.core_support import FIXTURES, REPO
from tracker.domain.entries import Assessment
from tracker.domain.instruments import (
    Instrument,
    InstrumentDefinitionError,
    instrument,
    instruments,
    parse_instrument,
)
from tracker.domain.times import parse_at

SHARED_REFERENCE = REPO.parent / "shared" / "clinical-reference.md"
COPY_REFERENCE = FIXTURES / "clinical-reference.md"
DEFINITIONS = REPO / "resources" / "instruments"

# The bands as the issue states them: an oracle written apart from both the data and the doc.
BANDS = {
    "GAD-7": [(0, 4, "minimal"), (5, 9, "mild"), (10, 14, "moderate"), (15, 21, "severe")],
    "PHQ-9": [
        (0, 4, "minimal"),
        (5, 9, "mild"),
        (10, 14, "moderate"),
        (15, 19, "moderately severe"),
        (20, 27, "severe"),
    ],
}


def reference_text() -> str:
    """The shared reference beside the clone, else the copy saved with the tests."""
    path = SHARED_REFERENCE if SHARED_REFERENCE.is_file() else COPY_REFERENCE
    return path.read_text(encoding="utf-8")


def section(text: str, heading: str) -> str:
    start = text.index(f"## {heading}")
    following = text.find("\n## ", start + 1)
    return text[start : following if following != -1 else len(text)]


def table_rows(block: str) -> list[list[str]]:
    """The body rows of the first markdown table in `block`, as lists of cell texts."""
    rows: list[list[str]] = []
    for line in block.splitlines():
        if not line.startswith("|"):
            if rows:
                break
            continue
        cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
        rows.append(cells)
    _header, rule, *body = rows
    assert set(rule) <= {"---"}, rule
    return body


def parsed_reference() -> dict[str, dict[str, Any]]:
    """Every fact the reference states about GAD-7 and PHQ-9, read from its text."""
    text = reference_text()
    gad, phq = section(text, "GAD-7"), section(text, "PHQ-9")
    gad_flat, phq_flat = " ".join(gad.split()), " ".join(phq.split())

    def found(pattern: str, flat: str) -> re.Match[str]:
        match = re.search(pattern, flat)
        assert match is not None, pattern
        return match

    options = [
        (int(value), label, code)
        for label, value, code in re.findall(r"([A-Z][a-z ]+?) = (\d) \((LA[\d-]+)\)", gad_flat)
    ]
    difficulty = found(r"Not difficult at all(?: / [A-Z][a-z]+ difficult)+", gad_flat).group(0)

    def bands(flat: str) -> list[tuple[int, int, str]]:
        line = found(r"Severity: (.+?)\.", flat).group(1)
        return [
            (int(lo), int(hi), word.strip())
            for lo, hi, word in re.findall(r"(\d+)–(\d+) ([a-z– ]+)", line)
        ]

    gad_rows, phq_rows = table_rows(gad), table_rows(phq)
    return {
        "GAD-7": {
            "stem": found(r'Stem: "(.+?)"', gad_flat).group(1),
            "items": [(int(n), item) for n, item, _ in gad_rows],
            "item_loinc": {int(n): loinc for n, _, loinc in gad_rows},
            "options": options,
            "difficulty": [o.strip() for o in difficulty.split("/")],
            "difficulty_text": gad_flat,
            "panel": found(r"Panel LOINC (\d+-\d)", gad_flat).group(1),
            "total": found(r"total score LOINC (\d+-\d)", gad_flat).group(1),
            "max_total": int(found(r"Total 0–(\d+)", gad_flat).group(1)),
            "bands": bands(gad_flat),
        },
        "PHQ-9": {
            "stem_end": found(r'stem \("…(.+?)"\)', phq_flat).group(1),
            "items": [(int(n), item) for n, item in phq_rows],
            "item_loinc": {9: found(r"item 9 LOINC (\d+-\d)", phq_flat).group(1)},
            "options": options,  # "Same answer scale"
            "panel": found(r"Panel LOINC (\d+-\d)", phq_flat).group(1),
            "total": found(r"total LOINC (\d+-\d)", phq_flat).group(1),
            "max_total": int(found(r"Total 0–(\d+)", phq_flat).group(1)),
            "bands": bands(phq_flat),
        },
    }


REFERENCE = parsed_reference()


def test_the_saved_copy_of_the_reference_matches_the_shared_one() -> None:
    if not SHARED_REFERENCE.is_file():
        pytest.skip("shared/clinical-reference.md is not beside this clone")
    assert COPY_REFERENCE.read_text(encoding="utf-8") == SHARED_REFERENCE.read_text(
        encoding="utf-8"
    ), "tests/fixtures/clinical-reference.md is out of date: copy the shared one again"


def test_the_reference_parses_into_what_the_issue_states() -> None:
    """Guards the parser itself: a table it misread would make the checks below vacuous."""
    assert len(REFERENCE["GAD-7"]["items"]) == 7
    assert len(REFERENCE["PHQ-9"]["items"]) == 9
    assert [o[0] for o in REFERENCE["GAD-7"]["options"]] == [0, 1, 2, 3]
    assert REFERENCE["GAD-7"]["max_total"] == 21
    assert REFERENCE["PHQ-9"]["max_total"] == 27
    assert [(low, high) for low, high, _ in REFERENCE["GAD-7"]["bands"]] == [
        (low, high) for low, high, _ in BANDS["GAD-7"]
    ]
    assert [(low, high) for low, high, _ in REFERENCE["PHQ-9"]["bands"]] == [
        (low, high) for low, high, _ in BANDS["PHQ-9"]
    ]


@pytest.mark.parametrize("name", ["GAD-7", "PHQ-9"])
def test_item_text_is_verbatim_from_the_reference(name: str) -> None:
    definition = instrument(name)
    assert [(i.number, i.text) for i in definition.items] == REFERENCE[name]["items"]


@pytest.mark.parametrize("name", ["GAD-7", "PHQ-9"])
def test_loinc_codes_match_the_reference(name: str) -> None:
    definition = instrument(name)
    expected = REFERENCE[name]
    assert definition.panel_loinc == expected["panel"]
    assert definition.total_loinc == expected["total"]
    for number, code in expected["item_loinc"].items():
        assert definition.items[number - 1].loinc == code
    assert [(o.value, o.label, o.loinc) for o in definition.options] == expected["options"]


def test_loinc_codes_as_the_issue_lists_them() -> None:
    gad, phq = instrument("GAD-7"), instrument("PHQ-9")
    assert (gad.panel_loinc, gad.total_loinc) == ("69737-5", "70274-6")
    assert (phq.panel_loinc, phq.total_loinc) == ("44249-1", "44261-6")
    assert phq.items[8].loinc == "44260-8"
    assert [i.loinc for i in gad.items] == [
        "69725-0",
        "68509-9",
        "69733-4",
        "69734-2",
        "69735-9",
        "69689-8",
        "69736-7",
    ]
    assert [o.loinc for o in gad.options] == ["LA6568-5", "LA6569-3", "LA6570-1", "LA6571-9"]
    assert phq.options == gad.options


def test_stems_and_difficulty_answers_match_the_reference() -> None:
    gad, phq = instrument("GAD-7"), instrument("PHQ-9")
    assert gad.stem == REFERENCE["GAD-7"]["stem"]
    # PHQ-9: "same stem", ending "…bothered by any of the following problems?"
    shared_start = gad.stem[: gad.stem.index("bothered by")]
    tail = REFERENCE["PHQ-9"]["stem_end"]
    assert phq.stem == shared_start + tail
    assert gad.difficulty_options == tuple(REFERENCE["GAD-7"]["difficulty"])
    assert phq.difficulty_options == gad.difficulty_options
    assert gad.difficulty_text in REFERENCE["GAD-7"]["difficulty_text"]


@pytest.mark.parametrize("name", ["GAD-7", "PHQ-9"])
def test_bands_match_the_reference(name: str) -> None:
    definition = instrument(name)
    ours = [(b.min, b.max, b.label) for b in definition.bands]
    assert ours == REFERENCE[name]["bands"]
    assert [(b.min, b.max, b.severity) for b in definition.bands] == BANDS[name]
    assert definition.max_total == REFERENCE[name]["max_total"]
    assert definition.cut_point == 10


def answers_for(total: int, items: int) -> list[list[int]]:
    """Two different answer patterns that add up to `total`: front-loaded and back-loaded."""
    front = [min(3, max(0, total - 3 * i)) for i in range(items)]
    return [front, front[::-1]]


@pytest.mark.parametrize("name", ["GAD-7", "PHQ-9"])
def test_every_possible_total_gets_its_band(name: str) -> None:
    definition = instrument(name)
    expected = {t: word for low, high, word in BANDS[name] for t in range(low, high + 1)}
    assert sorted(expected) == list(range(definition.max_total + 1))
    at = parse_at("2026-01-05T09:00")
    for total, severity in expected.items():
        label = next(b.label for b in definition.bands if b.min <= total <= b.max)
        for answers in answers_for(total, len(definition.items)):
            assert sum(answers) == total
            assert definition.score(answers) == total
            assessment = Assessment(name, at, tuple(answers))
            assert (assessment.total, assessment.severity) == (total, severity), total
            assert assessment.problems() == []
            document = assessment.to_json()
            assert (document["total"], document["severity"]) == (total, severity)
        assert definition.describe(total) == f"{name} total {total} ({label} range)"
    for outside in (-1, definition.max_total + 1):
        with pytest.raises(ValueError):
            definition.band(outside)


def test_every_gad7_answer_pattern_scores_as_its_sum() -> None:
    gad = instrument("GAD-7")
    for code in range(4**7):
        answers = [(code // 4**i) % 4 for i in range(7)]
        assert gad.score(answers) == sum(answers)


@pytest.mark.parametrize(
    "answers",
    [[1] * 6, [1] * 8, [4, 0, 0, 0, 0, 0, 0], [-1, 0, 0, 0, 0, 0, 0], [True] * 7, [1.0] * 7],
)
def test_score_refuses_answers_that_are_not_seven_whole_numbers_0_to_3(answers: list[Any]) -> None:
    with pytest.raises(ValueError):
        instrument("GAD-7").score(answers)


def test_only_phq9_item_9_is_a_safety_item() -> None:
    assert instrument("PHQ-9").safety_items == (9,)
    assert instrument("GAD-7").safety_items == ()


# -- definitions are data, checked when loaded -------------------------------------------


def test_every_shipped_definition_loads() -> None:
    files = sorted(DEFINITIONS.glob("*.json"))
    assert len(files) >= 2
    loaded = [parse_instrument(json.loads(p.read_text(encoding="utf-8")), p) for p in files]
    assert {i.id for i in loaded} == set(instruments()) >= {"GAD-7", "PHQ-9"}
    assert all(isinstance(i, Instrument) for i in loaded)


def gad7_data() -> dict[str, Any]:
    return json.loads((DEFINITIONS / "gad7.json").read_text(encoding="utf-8"))


def _overlap(data: dict[str, Any]) -> None:
    data["bands"][1]["max"] = 10


def _gap(data: dict[str, Any]) -> None:
    data["bands"][2]["min"] = 11


def _numbering(data: dict[str, Any]) -> None:
    data["items"][3]["number"] = 5


def _short_bands(data: dict[str, Any]) -> None:
    data["bands"][-1]["max"] = 20


def _late_start(data: dict[str, Any]) -> None:
    data["bands"][0]["min"] = 1


def _no_items(data: dict[str, Any]) -> None:
    data["items"] = []


def _option_order(data: dict[str, Any]) -> None:
    data["options"][1], data["options"][2] = data["options"][2], data["options"][1]


def _missing_key(data: dict[str, Any]) -> None:
    del data["total_loinc"]


def _safety_item(data: dict[str, Any]) -> None:
    data["safety_items"] = [8]


@pytest.mark.parametrize(
    ("breaks", "says"),
    [
        (_overlap, "overlap or gap"),
        (_gap, "overlap or gap"),
        (_numbering, "items not 1..n"),
        (_short_bands, "end at the maximum"),
        (_late_start, "start at 0"),
        (_no_items, "no items"),
        (_option_order, "answer values"),
        (_missing_key, "malformed"),
        (_safety_item, "safety item"),
    ],
)
def test_a_broken_definition_is_refused(breaks: Any, says: str) -> None:
    data = copy.deepcopy(gad7_data())
    parse_instrument(copy.deepcopy(data), Path("gad7.json"))  # the untouched one is fine
    breaks(data)
    with pytest.raises(InstrumentDefinitionError, match=re.escape(says)) as caught:
        parse_instrument(data, Path("broken.json"))
    assert "broken.json" in str(caught.value)
