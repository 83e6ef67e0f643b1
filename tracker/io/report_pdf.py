"""Lay the appointment summary out as a PDF with fpdf2.

Only imported by `tracker.io.report.write_report`, so fpdf and matplotlib load when a
report is made and never on the way to the first window. Every sentence and figure comes
from `ReportContent`; this module decides only where it goes and how it looks.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from contextlib import nullcontext
from dataclasses import dataclass
from pathlib import Path
from typing import Any, cast

import matplotlib
from fpdf import FPDF
from fpdf.enums import Align, XPos, YPos
from fpdf.fonts import TTFFont
from fpdf.util import Padding
from matplotlib.backend_bases import GraphicsContextBase, RendererBase
from matplotlib.figure import Figure
from matplotlib.font_manager import FontProperties, findfont
from matplotlib.path import Path as MplPath
from matplotlib.transforms import Transform

from tracker.domain.catalogue import SEVERITIES, effect_label
from tracker.domain.entries import ROUTE_LABELS, TreatmentSession
from tracker.domain.instruments import instruments
from tracker.domain.thresholds import ONSET_DEFINITIONS
from tracker.domain.times import wall_clock
from tracker.formatting import minutes_text
from tracker.io.pdf_fonts import CONTROL_MARK, MISSING_MARK, cjk_font_files, shown
from tracker.io.report_data import (
    FOOTER_LINE,
    KEY_HEADINGS,
    SECTION_TITLES,
    TITLE,
    ReportContent,
    date_time,
    dose_text,
    long_date,
    short_date,
)
from tracker.io.report_medicines import CURRENT_HEADINGS, WEEK_HEADINGS, classes_cell

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
# Table cells: space above and below the text, and either side of it (mm).
CELL_PAD_Y = 1.1
CELL_PAD_X = 1.4
CELL_PADDING = Padding(top=CELL_PAD_Y, right=CELL_PAD_X, bottom=CELL_PAD_Y, left=CELL_PAD_X)
# A table row taller than this (mm) may run on over pages; shorter rows keep together.
TALL_ROW_MM = 100
# Text the quick line breaker takes (see SummaryPdf._lines): words and single spaces, without
# soft hyphens or zero-width spaces (which multi_cell() may break at).
_PLAIN_TEXT = re.compile(r"[^\s\u00ad\u200b]+(?: [^\s\u00ad\u200b]+)*")
# Lines closer than this (mm) to the width they must fit are left to multi_cell() to break.
_TIE = 1e-6
CHART_MIN_MM = 78
CHART_MAX_MM = 110
# A section starts on a fresh page unless this much room is left on the current one.
SECTION_START_MM = 90


def _font_folder() -> Path:
    return Path(matplotlib.get_data_path()) / "fonts" / "ttf"


class _ChartRenderer(RendererBase):
    """Draws a matplotlib figure onto a report page as PDF drawing operators.

    The same picture matplotlib's own PDF backend makes, path for path and marker for
    marker. Going through SVG instead (fpdf2 reading matplotlib's SVG) cost most of a
    report's time, as fpdf2 builds Python objects for every step of every path, and lost
    ink: fills left to SVG's default black (the severity bands) and round line joins.
    Text is set in the report's own DejaVu Sans where matplotlib laid it out, so it stays
    selectable. What this renderer cannot draw (images, hatching) raises rather than
    silently leaving ink out.
    """

    def __init__(self, pdf: SummaryPdf, figure: Figure, x: float, y: float):
        super().__init__()
        width_in, height_in = figure.get_size_inches()
        self.pdf = pdf
        self.width, self.height = float(width_in) * 72, float(height_in) * 72
        # The page position (PDF points, y upwards) of the figure's lower left corner.
        self.left = x * pdf.k
        self.bottom = (pdf.h - y) * pdf.k - self.height

    def flipy(self) -> bool:
        return False

    def points_to_pixels(self, points: Any) -> Any:
        return points

    def get_canvas_width_height(self) -> tuple[float, float]:
        return self.width, self.height

    def option_image_nocomposite(self) -> bool:
        return True

    def get_text_width_height_descent(
        self, s: str, prop: FontProperties, ismath: Any
    ) -> tuple[float, float, float]:
        # The unhinted metrics the SVG backend lays text out with.
        width, height, descent = self._text2path.get_text_width_height_descent(s, prop, ismath)
        return float(width), float(height), float(descent)

    def draw_path(
        self,
        gc: GraphicsContextBase,
        path: MplPath,
        transform: Transform,
        rgbFace: Any = None,
    ) -> None:
        paint = self._paint_operator(gc, rgbFace)
        if paint:
            # Unfilled paths are clipped to the figure and simplified, as matplotlib does.
            outline = rgbFace is None
            steps = self._steps(path, transform, outline, outline and path.should_simplify)
            self._draw(gc, rgbFace, f"{steps} {paint}")

    def draw_markers(
        self,
        gc: GraphicsContextBase,
        marker_path: MplPath,
        marker_trans: Transform,
        path: MplPath,
        trans: Transform,
        rgbFace: Any = None,
    ) -> None:
        paint = self._paint_operator(gc, rgbFace)
        if not paint or len(path) == 0:
            return
        # Each marker painted on its own, so translucent ones look darker where they overlap.
        shape = f"{self._steps(marker_path, marker_trans, at_origin=True)} {paint}"
        places = []
        for vertices, _ in path.iter_segments(
            trans, clip=(0, 0, self.width, self.height), simplify=False
        ):
            if len(vertices):
                x, y = vertices[-2:]
                places.append(f"q 1 0 0 1 {self.left + x:.3f} {self.bottom + y:.3f} cm {shape} Q")
        self._draw(gc, rgbFace, " ".join(places))

    def draw_text(
        self,
        gc: GraphicsContextBase,
        x: float,
        y: float,
        s: str,
        prop: FontProperties,
        angle: float,
        ismath: Any = False,
        mtext: Any = None,
    ) -> None:
        style = _DEJAVU_STYLES.get(Path(findfont(prop)).name)
        if ismath or style is None:
            # Mathematical text, or a font the report does not embed: glyph outlines instead.
            super().draw_text(gc, x, y, s, prop, angle, ismath, mtext)
            return
        pdf = self.pdf
        rgb: Any = gc.get_rgb()
        red, green, blue = rgb[:3]
        alpha = _alphas(gc, None)[0]
        pdf.set_font(FONT, style, prop.get_size_in_points())
        pdf.set_text_color(round(red * 255), round(green * 255), round(blue * 255))
        # matplotlib gives the left end of the baseline, in figure points.
        at_x, at_y = (self.left + x) / pdf.k, pdf.h - (self.bottom + y) / pdf.k
        with (
            pdf.local_context(fill_opacity=alpha) if alpha < 1 else nullcontext(),
            pdf.rotation(angle, at_x, at_y) if angle else nullcontext(),
        ):
            pdf.text(at_x, at_y, s)

    def draw_image(self, gc: Any, x: Any, y: Any, im: Any, transform: Any = None) -> None:
        raise NotImplementedError("the report's charts draw no images")

    def _paint_operator(self, gc: GraphicsContextBase, rgbFace: Any) -> str:
        """B (fill and stroke), f (fill) or S (stroke); empty when nothing shows."""
        stroke_alpha, fill_alpha = _alphas(gc, rgbFace)
        stroke = gc.get_linewidth() > 0 and stroke_alpha > 0
        fill = rgbFace is not None and fill_alpha > 0
        return "B" if fill and stroke else "f" if fill else "S" if stroke else ""

    def _draw(self, gc: GraphicsContextBase, rgbFace: Any, body: str) -> None:
        """`body` in its own graphics state: clipping, colours, line style, opacity."""
        if gc.get_hatch() is not None:
            raise NotImplementedError("the report's charts draw no hatching")
        ops = ["q"]
        box = gc.get_clip_rectangle()
        if box is not None:
            x0, y0, w, h = box.bounds
            ops.append(f"{self.left + x0:.3f} {self.bottom + y0:.3f} {w:.3f} {h:.3f} re W n")
        clip_path, clip_transform = gc.get_clip_path()
        if clip_path is not None:
            ops.append(f"{self._steps(cast(MplPath, clip_path), clip_transform)} W n")
        rgb: Any = gc.get_rgb()
        red, green, blue = rgb[:3]
        ops.append(f"{red:.4f} {green:.4f} {blue:.4f} RG {gc.get_linewidth():.3f} w")
        ops.append(f"{_CAPS[gc.get_capstyle()]} J {_JOINS[gc.get_joinstyle()]} j")
        offset, dashes = cast(tuple[Any, Any], gc.get_dashes())
        if dashes is not None and len(dashes):
            ops.append(f"[{' '.join(f'{d:.3f}' for d in dashes)}] {float(offset or 0):.3f} d")
        if rgbFace is not None:
            ops.append("{:.4f} {:.4f} {:.4f} rg".format(*rgbFace[:3]))
        ops += [body, "Q"]
        stroke_alpha, fill_alpha = _alphas(gc, rgbFace)
        self.pdf.draw_operators(" ".join(ops), fill_alpha, stroke_alpha)

    def _steps(
        self,
        path: MplPath,
        transform: Any,
        clip: bool = False,
        simplify: bool = False,
        *,
        at_origin: bool = False,
    ) -> str:
        """The path as PDF path operators, on the page (or around 0, 0 for a marker)."""
        dx, dy = (0.0, 0.0) if at_origin else (self.left, self.bottom)
        out = []
        last = (0.0, 0.0)
        for vertices, code in path.iter_segments(
            transform,
            clip=(0, 0, self.width, self.height) if clip else None,
            simplify=simplify,
            curves=True,
        ):
            if code == MplPath.MOVETO:
                last = (vertices[0], vertices[1])
                out.append(f"{last[0] + dx:.3f} {last[1] + dy:.3f} m")
            elif code == MplPath.LINETO:
                last = (vertices[0], vertices[1])
                out.append(f"{last[0] + dx:.3f} {last[1] + dy:.3f} l")
            elif code == MplPath.CURVE3:
                # A quadratic curve, raised to the cubic one PDF draws.
                (qx, qy), end = (vertices[0], vertices[1]), (vertices[2], vertices[3])
                points = (
                    last[0] + 2 / 3 * (qx - last[0]),
                    last[1] + 2 / 3 * (qy - last[1]),
                    end[0] + 2 / 3 * (qx - end[0]),
                    end[1] + 2 / 3 * (qy - end[1]),
                    *end,
                )
                last = end
                out.append(_curve(points, dx, dy))
            elif code == MplPath.CURVE4:
                last = (vertices[4], vertices[5])
                out.append(_curve(vertices, dx, dy))
            elif code == MplPath.CLOSEPOLY:
                out.append("h")
        return " ".join(out)


_DEJAVU_STYLES = {
    "DejaVuSans.ttf": "",
    "DejaVuSans-Bold.ttf": "B",
    "DejaVuSans-Oblique.ttf": "I",
}
_CAPS = {"butt": 0, "round": 1, "projecting": 2}
_JOINS = {"miter": 0, "round": 1, "bevel": 2}


def _curve(points: Any, dx: float, dy: float) -> str:
    x1, y1, x2, y2, x3, y3 = (float(p) for p in points)
    return f"{x1 + dx:.3f} {y1 + dy:.3f} {x2 + dx:.3f} {y2 + dy:.3f} {x3 + dx:.3f} {y3 + dy:.3f} c"


def _alphas(gc: GraphicsContextBase, rgbFace: Any) -> tuple[float, float]:
    """(stroke, fill) opacity, as matplotlib's PDF backend reckons them: an alpha set on the
    artist wins over the colours' own."""
    if gc.get_forced_alpha():
        return gc.get_alpha(), gc.get_alpha()
    rgb: Any = gc.get_rgb()
    stroke = float(rgb[3]) if len(rgb) > 3 else 1.0
    fill = float(rgbFace[3]) if rgbFace is not None and len(rgbFace) > 3 else 1.0
    return stroke, fill


def _pair(before: Any, after: Any) -> str:
    if before is None and after is None:
        return "—"
    return f"{'—' if before is None else before} → {'—' if after is None else after}"


def _bp(value: tuple[int, int] | None) -> str:
    return "—" if value is None else f"{value[0]}/{value[1]}"


@dataclass(frozen=True)
class _TableLayout:
    columns: list[float]
    aligns: list[Align]
    size: float
    line: float


@dataclass(frozen=True)
class _Line:
    text: str
    width: float


@dataclass(frozen=True)
class _TableRow:
    """A measured row: each cell's lines, its font style, and the row's height."""

    cells: list[list[_Line]]
    styles: list[str]
    height: float

    def split(self, count: int, line: float) -> tuple[_TableRow, _TableRow]:
        """The row's first `count` lines of every cell, and the rest."""
        first = [lines[:count] for lines in self.cells]
        rest = [lines[count:] for lines in self.cells]
        return _TableRow.of(first, self.styles, line), _TableRow.of(rest, self.styles, line)

    @staticmethod
    def of(cells: list[list[_Line]], styles: list[str], line: float) -> _TableRow:
        tallest = max((len(lines) for lines in cells), default=0)
        height = tallest * line + 2 * CELL_PAD_Y if tallest else line
        return _TableRow(cells, styles, height)


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
        self._covered, self.lost = _add_fallback_fonts(self), set[str]()
        self.set_text_color(*TEXT)
        self.set_draw_color(*RULE)
        self.set_line_width(0.2)
        self._wrapped: dict[tuple[str, str, float, float], list[_Line]] = {}
        self._widths: dict[tuple[str, float, str], float] = {}

    def normalize_text(self, text: str) -> str:
        # Every string on the page passes here: what no font has is marked, never dropped.
        return super().normalize_text(shown(text, self._covered, self.lost))

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
        """Left-aligned text across the page, as multi_cell() lays it out."""
        self.set_font(FONT, style, size)
        if muted:
            self.set_text_color(*MUTED)
        height = size * 0.46
        left = self.l_margin + indent + self.c_margin
        for line in self._lines(words, self.epw - indent):
            if self.will_page_break(height):
                self.add_page(same=True)
            # multi_cell()'s baseline: half the line height down, plus 0.3 of the font size.
            self.text(left, self.y + 0.5 * height + 0.3 * self.font_size, line.text)
            self.set_xy(self.l_margin, self.y + height)
        self.set_text_color(*TEXT)
        if after:
            self.ln(after)

    def text_height(self, words: str, size: float, indent: float = 0, style: str = "") -> float:
        self.set_font(FONT, style, size)
        return len(self._lines(words, self.epw - indent)) * size * 0.46

    def _lines(self, text: str, width: float, padding: Padding | None = None) -> list[_Line]:
        """`text` in the current font broken into lines as multi_cell(width, padding=…)
        breaks it, each with its width.

        Plain words and single spaces are broken here, word by word with remembered widths:
        multi_cell() measures the line anew at every character, which was the slowest part
        of laying out a report's text. Anything else, a word wider than the line or a line
        that all but ties with the width goes to multi_cell() itself.
        """
        if padding is None:
            room = width - 2 * self.c_margin
        else:
            room = width - padding.left - padding.right
        if _PLAIN_TEXT.fullmatch(text):
            found = self._break_words(text.split(" "), room)
            if found is not None:
                return found
        lines = self.multi_cell(
            width, self.font_size, text, padding=padding or 0, dry_run=True, output="LINES"
        )
        assert isinstance(lines, list)
        return [_Line(line, self.get_string_width(line)) for line in lines]

    def _break_words(self, words: list[str], room: float) -> list[_Line] | None:
        space = self._word_width(" ")
        lines: list[_Line] = []
        current, width = "", 0.0
        for word in words:
            word_width = self._word_width(word)
            if word_width > room - _TIE:
                return None
            if current:
                joined = width + space + word_width
                if abs(joined - room) < _TIE:
                    return None
                if joined < room:
                    current, width = f"{current} {word}", joined
                    continue
                lines.append(_Line(current, width))
            current, width = word, word_width
        lines.append(_Line(current, width))
        return lines

    def _word_width(self, word: str) -> float:
        key = (self.font_style, self.font_size_pt, word)
        found = self._widths.get(key)
        if found is None:
            found = self._widths[key] = self.get_string_width(word)
        return found

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
        """A table whose heading row repeats on every page it runs onto.

        Laid out in one pass (fpdf2's table() lays every cell out twice, which made long
        reports slow): each cell is measured once, each row moved under a repeated heading
        row when it does not fit, then drawn: shading, rules and text where table() put
        them. Columns keep the proportions of `widths` across the page's text width.
        """
        self.set_font(FONT, "", size)
        self.set_draw_color(*RULE)
        self.set_fill_color(255, 255, 255)
        self.keep(size * 0.46 * 4 + 8)
        scale = self.epw / sum(widths)
        layout = _TableLayout(
            columns=[w * scale for w in widths],
            aligns=[Align.coerce(a) for a in align] if align else [Align.L] * len(widths),
            size=size,
            line=size * 0.46,
        )
        heading = self._table_row(headings, ["B"] * len(headings), layout)
        body = [
            self._table_row(
                values,
                ["B" if bold and (r, c) in bold else "" for c in range(len(values))],
                layout,
            )
            for r, values in enumerate(rows)
        ]

        def needed(row: _TableRow) -> float:
            """Room a row needs on a page: all of it, or a few lines when it is so tall (a
            long note) that it runs on over pages."""
            return 2 * CELL_PAD_Y + 3 * layout.line if row.height > TALL_ROW_MM else row.height

        # The heading row never stands alone at the foot of a page.
        self._break_unless_fits(heading.height + (needed(body[0]) if body else 0))
        self._draw_row(heading, layout, HEAD_FILL, rule_above=False, rule_below=bool(body))
        for index, row in enumerate(body):
            # Every second row shaded, starting with the second.
            fill = ZEBRA if index % 2 else None
            if self._break_unless_fits(needed(row)):
                self._draw_row(heading, layout, HEAD_FILL, rule_above=False, rule_below=True)
            while self.will_page_break(row.height):
                # The lines that fit here, the rest under the heading row on the next page.
                room = self.page_break_trigger - self.y - 2 * CELL_PAD_Y
                part, row = row.split(max(1, int(room / layout.line)), layout.line)
                self._draw_row(part, layout, fill, rule_above=True, rule_below=True)
                self.add_page(same=True)
                self._draw_row(heading, layout, HEAD_FILL, rule_above=False, rule_below=True)
            self._draw_row(row, layout, fill, rule_above=True, rule_below=index < len(body) - 1)
        self.set_font(FONT, "", size)
        self.ln(2)

    def _break_unless_fits(self, height: float) -> bool:
        if not self.will_page_break(height):
            return False
        self.add_page(same=True)
        return True

    def _table_row(
        self, texts: Sequence[str], styles: Sequence[str], layout: _TableLayout
    ) -> _TableRow:
        cells = [
            self._cell_lines(text, style, width, layout.size) if text else []
            for text, style, width in zip(texts, styles, layout.columns, strict=True)
        ]
        return _TableRow.of(cells, list(styles), layout.line)

    def _cell_lines(self, text: str, style: str, width: float, size: float) -> list[_Line]:
        """The lines `text` takes in a column `width` wide, remembered (answers and routes
        repeat)."""
        key = (text, style, size, width)
        found = self._wrapped.get(key)
        if found is None:
            self.set_font(FONT, style, size)
            found = self._wrapped[key] = self._lines(text, width, CELL_PADDING)
        return found

    def _draw_row(
        self,
        row: _TableRow,
        layout: _TableLayout,
        fill: tuple[int, int, int] | None,
        *,
        rule_above: bool,
        rule_below: bool,
    ) -> None:
        """Shading, rules, then each cell's lines placed where cell() would put them
        (text() is several times cheaper)."""
        top = self.get_y()
        left, right = self.l_margin, self.l_margin + sum(layout.columns)
        if fill:
            self.set_fill_color(*fill)
            self.rect(left, top, right - left, row.height, style="F")
            self.set_fill_color(255, 255, 255)
        if rule_above:
            self.line(left, top, right, top)
        if rule_below:
            self.line(left, top + row.height, right, top + row.height)
        x = left
        for lines, style, width, alignment in zip(
            row.cells, row.styles, layout.columns, layout.aligns, strict=True
        ):
            if lines:
                self.set_font(FONT, style, layout.size)
                # cell()'s baseline: half the line height down, plus 0.3 of the font size.
                baseline = top + CELL_PAD_Y + 0.5 * layout.line + 0.3 * self.font_size
            for index, line in enumerate(lines):
                if alignment is Align.R:
                    inset = width - CELL_PAD_X - line.width
                elif alignment is Align.C:
                    inset = (width - line.width) / 2
                else:
                    inset = CELL_PAD_X
                self.text(x + inset, baseline + index * layout.line, line.text)
            x += width
        self.set_xy(left, top + row.height)

    def chart(self, figure: Figure, width: float, height: float) -> None:
        """Draw `figure` (made `width` × `height` mm) at the left margin, below the text."""
        top = self.get_y()
        font = (self.font_family, self.font_style, self.font_size_pt)
        renderer = _ChartRenderer(self, figure, self.l_margin, top)
        usual_dpi = figure.dpi
        figure.dpi = 72  # one figure unit per PDF point, as in every vector backend
        try:
            figure.draw(renderer)
        finally:
            figure.dpi = usual_dpi
        if font[0]:
            self.set_font(*font)
        self.set_text_color(*TEXT)
        self.set_y(top + height + 1)

    def draw_operators(self, operators: str, fill_alpha: float, stroke_alpha: float) -> None:
        """Raw drawing operators (balanced q … Q), with an opacity state when needed."""
        if fill_alpha < 1 or stroke_alpha < 1:
            with self.local_context(fill_opacity=fill_alpha, stroke_opacity=stroke_alpha):
                self._out(operators)
        else:
            self._out(operators)


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


def _followups(pdf: SummaryPdf) -> None:
    """Follow-up check answers above "none", as given (recorded, not interpreted)."""
    from tracker.io.report_between import followup_lines

    lines = followup_lines(pdf.content.followups)
    if not lines:
        return
    pdf.heading("Follow-up checks (as answered)")
    for line in lines:
        pdf.para(line, size=9, after=0.5)


def _treatment(pdf: SummaryPdf) -> None:
    content = pdf.content
    pdf.heading("Treatment, relief after sessions and side effects")
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
    _followups(pdf)
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
    """The Relief view on paper: headline, counts, the course chart, the per-session
    table, in the view's own words (tracker.charts.relief), then the definitions."""
    from tracker.charts.relief import RELIEF_HEADINGS, headline, session_row

    content = pdf.content
    _new_section(pdf, SECTION_TITLES["onset"])
    onset = content.onset
    if onset is None or not onset.per_session:
        pdf.para("No sessions in this period.")
        return
    pdf.para(headline(onset), style="B")
    pdf.para(content.onset_counts(), size=9)
    if any(s.relief_lost_after_days is not None or s.analysable for s in onset.per_session):
        from tracker.charts.figures import course_figure

        height = 70.0
        pdf.keep(height + 2)
        figure = course_figure(
            onset, dark=False, width_in=pdf.epw / MM_PER_INCH, height_in=height / MM_PER_INCH
        )
        pdf.chart(figure, pdf.epw, height)
    pdf.data_table(
        list(RELIEF_HEADINGS),
        [session_row(one) for one in onset.per_session],
        [10, 36, 17, 22, 23, 24, 16, 32],
    )
    pdf.ln(1.5)
    for text in ONSET_DEFINITIONS.values():
        pdf.para(text, size=SMALL_PT + 0.6, muted=True, after=0.5)


def _session_row(session: TreatmentSession) -> list[str]:
    return [
        date_time(session.at),
        ROUTE_LABELS.get(session.route, session.route),
        dose_text(session),
        minutes_text(session.duration_min),
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
    _clinic_table(pdf)


def _mid_bp(session: TreatmentSession) -> str:
    if session.bp_mid is None:
        return "—"
    return f"{_bp(session.bp_mid)} at {session.bp_mid_min} min"


def _clinic_table(pdf: SummaryPdf) -> None:
    """What a clinic records per session, beside the other medicines taken before it."""
    content = pdf.content
    classes = content.session_classes or [()] * len(content.sessions)
    pdf.heading("Monitoring and other medicines", size=10, before=3)
    rows = [
        [
            date_time(session.at),
            _bp(session.bp_before),
            _mid_bp(session),
            _bp(session.bp_after),
            minutes_text(session.ready_after_min),
            "—" if session.sleepiness is None else str(session.sleepiness),
            classes_cell(found),
        ]
        for session, found in zip(content.sessions, classes, strict=True)
    ]
    pdf.data_table(
        [
            "Date",
            "BP before (mmHg)",
            "BP during (mmHg)",
            "BP after (mmHg)",
            "Ready to leave after",
            "Sleepiness (own 0–10)",
            "Medicine classes in the 24 h before",
        ],
        rows,
        [22, 19, 27, 19, 20, 20, 49],
        align=["LEFT", "CENTER", "CENTER", "CENTER", "CENTER", "CENTER", "LEFT"],
    )
    pdf.para(
        "Ready to leave: minutes from the start until the patient felt clear enough to "
        "leave. Medicine classes: a regular medicine counts on the days it was taken, an "
        "as-needed one when a dose was recorded in the 24 hours before the session starts.",
        size=SMALL_PT + 0.4,
        muted=True,
    )


def _medicines_section(pdf: SummaryPdf) -> None:
    part = pdf.content.medicines
    _new_section(pdf, SECTION_TITLES["medicines"])
    if part is None or not part.medicines:
        pdf.para("No other medicines recorded for this period.")
        return
    pdf.heading(f"Current on {short_date(part.end)}", size=10, before=1)
    current = part.current_rows()
    if current:
        pdf.data_table(list(CURRENT_HEADINGS), current, [46, 44, 26, 30, 30])
    else:
        pdf.para("None recorded as current.")
    pdf.heading("Started, ended or changed in this period", size=10, before=2)
    changes = part.change_lines()
    for line in changes or ["No change recorded in this period."]:
        pdf.para(line)
    weeks = part.week_rows()
    if weeks:
        pdf.heading("As-needed doses per week", size=10, before=2)
        pdf.data_table(list(WEEK_HEADINGS), weeks, [52, 30, 94], align=["LEFT", "CENTER", "LEFT"])


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
            minutes_text(e.duration_min),
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
        "The patient chose to include their notes from check-ins, sessions and side effects, "
        "and their reflections.",
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
    "medicines": _medicines_section,
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
    if pdf.lost:
        _lost_note(pdf)
    return bytes(pdf.output())


def _add_fallback_fonts(pdf: FPDF) -> set[int]:
    """Embed installed CJK fonts as fallbacks; return every character the report can show."""
    covered = _cmap(pdf, FONT.lower())
    fallbacks = []
    for index, path in enumerate(cjk_font_files()):
        name = f"fallback{index}"
        try:
            pdf.add_font(name, "", str(path))
        except Exception:
            continue
        cmap = _cmap(pdf, name)
        if cmap - covered:
            covered |= cmap
            fallbacks.append(name)
        if len(fallbacks) == 2:
            break
    if fallbacks:
        pdf.set_fallback_fonts(fallbacks, exact_match=False)
    return covered


def _cmap(pdf: FPDF, key: str) -> set[int]:
    font = pdf.fonts[key]
    return set(font.cmap) if isinstance(font, TTFFont) else set()


def _lost_note(pdf: SummaryPdf) -> None:
    """Say on the page which characters could not be shown, by their code points."""
    controls = sorted(c for c in pdf.lost if c.startswith("U+"))
    missing = sorted(f"U+{ord(c):04X}" for c in pdf.lost if not c.startswith("U+"))
    said = []
    if missing:
        said.append(
            f"{MISSING_MARK} marks a character no font on this computer can show "
            f"({', '.join(missing[:12])}{', …' if len(missing) > 12 else ''}); "
            "names in Chinese, Japanese or Korean need a font such as Noto Sans CJK installed."
        )
    if controls:
        said.append(
            f"{CONTROL_MARK} marks a control character in the text "
            f"({', '.join(controls[:12])}{', …' if len(controls) > 12 else ''})."
        )
    pdf.ln(4)
    pdf.set_font(FONT, "I", SMALL_PT)
    pdf.set_text_color(*MUTED)
    pdf.multi_cell(0, 4, "Not every character could be shown. " + " ".join(said))
    pdf.set_text_color(*TEXT)


__all__ = ["render", "short_date"]
