"""Lay the appointment summary out as a PDF with fpdf2.

Only imported by `tracker.io.report.write_report`, so fpdf and matplotlib load when a
report is made and never on the way to the first window. Every sentence and figure comes
from `ReportContent`; this module decides only where it goes and how it looks.
"""

from __future__ import annotations

import io
import re
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import matplotlib
from fpdf import FPDF
from fpdf.enums import TableBordersLayout, XPos, YPos
from fpdf.fonts import FontFace

from tracker.domain.catalogue import SEVERITIES, effect_label
from tracker.domain.entries import ROUTE_LABELS, TreatmentSession
from tracker.domain.instruments import instruments
from tracker.domain.onset import SOURCE_BEFORE
from tracker.domain.thresholds import ONSET_DEFINITIONS
from tracker.domain.times import wall_clock
from tracker.io.report_data import (
    FOOTER_LINE,
    KEY_HEADINGS,
    SECTION_TITLES,
    TITLE,
    ReportContent,
    date_time,
    days_text,
    dose_text,
    hours_text,
    long_date,
    number,
    short_date,
)

FONT = "DejaVu"
MM_PER_INCH = 25.4
# Calm greys and one muted blue; every meaning is also carried by words or weight, so the
# report reads the same printed in black and white.
TEXT = (33, 37, 41)
MUTED = (98, 106, 114)
ACCENT = (39, 76, 102)
RULE = (196, 202, 208)
HEAD_FILL = (231, 235, 239)
ZEBRA = (246, 247, 249)
BODY_PT = 9.5
TABLE_PT = 8
SMALL_PT = 7
CHART_MIN_MM = 78
CHART_MAX_MM = 110
# A section starts on a fresh page unless this much room is left on the current one.
SECTION_START_MM = 90


def _font_folder() -> Path:
    return Path(matplotlib.get_data_path()) / "fonts" / "ttf"


def figure_svg(figure: Any) -> io.BytesIO:
    """A matplotlib figure as SVG with its text drawn as outlines, ready for FPDF.image()."""
    buffer = io.BytesIO()
    with matplotlib.rc_context({"svg.fonttype": "path", "svg.hashsalt": "onset-report"}):
        figure.savefig(buffer, format="svg", metadata={"Date": None})
    # fpdf2 has no use for the <metadata> block and logs a warning for it: leave it out.
    svg = re.sub(rb"<metadata>.*?</metadata>\s*", b"", buffer.getvalue(), flags=re.DOTALL)
    return io.BytesIO(svg)


def duration_text(minutes: int | None) -> str:
    if minutes is None:
        return "—"
    days, rest = divmod(minutes, 24 * 60)
    hours, mins = divmod(rest, 60)
    parts = []
    if days:
        parts.append(f"{days} d")
    if hours:
        parts.append(f"{hours} h")
    if mins or not parts:
        parts.append(f"{mins} min")
    return " ".join(parts)


def _pair(before: Any, after: Any) -> str:
    if before is None and after is None:
        return "—"
    return f"{'—' if before is None else before} → {'—' if after is None else after}"


def _bp(value: tuple[int, int] | None) -> str:
    return "—" if value is None else f"{value[0]}/{value[1]}"


class SummaryPdf(FPDF):
    """An A4 page set with the report's header, footer and text styles."""

    def __init__(self, content: ReportContent):
        super().__init__(orientation="P", unit="mm", format="A4")
        self.content = content
        self.set_margins(16, 15, 16)
        self.set_auto_page_break(True, margin=18)
        folder = _font_folder()
        self.add_font(FONT, "", str(folder / "DejaVuSans.ttf"))
        self.add_font(FONT, "B", str(folder / "DejaVuSans-Bold.ttf"))
        self.add_font(FONT, "I", str(folder / "DejaVuSans-Oblique.ttf"))
        self.set_text_color(*TEXT)
        self.set_draw_color(*RULE)
        self.set_line_width(0.2)

    # -- page furniture --------------------------------------------------------------------

    def header(self) -> None:
        if self.page_no() == 1:
            return
        self.set_font(FONT, "", SMALL_PT)
        self.set_text_color(*MUTED)
        who = f" · {self.content.patient_name}" if self.content.patient_name else ""
        self.cell(0, 4, f"{TITLE}{who} · {self.content.period_text}")
        self.ln(5)
        self.line(self.l_margin, self.get_y(), self.w - self.r_margin, self.get_y())
        self.ln(4)
        self.set_text_color(*TEXT)

    def footer(self) -> None:
        self.set_y(-13)
        self.line(self.l_margin, self.get_y(), self.w - self.r_margin, self.get_y())
        self.ln(1.5)
        self.set_font(FONT, "", SMALL_PT)
        self.set_text_color(*MUTED)
        self.cell(self.epw * 0.7, 4, FOOTER_LINE)
        self.cell(self.epw * 0.3, 4, f"Page {self.page_no()} of {{nb}}", align="R")
        self.set_text_color(*TEXT)

    # -- text ------------------------------------------------------------------------------

    def room(self) -> float:
        return float(self.page_break_trigger - self.get_y())

    def keep(self, height: float) -> None:
        """Start a new page unless `height` mm still fit on this one."""
        if self.room() < height:
            self.add_page()

    def heading(self, text: str, size: float = 11.5, before: float = 3.5) -> None:
        self.keep(size * 0.6 + 22)
        if self.get_y() > self.t_margin + 12:
            self.ln(before)
        self.set_font(FONT, "B", size)
        self.set_text_color(*ACCENT)
        self.multi_cell(0, size * 0.5, text, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        self.set_text_color(*TEXT)
        self.ln(1.2)

    def para(
        self,
        words: str,
        size: float = BODY_PT,
        style: str = "",
        muted: bool = False,
        indent: float = 0,
        after: float = 0.8,
    ) -> None:
        self.set_font(FONT, style, size)
        if muted:
            self.set_text_color(*MUTED)
        self.set_x(self.l_margin + indent)
        self.multi_cell(
            self.epw - indent, size * 0.46, words, align="L", new_x=XPos.LMARGIN, new_y=YPos.NEXT
        )
        self.set_text_color(*TEXT)
        if after:
            self.ln(after)

    def text_height(self, words: str, size: float, indent: float = 0, style: str = "") -> float:
        self.set_font(FONT, style, size)
        lines = self.multi_cell(
            self.epw - indent, size * 0.46, words, align="L", dry_run=True, output="LINES"
        )
        assert isinstance(lines, list)
        return float(len(lines) * size * 0.46)

    def data_table(
        self,
        headings: Sequence[str],
        rows: Sequence[Sequence[str]],
        widths: Sequence[float],
        *,
        align: Sequence[str] | None = None,
        bold: set[tuple[int, int]] | None = None,
        size: float = TABLE_PT,
    ) -> None:
        """A table whose heading row repeats on every page it runs onto."""
        self.set_font(FONT, "", size)
        self.set_draw_color(*RULE)
        self.set_fill_color(255, 255, 255)
        heading_style = FontFace(emphasis="BOLD", color=TEXT, fill_color=HEAD_FILL)
        strong = FontFace(emphasis="BOLD")
        self.keep(size * 0.46 * 4 + 8)
        with self.table(
            col_widths=tuple(widths),
            text_align=tuple(align) if align else "LEFT",
            line_height=size * 0.46,
            padding=(1.1, 1.4),
            borders_layout=TableBordersLayout.HORIZONTAL_LINES,
            cell_fill_color=ZEBRA,
            cell_fill_mode="EVEN_ROWS",
            headings_style=heading_style,
            repeat_headings=1,
            v_align="TOP",
        ) as table:
            head = table.row()
            for text in headings:
                head.cell(text)
            for r, values in enumerate(rows):
                row = table.row()
                for c, text in enumerate(values):
                    row.cell(text, style=strong if bold and (r, c) in bold else None)
        self.ln(2)

    def chart(self, figure: Any, width: float, height: float) -> None:
        self.image(figure_svg(figure), x=self.l_margin, y=self.get_y(), w=width, h=height)
        self.set_y(self.get_y() + height + 1)


# -- page 1 ---------------------------------------------------------------------------------


def _title_block(pdf: SummaryPdf) -> None:
    content = pdf.content
    top = pdf.get_y()
    pdf.set_font(FONT, "", SMALL_PT + 1)
    pdf.set_text_color(*MUTED)
    pdf.cell(0, 8, f"Made on {long_date(content.made)}", align="R")
    pdf.set_xy(pdf.l_margin, top)
    pdf.set_font(FONT, "B", 16)
    pdf.set_text_color(*ACCENT)
    pdf.cell(pdf.epw * 0.7, 8, TITLE, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.set_text_color(*TEXT)
    if content.patient_name:
        pdf.set_font(FONT, "B", 13)
        pdf.multi_cell(0, 6.5, content.patient_name, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.ln(0.8)
    line = f"Period: {content.period_text}"
    if content.provider_name:
        line += f"   ·   Prepared for: {content.provider_name}"
    pdf.para(line, after=0.2)
    pdf.para("From the patient's own Onset journal.", size=SMALL_PT + 1, muted=True, after=0)
    pdf.ln(1.5)
    pdf.line(pdf.l_margin, pdf.get_y(), pdf.w - pdf.r_margin, pdf.get_y())
    pdf.ln(0.5)


def _key_figures(pdf: SummaryPdf) -> None:
    content = pdf.content
    pdf.heading("Questionnaires: change over treatment")
    rows = content.key_rows()
    bold = {(r, 0) for r in range(len(rows))}
    pdf.data_table(KEY_HEADINGS, rows, [15, 35, 35, 31, 20, 21, 21], bold=bold)


def _safety(pdf: SummaryPdf) -> None:
    content = pdf.content
    lines = content.safety_lines()
    flagged = bool(content.safety_answers)
    style = "B" if flagged else ""
    height = sum(pdf.text_height(line, BODY_PT, 4, style) + 0.6 for line in lines) + 1
    pdf.keep(height + 4)
    top = pdf.get_y()
    for line in lines:
        pdf.para(line, style=style, indent=4, after=0.6)
    bottom = pdf.get_y()
    # A solid bar beside the statement: visible in black and white as well as in colour.
    pdf.set_fill_color(*(TEXT if flagged else RULE))
    pdf.rect(pdf.l_margin, top - 0.4, 1.2 if flagged else 0.7, bottom - top, style="F")
    pdf.set_fill_color(255, 255, 255)
    pdf.ln(1)


def _treatment(pdf: SummaryPdf) -> None:
    content = pdf.content
    pdf.heading("Treatment, onset of relief and side effects")
    for line in [*content.session_lines(), content.onset_line(), *content.side_effect_lines()]:
        pdf.para(line, size=9, after=0.5)


def _footnotes_text(content: ReportContent) -> list[str]:
    return [f"{mark} {text}" for mark, text in content.definitions()]


def _trajectory_and_footnotes(pdf: SummaryPdf) -> None:
    content = pdf.content
    notes = _footnotes_text(content)
    notes_height = sum(pdf.text_height(n, SMALL_PT) + 0.4 for n in notes) + 3
    pdf.heading("Over time", before=2.5)
    height = min(CHART_MAX_MM, pdf.room() - notes_height - 2)
    if height < CHART_MIN_MM:
        # Too little room left on page 1: the chart keeps a readable size on the next page.
        _footnotes(pdf, notes)
        pdf.add_page()
        height = CHART_MAX_MM
    from tracker.charts.figures import trajectory_figure

    width = pdf.epw
    figure = trajectory_figure(
        content.trajectory, dark=False, width_in=width / MM_PER_INCH, height_in=height / MM_PER_INCH
    )
    pdf.chart(figure, width, height)
    if pdf.page_no() == 1:
        # Footnotes sit at the foot of page 1, where a reader expects them.
        pdf.set_y(max(pdf.get_y(), pdf.page_break_trigger - notes_height))
        _footnotes(pdf, notes)


def _footnotes(pdf: SummaryPdf, notes: Sequence[str]) -> None:
    pdf.ln(1.5)
    pdf.line(pdf.l_margin, pdf.get_y(), pdf.l_margin + 40, pdf.get_y())
    pdf.ln(1)
    for note in notes:
        pdf.para(note, size=SMALL_PT, muted=True, after=0.4)


def _first_page(pdf: SummaryPdf) -> None:
    _title_block(pdf)
    if pdf.content.empty:
        pdf.ln(4)
        pdf.para(pdf.content.empty_text())
        return
    _key_figures(pdf)
    _safety(pdf)
    _treatment(pdf)
    _trajectory_and_footnotes(pdf)


# -- later sections -------------------------------------------------------------------------


def _new_section(pdf: SummaryPdf, title: str) -> None:
    """Page 1 stands alone; later sections share a page when there is room for a start."""
    if pdf.page_no() == 1 or pdf.room() < SECTION_START_MM:
        pdf.add_page()
    else:
        pdf.ln(6)
    pdf.heading(title, size=13)


def _onset_section(pdf: SummaryPdf) -> None:
    content = pdf.content
    _new_section(pdf, SECTION_TITLES["onset"])
    for key in ("pre_level", "relief", "durability"):
        pdf.para(ONSET_DEFINITIONS[key], size=SMALL_PT + 0.6, muted=True, after=0.5)
    onset = content.onset
    if onset is None or not onset.per_session:
        pdf.para("No sessions in this period.")
        return
    pdf.ln(1.5)
    pdf.para(content.onset_line(marked=False))
    if onset.sessions_analysed:
        from tracker.charts.figures import onset_figure

        height = 92.0
        pdf.keep(height + 2)
        figure = onset_figure(
            onset, dark=False, width_in=pdf.epw / MM_PER_INCH, height_in=height / MM_PER_INCH
        )
        pdf.chart(figure, pdf.epw, height)
    rows = []
    for item in onset.per_session:
        source = (
            "own rating before"
            if item.pre_level_source == SOURCE_BEFORE
            else (item.pre_level_source)
        )
        level = "—" if item.pre_level is None else f"{number(item.pre_level)} ({source})"
        if not item.analysable:
            relief, ended, note = "—", "—", item.reason or "not analysable"
        elif item.hours_to_relief is None:
            relief, ended, note = "no relief", "—", ""
        else:
            relief = hours_text(item.hours_to_relief)
            ended = "—"
            if item.relief_ended_after_days is not None:
                ended = days_text(item.relief_ended_after_days)
            note = "open-ended: still relief at the last rating" if item.open_ended else ""
        rows.append(
            [
                date_time(item.session_at),
                ROUTE_LABELS.get(item.route, item.route),
                level,
                relief,
                ended,
                note,
            ]
        )
    pdf.data_table(
        ["Session", "Route", "Pre-session level", "Time to relief", "Relief ended after", "Note"],
        rows,
        [24, 28, 30, 20, 22, 44],
    )


def _session_row(session: TreatmentSession) -> list[str]:
    return [
        date_time(session.at),
        ROUTE_LABELS.get(session.route, session.route),
        dose_text(session),
        duration_text(session.duration_min),
        _bp(session.bp_before),
        _bp(session.bp_after),
        _pair(session.heart_rate_before, session.heart_rate_after),
        _pair(session.anxiety_before, session.anxiety_after),
        "—" if session.dissociation is None else str(session.dissociation),
    ]


def _sessions_section(pdf: SummaryPdf) -> None:
    content = pdf.content
    _new_section(pdf, SECTION_TITLES["sessions"])
    if not content.sessions:
        pdf.para("No treatment sessions in this period.")
        return
    pdf.data_table(
        [
            "Date",
            "Route",
            "Dose",
            "Length",
            "BP before (mmHg)",
            "BP after (mmHg)",
            "Heart rate before → after",
            "Anxiety before → after (0–10)",
            "Dissoc­iation (0–10)",
        ],
        [_session_row(s) for s in content.sessions],
        [22, 28, 23, 14, 16, 16, 19, 20, 18],
        align=["LEFT", "LEFT", "LEFT", "LEFT", "CENTER", "CENTER", "CENTER", "CENTER", "CENTER"],
    )
    pdf.para(
        "Dissociation is the patient's own 0–10 rating, not the clinician-rated CADSS. "
        "Blood pressure and heart rate are as the patient wrote them down.",
        size=SMALL_PT + 0.4,
        muted=True,
    )


def _side_effects_section(pdf: SummaryPdf) -> None:
    content = pdf.content
    _new_section(pdf, SECTION_TITLES["side_effects"])
    if not content.side_effects:
        pdf.para("No side effects recorded in this period.")
        return
    pdf.heading("How often, by severity", size=10, before=1)
    rows = [
        [t.label, *(str(t.by_severity[s] or "—") for s in SEVERITIES), str(t.total)]
        for t in content.effect_tallies()
    ]
    pdf.data_table(
        ["Side effect", *(s.capitalize() for s in SEVERITIES), "Total"],
        rows,
        [88, 22, 22, 22, 22],
        align=["LEFT", "CENTER", "CENTER", "CENTER", "CENTER"],
    )
    pdf.heading("By session", size=10, before=2)
    ordered = sorted(
        content.side_effects,
        key=lambda e: (
            e.session_at is None,
            wall_clock(e.session_at or e.at),
            wall_clock(e.at),
        ),
    )
    rows = [
        [
            content.session_label(e.session_at),
            effect_label(e.effect),
            e.severity,
            date_time(e.at),
            duration_text(e.duration_min),
        ]
        for e in ordered
    ]
    pdf.data_table(
        ["After", "Side effect", "Severity", "Started", "Lasted"],
        rows,
        [45, 57, 20, 34, 22],
    )


def _questionnaires_section(pdf: SummaryPdf) -> None:
    content = pdf.content
    _new_section(pdf, SECTION_TITLES["questionnaires"])
    if not content.assessments:
        pdf.para("No questionnaires in this period.")
        return
    for definition in instruments().values():
        taken = [a for a in content.assessments if a.instrument == definition.id]
        if not taken:
            continue
        # Keep the heading, item list and the start of the table together on one page.
        pdf.keep(len(definition.items) * 4.5 + 45)
        pdf.heading(f"{definition.id}: {definition.name} ({len(taken)} in this period)", 10.5)
        pdf.para(f"“{definition.stem}”", size=SMALL_PT + 0.8, style="I", muted=True)
        for item in definition.items:
            pdf.para(f"{item.number}. {item.text}", size=SMALL_PT + 0.6, indent=2, after=0.2)
        scale = " · ".join(f"{o.value} {o.label}" for o in definition.options)
        pdf.ln(0.8)
        pdf.para(f"Answers: {scale}.", size=SMALL_PT + 0.6, muted=True)
        count = len(definition.items)
        rows, bold = [], set()
        for r, assessment in enumerate(taken):
            difficulty = (
                "—"
                if assessment.difficulty is None
                else definition.difficulty_options[assessment.difficulty]
            )
            band = definition.band(assessment.total).label
            rows.append(
                [
                    short_date(assessment.at),
                    *(str(a) for a in assessment.answers),
                    str(assessment.total),
                    band,
                    difficulty,
                ]
            )
            for item_number in definition.safety_items:
                if assessment.answers[item_number - 1] > 0:
                    bold.add((r, item_number))
        pdf.data_table(
            ["Date", *(str(n) for n in range(1, count + 1)), "Total", "Range", "Difficulty"],
            rows,
            [24, *([7.0] * count), 13, 28, 32],
            align=["LEFT", *(["CENTER"] * (count + 1)), "LEFT", "LEFT"],
        )
        for item_number in definition.safety_items:
            pdf.para(
                f"Item {item_number} answers above “{definition.option_label(0)}” are in bold "
                "and each is stated on page 1.",
                size=SMALL_PT + 0.4,
                muted=True,
            )


def _notes_section(pdf: SummaryPdf) -> None:
    content = pdf.content
    _new_section(pdf, "Notes")
    pdf.para(
        "The patient chose to include their notes from check-ins, sessions and side effects.",
        size=SMALL_PT + 0.8,
        muted=True,
    )
    notes = content.notes()
    if not notes:
        pdf.para("No notes in this period.")
        return
    pdf.data_table(
        ["When", "Written with", "Note"],
        [[date_time(at), where, note] for at, where, note in notes],
        [27, 34, 117],
    )


SECTION_WRITERS = {
    "onset": _onset_section,
    "sessions": _sessions_section,
    "side_effects": _side_effects_section,
    "questionnaires": _questionnaires_section,
}


def render(content: ReportContent) -> bytes:
    """The finished PDF for `content`."""
    pdf = SummaryPdf(content)
    pdf.set_title(content.title)
    pdf.set_subject(FOOTER_LINE)
    pdf.set_creator("Onset")
    pdf.set_producer("Onset (fpdf2)")
    if content.patient_name:
        pdf.set_author(content.patient_name)
    pdf.set_creation_date(content.made)
    pdf.set_lang("en")
    pdf.add_page()
    _first_page(pdf)
    if not content.empty:
        for section in content.sections:
            SECTION_WRITERS[section](pdf)
        if content.include_notes:
            _notes_section(pdf)
    return bytes(pdf.output())


__all__ = ["render", "short_date"]
