"""The report's own layout pieces: quick line breaks, long tables, charts drawn directly.

Each replaces a slower fpdf2 route (multi_cell() measuring, table(), SVG import), so each
is checked against what that route did or what matplotlib means to draw.
"""

from __future__ import annotations

import io
import shutil
import subprocess
from datetime import date, datetime
from pathlib import Path
from typing import Any

import pytest
from fpdf.drawing_primitives import convert_to_device_color
from matplotlib.figure import Figure
from PIL import Image

from tracker.io.report_data import SECTIONS, ReportContent
from tracker.io.report_pdf import CELL_PADDING, FONT, HEAD_FILL, ZEBRA, SummaryPdf

SENTENCES = [
    "PHQ-9 item 9 (thoughts that you would be better off dead or of hurting yourself in some "
    "way) answered “Several days” on 23 October 2026.",
    "Median time to relief⁵: 1.0 hours; median time until relief ended: 2.5 days "
    "(open-ended relief counted at its last rating, a lower bound).",
    "¹ Baseline: the last assessment taken before the first treatment session started.",
    "Café with Zoë, felt almost normal.",
    "23 Apr 2026 10:00",
    "Intravenous infusion",
    "36.8 mg (0.5 mg/kg)",
    "6 (own rating before)",
    "open-ended: still relief at the last rating",
    "moderately severe",
    "0",
    "Anxiety before → after (0–10)",
    # Not plain words: these go to multi_cell() itself.
    "Dissoc\u00adiation (0–10)",
    "total 15 (severe range)\n21 December 2025\n(not taken before treatment)",
    "Supercalifragilisticexpialidocious-and-then-some-more-letters",
    "two  spaces",
]


def _content() -> ReportContent:
    return ReportContent(
        start=date(2026, 1, 1),
        end=date(2026, 3, 31),
        made=datetime(2026, 4, 1, 9, 0).astimezone(),
        patient_name=None,
        provider_name=None,
        sections=SECTIONS,
        include_notes=False,
        empty=False,
    )


def _pdf() -> SummaryPdf:
    pdf = SummaryPdf(_content())
    pdf.add_page()
    return pdf


def test_quick_line_breaks_match_multi_cell() -> None:
    pdf = _pdf()
    # Body text, table text, headings and the questionnaires' stems.
    for style, size in (("", 9.5), ("", 8.0), ("B", 8.0), ("I", 7.8)):
        pdf.set_font(FONT, style, size)
        for width in (18.0, 25.4, 31.0, 178.0):
            for padding in (None, CELL_PADDING):
                for text in SENTENCES:
                    quick = [line.text for line in pdf._lines(text, width, padding)]
                    slow = pdf.multi_cell(
                        width,
                        size,
                        text,
                        padding=padding or 0,
                        dry_run=True,
                        output="LINES",
                    )
                    assert quick == slow, (text, width, style, size, padding)
    # Plain text is broken by the quick path, not handed on to multi_cell().
    assert pdf._break_words(SENTENCES[0].split(" "), 60.0) is not None
    pdf.output()  # closes the font files


def test_a_long_table_repeats_its_heading_on_every_page_and_shades_every_second_row() -> None:
    from pypdf import PdfReader

    pdf = _pdf()
    pdf.set_compression(False)
    rows = [[f"Row {n:03d}", "a note" + " with a few words" * (n % 4)] for n in range(150)]
    # A note longer than a page runs on over pages rather than off the bottom of one.
    rows[100][1] = " ".join(f"w{n:03d}" for n in range(700))
    pdf.data_table(["When", "Written"], rows, [40, 60])
    data = bytes(pdf.output())
    reader = PdfReader(io.BytesIO(data))
    seen_rows, seen_words, lowest = [], [], []
    for page in reader.pages:
        text = " ".join(page.extract_text().split())
        assert text.startswith(("Appointment summary", "When Written"))
        assert "When Written" in text
        words = text.split()
        seen_rows += [w for w in words if len(w) == 3 and w.isdigit()]
        seen_words += [w for w in words if len(w) == 4 and w[0] == "w" and w[1:].isdigit()]
        heights = _text_heights(page)
        lowest.append(min(heights))
    # Every row once, in order, never split across a page; the long note whole and in order.
    assert seen_rows == [f"{n:03d}" for n in range(150)]
    assert seen_words == [f"w{n:03d}" for n in range(700)]
    # Nothing runs into the bottom margin (18 mm, in points), where the footer sits.
    assert min(lowest) > 18 * 72 / 25.4
    shade = convert_to_device_color(*ZEBRA).serialize().lower().encode()
    heading = convert_to_device_color(*HEAD_FILL).serialize().lower().encode()
    assert data.count(shade) >= 75  # a shaded row run on over pages is shaded on each
    assert data.count(heading) == len(reader.pages)


def _text_heights(page: Any) -> list[float]:
    """How high above the page's foot each piece of text sits (points), footer left out."""
    found: list[float] = []

    def visit(text: str, cm: Any, tm: Any, font: Any, size: Any) -> None:
        if text.strip() and "Page" not in text and "patient-kept" not in text:
            found.append(cm[5] + tm[5])

    page.extract_text(visitor_text=visit)
    return found


needs_pdftoppm = pytest.mark.skipif(
    shutil.which("pdftoppm") is None, reason="pdftoppm not found (Debian's poppler-utils)"
)


@needs_pdftoppm
def test_charts_are_drawn_as_matplotlib_means_them(tmp_path: Path) -> None:
    """A black fill at half opacity is mid-grey, translucent markers are darker where they
    overlap, and text is text."""
    from pypdf import PdfReader

    figure = Figure(figsize=(2, 1), dpi=100)
    ax = figure.add_axes((0, 0, 1, 1))
    ax.set_axis_off()
    ax.set_xlim(0, 1)
    ax.set_ylim(0, 1)
    ax.axhspan(0, 0.5, color="black", alpha=0.5, linewidth=0)
    ax.plot([0.3, 0.4], [0.75, 0.75], "o", markersize=20, color="black", alpha=0.5, mew=0)
    ax.text(0.7, 0.75, "Label", fontsize=8)
    pdf = _pdf()
    left, top = pdf.l_margin, pdf.get_y()
    pdf.chart(figure, 50.8, 25.4)
    out = tmp_path / "chart.pdf"
    pdf.output(str(out))
    assert "Label" in PdfReader(out).pages[0].extract_text()
    subprocess.run(
        ["pdftoppm", "-r", "100", "-png", "-singlefile", str(out), str(tmp_path / "page")],
        check=True,
        timeout=60,
    )
    page = Image.open(tmp_path / "page.png").convert("L")

    def grey(fx: float, fy: float) -> int:
        """The page's grey level at a point given as a fraction of the figure."""
        x_mm, y_mm = left + fx * 50.8, top + (1 - fy) * 25.4
        value = page.getpixel((round(x_mm / 25.4 * 100), round(y_mm / 25.4 * 100)))
        assert isinstance(value, int)
        return value

    assert abs(grey(0.5, 0.25) - 128) < 8
    single, overlap = grey(0.27, 0.75), grey(0.35, 0.75)
    assert abs(single - 128) < 8
    assert abs(overlap - 64) < 8
    assert grey(0.5, 0.75) > 250
