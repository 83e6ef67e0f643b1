"""The trajectory, relief course and item-by-item charts as matplotlib Figures (no pyplot, no Qt).

The Charts view draws them on a Qt canvas; the PDF report saves them as SVG. Each series
is one artist (one Line2D, one scatter per severity or route, one vlines call per panel),
so a ten-year journal draws about as fast as plotting its points bare.
Colours are Okabe–Ito, told apart by line style and marker as well, in light and dark.
"""

from __future__ import annotations

import math
import weakref
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import datetime, timedelta

import numpy as np
from matplotlib import dates as mdates
from matplotlib.axes import Axes
from matplotlib.collections import LineCollection, PolyCollection
from matplotlib.colors import ListedColormap, to_hex, to_rgba
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.markers import MarkerStyle
from matplotlib.path import Path
from matplotlib.ticker import FixedLocator, FuncFormatter, MaxNLocator, NullLocator
from matplotlib.transforms import (
    Bbox,
    ScaledTranslation,
    TransformedBbox,
    blended_transform_factory,
)

from tracker.charts.data import BandLevel, ItemsData, TrajectoryData, describe_trajectory
from tracker.charts.relief import CoursePoint, course_points
from tracker.domain.catalogue import SEVERITIES
from tracker.domain.entries import ROUTES
from tracker.domain.onset import (
    NO_RELIEF,
    NO_RELIEF_YET,
    SERIES_BOOSTER,
    SERIES_FIRST,
    ReliefAnalysis,
)
from tracker.domain.thresholds import RELIEF_WINDOW_DAYS
from tracker.domain.times import MONTH_NAMES

__all__ = [
    "Theme",
    "course_figure",
    "describe_trajectory",
    "items_figure",
    "point_sessions",
    "refit",
    "side_effect_row",
    "theme",
    "to_num",
    "trajectory_figure",
]

# Okabe & Ito (2008), "Color Universal Design": safe for the common colour-vision types.
BLUE = "#0072B2"
SKY = "#56B4E9"
GREEN = "#009E73"
ORANGE = "#E69F00"
VERMILLION = "#D55E00"
PURPLE = "#CC79A7"

# Sessions are told apart by route through line style and marker, never colour alone.
ROUTE_STYLE: dict[str, tuple[object, str]] = {
    "iv": ("-", "v"),
    "im": ((0, (5, 2)), "s"),
    "subcutaneous": ((0, (5, 2, 1, 2)), "D"),
    "intranasal": ((0, (1, 1.5)), "^"),
    "oral": ((0, (8, 2, 1, 2, 1, 2)), "o"),
    "sublingual": ((0, (2, 3)), "P"),
    "other": ((0, (10, 3)), "X"),
}
SEVERITY_SIZE = {"mild": 14.0, "moderate": 34.0, "severe": 64.0}

FONT = 8.0
SMALL = 7.0
# Figures shorter than this (the PDF's chart) use the compact layout.
COMPACT_BELOW_IN = 4.6
ROUTE_SHORT = {
    "iv": "IV",
    "im": "Intramuscular",
    "subcutaneous": "Subcutaneous",
    "intranasal": "Intranasal",
    "oral": "Oral",
    "sublingual": "Sublingual",
    "other": "Other",
}


@dataclass(frozen=True)
class Theme:
    """The colours of one palette (light or dark); data colours stay Okabe–Ito."""

    dark: bool
    background: str
    text: str
    muted: str
    grid: str
    band: str
    gad: str
    phq: str
    anxiety: str
    mean: str
    session: str
    side_effect: str
    relief: str
    median: str
    font: float = FONT
    small: float = SMALL
    # A short figure (a PDF page's chart) packs tighter: smaller type, fewer labels.
    compact: bool = False

    def instrument(self, name: str) -> str:
        return self.phq if name.startswith("PHQ") else self.gad


def theme(dark: bool) -> Theme:
    if dark:
        return Theme(
            dark=True,
            background="#1f2124",
            text="#e8eaed",
            muted="#a9b0b8",
            grid="#3a3e44",
            band="#ffffff",
            gad=SKY,
            phq=PURPLE,
            anxiety=GREEN,
            mean="#35c79f",
            session="#c9ced6",
            side_effect=ORANGE,
            relief=GREEN,
            median=ORANGE,
        )
    return Theme(
        dark=False,
        background="#ffffff",
        text="#1f2328",
        muted="#57606a",
        grid="#d8dee4",
        band="#000000",
        gad=BLUE,
        phq=PURPLE,
        anxiety=GREEN,
        mean="#00684c",
        session="#4d5560",
        side_effect=VERMILLION,
        relief=GREEN,
        median=VERMILLION,
    )


# -- layout: margins in inches, kept when the canvas is resized ------------------------------


@dataclass(frozen=True)
class _Margins:
    left: float
    right: float
    top: float
    bottom: float
    hspace: float = 0.0


_MARGINS: weakref.WeakKeyDictionary[Figure, _Margins] = weakref.WeakKeyDictionary()
_SPANS: weakref.WeakKeyDictionary[Figure, tuple[LineCollection, Axes, Axes]] = (
    weakref.WeakKeyDictionary()
)


def _place(fig: Figure, margins: _Margins) -> None:
    _MARGINS[fig] = margins
    refit(fig)


def refit(fig: Figure) -> None:
    """Re-apply the figure's margins (in inches) after its size changed."""
    margins = _MARGINS.get(fig)
    if margins is None:
        return
    width, height = fig.get_size_inches()
    left = min(margins.left / width, 0.4)
    right = max(1 - margins.right / width, left + 0.2)
    bottom = min(margins.bottom / height, 0.4)
    top = max(1 - margins.top / height, bottom + 0.2)
    fig.subplots_adjust(left=left, right=right, bottom=bottom, top=top, hspace=margins.hspace)
    spans = _SPANS.get(fig)
    if spans is not None:
        # Session lines run from the bottom panel to the top one, in figure coordinates.
        lines, first, last = spans
        y_top, y_bottom = first.get_position().y1, last.get_position().y0
        lines.set_segments([[(x, y_bottom), (x, y_top)] for x in lines.session_x])  # type: ignore[attr-defined]
        box = Bbox.from_extents(left, y_bottom, right, y_top)
        lines.set_clip_box(TransformedBbox(box, fig.transFigure))
    # The legend sits in the top margin, centred over the plotting area.
    for legend in fig.legends:
        legend.set_bbox_to_anchor(((left + right) / 2, 1 - 0.06 / height), fig.transFigure)


def _new_figure(into: Figure | None, width_in: float, height_in: float, look: Theme) -> Figure:
    if into is None:
        fig = Figure(figsize=(width_in, height_in), dpi=100)
    else:
        fig = into
        fig.clear()
    _SPANS.pop(fig, None)
    fig.set_facecolor(look.background)
    return fig


def to_num(times: Sequence[datetime]) -> np.ndarray:
    """Datetimes (naive, local wall-clock) as matplotlib date numbers, in one pass."""
    if not times:
        return np.empty(0)
    return mdates.date2num(np.asarray(times, dtype="datetime64[s]"))


def _style_axes(ax: Axes, look: Theme) -> None:
    ax.set_facecolor("none")
    for side, spine in ax.spines.items():
        spine.set_visible(side in ("left", "bottom"))
        spine.set_color(look.grid)
    ax.tick_params(colors=look.muted, labelcolor=look.text, labelsize=look.font, length=3)
    ax.yaxis.label.set_color(look.text)
    ax.yaxis.label.set_fontsize(look.font)


def _blank() -> Line2D:
    return Line2D([], [], linestyle="none", label=" ")


def _add_legend(
    fig: Figure, groups: list[list[Line2D]], look: Theme, plot_width_in: float
) -> float:
    """A legend across the top, one column per group (read top to bottom); returns the top
    margin it needs, in inches."""
    # A short figure spends at most two rows on its legend; a tall one up to three.
    per_column = 2 if look.compact else 3
    handle_length, spacing = (2.0, 1.0) if look.compact else (2.6, 1.4)
    chunks = [g[i : i + per_column] for g in groups if g for i in range(0, len(g), per_column)]
    if not chunks:
        return 0.25
    rows = max(len(c) for c in chunks)

    def column_width(chunk: list[Line2D]) -> float:
        longest = max(len(str(h.get_label())) for h in chunk)
        return (handle_length + 0.8 + spacing) * look.font / 72 + longest * look.font * 0.55 / 72

    if sum(column_width(c) for c in chunks) <= plot_width_in:
        handles = [h for c in chunks for h in c + [_blank()] * (rows - len(c))]
        columns = len(chunks)
    else:  # too narrow for one column per group: fill as many columns as fit
        handles = [h for c in chunks for h in c]
        widest = max(column_width(c) for c in chunks)
        columns = max(1, min(len(handles), int(plot_width_in / widest)))
        rows = math.ceil(len(handles) / columns)
    legend = fig.legend(
        handles=handles,
        loc="upper center",
        ncols=columns,
        fontsize=look.font,
        frameon=False,
        labelcolor=look.text,
        handlelength=handle_length,
        columnspacing=spacing,
        borderaxespad=0.0,
    )
    legend.set_in_layout(False)
    return 0.2 + rows * look.font * 1.75 / 72


def _handle(label: str, color: str, **style: object) -> Line2D:
    return Line2D([], [], color=color, label=label, **style)  # type: ignore[arg-type]


# -- trajectory ------------------------------------------------------------------------------


def trajectory_figure(
    data: TrajectoryData,
    *,
    dark: bool = False,
    width_in: float = 10,
    height_in: float = 6,
    into: Figure | None = None,
) -> Figure:
    """Totals per instrument on their own scales with bands, daily anxiety, sessions and
    side effects, on one shared time axis.

    Axes carry labels the view uses to find them: the instrument id, "anxiety",
    "side_effects". `into` redraws an existing figure (a Qt canvas's) at its own size.
    """
    look = theme(dark)
    fig = _new_figure(into, width_in, height_in, look)
    width_in, height_in = (float(v) for v in fig.get_size_inches())
    if height_in < COMPACT_BELOW_IN:
        look = replace(look, font=FONT - 1, small=SMALL - 0.5, compact=True)
    shown = data.shown_series
    panels: list[tuple[str, float]] = [(s.instrument, 3.0) for s in shown]
    panels += [("anxiety", 2.3), ("side_effects", 0.8 if look.compact else 1.25)]
    grid = fig.add_gridspec(len(panels), 1, height_ratios=[h for _, h in panels])
    axes: list[Axes] = []
    for index, (label, _) in enumerate(panels):
        ax = fig.add_subplot(grid[index, 0], sharex=axes[0] if axes else None, label=label)
        _style_axes(ax, look)
        axes.append(ax)
    instrument_handles: list[Line2D] = []
    anxiety_handles: list[Line2D] = []
    session_handles: list[Line2D] = []

    x_low = mdates.date2num(datetime.combine(data.start, datetime.min.time()))
    x_high = mdates.date2num(datetime.combine(data.end + timedelta(days=1), datetime.min.time()))

    for ax, one in zip(axes, shown, strict=False):
        color = look.instrument(one.instrument)
        _draw_bands(ax, one.bands, one.max_total, look)
        ax.set_ylim(-0.6, one.max_total + 0.6)
        if look.compact:  # bottom, the middle band's start (10: the cut-point) and top
            ticks = [0, one.bands[len(one.bands) // 2].low, one.max_total]
        else:
            ticks = [b.low for b in one.bands] + [one.max_total]
        ax.yaxis.set_major_locator(FixedLocator(ticks))
        ax.set_ylabel(one.instrument if look.compact else f"{one.instrument}\ntotal")
        if one.times:
            ax.plot(
                to_num(one.times),
                one.totals,
                color=color,
                linewidth=1.6,
                marker="o",
                markersize=3.6 if len(one.times) < 200 else 2.4,
                zorder=4,
                label=f"{one.instrument} total",
            )
        elif not data.is_empty:  # an empty range says so once, below
            ax.text(
                0.5,
                0.5,
                f"No {one.instrument} in this range",
                transform=ax.transAxes,
                ha="center",
                va="center",
                color=look.muted,
                fontsize=look.font,
            )
        instrument_handles.append(
            _handle(one.instrument, color, marker="o", markersize=4, linewidth=1.6)
        )
        if one.baseline is not None:
            ax.axhline(
                one.baseline, color=look.muted, linewidth=1.0, linestyle=(0, (6, 3)), zorder=3
            )
        if one.response_level is not None:
            ax.axhline(
                one.response_level,
                color=look.muted,
                linewidth=1.0,
                linestyle=(0, (6, 2, 1, 2)),
                zorder=3,
            )
        if one.judged:
            ax.axhline(
                one.remission_below - 0.5,
                color=look.muted,
                linewidth=1.1,
                linestyle=(0, (1, 2)),
                zorder=3,
            )
    reference_handles = _reference_handles(data, look) if shown else []

    anxiety_ax = axes[len(shown)]
    _draw_anxiety(anxiety_ax, data, look, anxiety_handles)
    strip = axes[-1]
    _draw_side_effects(strip, data, look)
    _draw_sessions(axes, data, look, session_handles)

    for ax in axes[:-1]:
        # Only the bottom panel needs the date axis; hiding the rest also saves drawing time.
        ax.xaxis.set_visible(False)
    locator = mdates.AutoDateLocator(minticks=4, maxticks=10)
    strip.xaxis.set_major_locator(locator)
    # Day-first wording everywhere; the corner names the year only when ticks are days.
    offsets = ["", "%Y", "%Y", "%Y", "%d %b %Y", "%d %b %Y %H:%M"]
    strip.xaxis.set_major_formatter(
        mdates.ConciseDateFormatter(locator, offset_formats=offsets, show_offset=True)
    )
    strip.xaxis.get_offset_text().set_color(look.muted)
    strip.xaxis.get_offset_text().set_fontsize(look.font)
    # A little room at both ends so points on the first and last day are drawn whole.
    pad = (x_high - x_low) * 0.006
    strip.set_xlim(x_low - pad, x_high + pad)

    if data.is_empty:
        axes[0].text(
            0.5,
            0.5,
            "Nothing recorded in this range",
            transform=axes[0].transAxes,
            ha="center",
            va="center",
            color=look.muted,
            fontsize=look.font + 1,
        )
    # Every panel's y label at the same distance from the axes (cheaper than align_ylabels).
    offset = 0.42 if look.compact else 0.62
    for ax in axes:
        across = ax.yaxis.label.get_rotation() == 0
        ax.yaxis.set_label_coords(
            0,
            0.5,
            transform=ax.transAxes
            + ScaledTranslation(-0.06 if across else -offset, 0, fig.dpi_scale_trans),
        )
    # The right margin holds the band names: as wide as the longest one.
    longest = max((len(b.label) for s in shown for b in s.bands), default=0)
    left = 0.62 if look.compact else 0.95
    right = 0.2 + longest * _band_font(look) * 0.56 / 72
    bottom = 0.42 if look.compact else 0.5
    groups = [instrument_handles, anxiety_handles, reference_handles, session_handles]
    top = _add_legend(fig, groups, look, width_in - left - right)
    hspace = 0.14
    _place(fig, _Margins(left=left, right=right, top=top, bottom=bottom, hspace=hspace))
    _hide_crowded_band_names(axes[: len(shown)], look)
    return fig


def _band_font(look: Theme) -> float:
    return look.small - 0.5 if look.compact else look.small


def _hide_crowded_band_names(axes: Sequence[Axes], look: Theme) -> None:
    """A band too thin for its name in this figure's size keeps its shading, not its name
    (names would otherwise overlap their neighbours)."""
    needed = _band_font(look) * 1.25 / 72  # inches: the name's height with a little air
    fig = axes[0].get_figure(root=True) if axes else None
    if fig is None:
        return
    for ax in axes:
        low, high = ax.get_ylim()
        inches_per_unit = ax.get_position().height * fig.get_size_inches()[1] / (high - low)
        for text in ax.texts:
            band = getattr(text, "band_span", None)
            if band is not None:
                text.set_visible((band[1] - band[0]) * inches_per_unit >= needed)


def _draw_bands(ax: Axes, bands: Sequence[BandLevel], max_total: int, look: Theme) -> None:
    """Shade each severity band (darker for higher bands, one collection) and name it in
    the right margin."""
    count = len(bands)
    boxes, colors = [], []
    for index, band in enumerate(bands):
        # Halfway between totals, so each whole total sits inside its band; the outer
        # bands reach the panel's edges.
        low = -0.6 if index == 0 else band.low - 0.5
        high = max_total + 0.6 if index == count - 1 else band.high + 0.5
        alpha = (0.10 if look.dark else 0.075) * index / max(count - 1, 1)
        boxes.append([(0, low), (1, low), (1, high), (0, high)])
        colors.append(to_rgba(look.band, alpha))
        name = ax.text(
            1.012,
            (low + high) / 2,
            band.label,
            transform=ax.get_yaxis_transform(),
            ha="left",
            va="center",
            fontsize=_band_font(look),
            color=look.muted,
            clip_on=False,
        )
        name.band_span = (low, high)  # type: ignore[attr-defined]
    ax.add_collection(
        PolyCollection(
            boxes,
            facecolors=colors,
            linewidths=0,
            zorder=0,
            transform=ax.get_yaxis_transform(),
            label="bands",
        ),
        autolim=False,
    )


def _rows(ax: Axes, values: Sequence[float], look: Theme) -> None:
    """Faint horizontal guide lines (one collection; cheaper than a grid)."""
    ax.hlines(
        values,
        0,
        1,
        transform=ax.get_yaxis_transform(),
        colors=look.grid,
        linewidth=0.6,
        zorder=0,
        label="guides",
    )


def _reference_handles(data: TrajectoryData, look: Theme) -> list[Line2D]:
    """Legend entries for the baseline, 50%-response and remission lines (labels kept short:
    the values are in the text under the chart, and every glyph costs drawing time)."""
    shown = [s for s in data.shown_series if s.baseline is not None]
    remission = shown[0].remission_below if shown else 5
    handles = [_handle("Baseline", look.muted, linestyle=(0, (6, 3)), linewidth=1.0)]
    if any(s.response_level is not None for s in shown):
        handles.append(
            _handle("50% response", look.muted, linestyle=(0, (6, 2, 1, 2)), linewidth=1.0)
        )
    if any(s.judged for s in shown):
        handles.append(
            _handle(f"Remission (<{remission})", look.muted, linestyle=(0, (1, 2)), linewidth=1.1)
        )
    return handles


def _draw_anxiety(ax: Axes, data: TrajectoryData, look: Theme, handles: list[Line2D]) -> None:
    series = data.anxiety
    ax.set_ylim(-0.5, 10.5)
    ax.yaxis.set_major_locator(FixedLocator([0, 5, 10]))
    ax.set_ylabel("Anxiety" if look.compact else "Anxiety\n(0–10)")
    _rows(ax, [0, 5, 10], look)
    many = len(series.times) > 400
    if series.times:
        ax.plot(
            to_num(series.times),
            series.values,
            linestyle="none",
            marker="o",
            markersize=2.0 if many else 3.0,
            color=look.anxiety,
            alpha=0.35 if many else 0.55,
            markeredgewidth=0,
            zorder=3,
            label="Check-in",
        )
        means = np.array([np.nan if m is None else m for m in series.rolling_mean], dtype=float)
        ax.plot(
            to_num(series.rolling_times),
            means,
            color=look.mean,
            linewidth=1.8,
            zorder=4,
            label="7-day mean",
        )
    elif not data.is_empty:  # an empty range says so once, below
        ax.text(
            0.5,
            0.5,
            "No check-ins in this range",
            transform=ax.transAxes,
            ha="center",
            va="center",
            color=look.muted,
            fontsize=look.font,
        )
    handles.append(
        _handle(
            "Daily anxiety",
            look.anxiety,
            marker="o",
            markersize=3.5,
            linestyle="none",
            alpha=0.7,
        )
    )
    handles.append(_handle("7-day mean", look.mean, linewidth=1.8))


def side_effect_row(severity: str, compact: bool) -> float:
    """Where a side effect sits in the strip: a row per severity, or one row when compact
    (then only the marker's size tells severity)."""
    return 0.0 if compact else float(SEVERITIES.index(severity))


def _draw_side_effects(ax: Axes, data: TrajectoryData, look: Theme) -> None:
    if look.compact:
        ax.set_ylim(-0.8, 0.8)
        ax.yaxis.set_major_locator(NullLocator())
        # Too short a panel for an upright label: it reads across, beside the strip.
        ax.set_ylabel("Side\neffects", rotation=0, ha="right", va="center")
        _rows(ax, [0], look)
    else:
        ax.set_ylim(-0.7, len(SEVERITIES) - 0.3)
        ax.yaxis.set_major_locator(FixedLocator(range(len(SEVERITIES))))
        ax.yaxis.set_major_formatter(
            FuncFormatter(lambda v, _: SEVERITIES[int(v)] if 0 <= int(v) < len(SEVERITIES) else "")
        )
        ax.tick_params(axis="y", labelsize=look.small, length=0)
        ax.set_ylabel("Side\neffects")
        _rows(ax, range(len(SEVERITIES)), look)
    x = to_num(data.side_effect_times)
    severities = np.asarray(data.side_effect_severities)
    for severity in SEVERITIES:
        chosen = severities == severity if len(severities) else np.zeros(0, dtype=bool)
        if not chosen.any():
            continue
        ax.scatter(
            x[chosen],
            np.full(int(chosen.sum()), side_effect_row(severity, look.compact)),
            s=SEVERITY_SIZE[severity],
            color=look.side_effect,
            alpha=0.75,
            linewidths=0,
            zorder=4,
            label=f"Side effect ({severity})",
        )
    if not len(x) and not data.is_empty:
        ax.text(
            0.5,
            0.5,
            "No side effects in this range",
            transform=ax.transAxes,
            ha="center",
            va="center",
            color=look.muted,
            fontsize=look.small,
        )


def _draw_sessions(
    axes: Sequence[Axes], data: TrajectoryData, look: Theme, handles: list[Line2D]
) -> None:
    """One LineCollection for every session across all panels (its line style by route)
    and one marker row per route along the top."""
    fig = axes[0].get_figure(root=True)
    assert isinstance(fig, Figure)
    _draw_plans(axes[0], data, look, handles)
    if not data.session_times:
        return
    x = to_num(data.session_times)
    routes = data.session_routes
    styles = [ROUTE_STYLE.get(r, ROUTE_STYLE["other"])[0] for r in routes]
    # Many sessions over a long range: fainter, thinner lines so the data stays readable.
    alpha = 0.6 if len(x) < 30 else 0.4 if len(x) < 80 else 0.28
    width = 0.9 if len(x) < 80 else 0.7
    lines = LineCollection(
        [],
        colors=look.session,
        linestyles=styles,
        linewidths=width,
        alpha=alpha,
        zorder=-1,
        label="sessions",
        transform=blended_transform_factory(axes[0].transData, fig.transFigure),
    )
    lines.session_x = x  # type: ignore[attr-defined]
    fig.add_artist(lines)
    _SPANS[fig] = (lines, axes[0], axes[-1])
    top = axes[0]
    route_array = np.asarray(routes)
    for route in ROUTES:
        chosen = route_array == route
        if not chosen.any():
            continue
        style, marker = ROUTE_STYLE[route]
        top.scatter(
            x[chosen],
            np.ones(int(chosen.sum())),
            marker=marker,
            s=22,
            color=look.session,
            linewidths=0,
            transform=top.get_xaxis_transform(),
            clip_on=False,
            zorder=6,
            label=f"Session: {route}",
        )
        handles.append(
            _handle(
                f"{ROUTE_SHORT[route]} session",
                look.session,
                linestyle=style,
                marker=marker,
                markersize=4.5,
                linewidth=1.0,
            )
        )

    if data.benzodiazepine_times:
        # A short bar above the session's marker: a benzodiazepine in the 24 h before it.
        top.scatter(
            to_num(data.benzodiazepine_times),
            np.full(len(data.benzodiazepine_times), 1.045),
            marker="|",
            s=30,
            color=look.session,
            linewidths=1.4,
            transform=top.get_xaxis_transform(),
            clip_on=False,
            zorder=6,
            label="Benzodiazepine in the 24 h before",
        )
        handles.append(
            _handle(
                "Benzodiazepine in the 24 h before",
                look.session,
                linestyle="none",
                marker="|",
                markersize=6,
                markeredgewidth=1.4,
            )
        )


def _draw_plans(top: Axes, data: TrajectoryData, look: Theme, handles: list[Line2D]) -> None:
    """Planned sessions not held: hollow markers on the session row (missed: a square)."""
    if not data.planned_times:
        return
    x = to_num(data.planned_times)
    missed = np.asarray(data.planned_missed, dtype=bool)
    for chosen, marker, label in (
        (~missed, "o", "Planned session"),
        (missed, "s", "Planned, no session logged"),
    ):
        if not chosen.any():
            continue
        top.scatter(
            x[chosen],
            np.ones(int(chosen.sum())),
            marker=marker,
            s=26,
            facecolors="none",
            edgecolors=look.session,
            linewidths=1.0,
            transform=top.get_xaxis_transform(),
            clip_on=False,
            zorder=6,
            label=label,
        )
        handles.append(
            _handle(
                label,
                look.session,
                linestyle="none",
                marker=marker,
                markersize=5,
                markerfacecolor="none",
                markeredgewidth=1.0,
            )
        )


# -- relief: the course over sessions ---------------------------------------------------------


def course_figure(
    analysis: ReliefAnalysis,
    *,
    dark: bool = False,
    width_in: float = 10,
    height_in: float = 4,
    into: Figure | None = None,
) -> Figure:
    """Days until relief was lost, per session number: first series and boosters told
    apart by colour and marker, censored sessions hollow with an arrow up (a lower bound),
    sessions without relief as a cross on the floor.

    The axes is labelled "course"; its scatter collections are labelled "lost",
    "censored" and "no relief"; `point_sessions(ax)` gives the session of each point.
    """
    look = theme(dark)
    fig = _new_figure(into, width_in, height_in, look)
    width_in, height_in = (float(v) for v in fig.get_size_inches())
    ax = fig.add_subplot(1, 1, 1, label="course")
    _style_axes(ax, look)
    points = course_points(analysis)
    count = len(points)
    ax.set_xlim(0.4, max(count, 1) + 0.6)
    ax.set_ylim(-0.9, RELIEF_WINDOW_DAYS + 0.9)
    ax.xaxis.set_major_locator(MaxNLocator(integer=True, nbins=min(max(count, 1), 16)))
    ax.yaxis.set_major_locator(FixedLocator([0, 2, 4, 6, 8, 10, 12, 14]))
    ax.set_xlabel("Session number", fontsize=look.font, color=look.text)
    ax.set_ylabel("Relief held until (day)", labelpad=6)
    ax.grid(axis="y", color=look.grid, linewidth=0.6, zorder=0)
    colour = {SERIES_FIRST: look.gad, SERIES_BOOSTER: look.median}
    marker = {SERIES_FIRST: "o", SERIES_BOOSTER: "D"}
    firsts = [p.number for p in points if p.series == SERIES_FIRST]
    if firsts and len(firsts) < count:
        ax.axvspan(0.4, max(firsts) + 0.5, color=look.band, alpha=0.05, linewidth=0, zorder=0)
    handles: list[Line2D] = []
    drawn: dict[str, list[CoursePoint]] = {"lost": [], "censored": [], "no relief": []}
    for p in points:
        if p.days is not None:
            drawn["censored" if p.censored else "lost"].append(p)
        elif p.status in (NO_RELIEF, NO_RELIEF_YET):
            drawn["no relief"].append(p)
    for label, found in drawn.items():
        if not found:
            continue
        xs = [p.number for p in found]
        ys = [p.days if p.days is not None else 0.0 for p in found]
        colours = [colour.get(p.series, look.gad) for p in found]
        if label == "no relief":
            collection = ax.scatter(
                xs, ys, s=34, marker="x", c=look.muted, linewidths=1.3, zorder=5, label=label
            )
        else:
            hollow = label == "censored"
            collection = ax.scatter(
                xs,
                ys,
                s=42,
                marker="o",
                facecolors="none" if hollow else colours,
                edgecolors=colours,
                linewidths=1.4,
                zorder=5,
                label=label,
            )
            # Boosters as diamonds: draw their marker shape over the circles' places.
            paths = [_marker_path(marker.get(p.series, "o")) for p in found]
            collection.set_paths(paths)
            if hollow:
                ax.scatter(
                    xs,
                    [y + 0.55 for y in ys],
                    s=30,
                    marker=r"$\uparrow$",
                    c=colours,
                    linewidths=0,
                    zorder=5,
                    label="_censored arrows",
                )
        collection.sessions = found  # type: ignore[attr-defined]
    series_seen = {p.series for p in points if p.days is not None or p.status == NO_RELIEF}
    for key, words in ((SERIES_FIRST, "First series"), (SERIES_BOOSTER, "Booster")):
        if key in series_seen:
            handles.append(
                _handle(words, colour[key], marker=marker[key], linestyle="none", markersize=6)
            )
    if drawn["lost"]:
        handles.append(_handle("Relief lost on that day", look.text, marker="o", linestyle="none"))
    if drawn["censored"]:
        handles.append(
            _handle(
                "Still in relief: at least that day",
                look.text,
                marker="o",
                markerfacecolor="none",
                linestyle="none",
            )
        )
    if drawn["no relief"]:
        handles.append(_handle("No relief", look.muted, marker="x", linestyle="none"))
    if not any(drawn.values()):
        ax.text(
            0.5,
            0.55,
            "No session has relief figures yet",
            transform=ax.transAxes,
            ha="center",
            va="center",
            color=look.muted,
            fontsize=look.font + 1,
        )
    left, right, bottom = 0.75, 0.3, 0.5
    top_margin = _add_legend(fig, [[h] for h in handles], look, width_in - left - right)
    _place(fig, _Margins(left=left, right=right, top=top_margin, bottom=bottom))
    return fig


def _marker_path(name: str) -> Path:
    style = MarkerStyle(name)
    return style.get_path().transformed(style.get_transform())


def point_sessions(ax: Axes) -> list[tuple[float, float, int]]:
    """(x, y, session number) of every point of a course chart, for pointing at."""
    found = []
    for collection in ax.collections:
        for point in getattr(collection, "sessions", []):
            found.append((float(point.number), float(point.days or 0.0), point.number))
    return found


# -- questionnaires, item by item ----------------------------------------------------------


def items_figure(
    data: ItemsData,
    *,
    dark: bool = False,
    width_in: float = 10,
    height_in: float | None = None,
    into: Figure | None = None,
) -> Figure:
    """One grid per questionnaire: its items (rows, item text) against the dates taken
    (columns), each cell the answer 0–3 in a light-to-dark shade with its number.

    Drawn from the instrument data, so a third instrument needs nothing here. The axes are
    labelled with the instrument id.
    """
    look = theme(dark)
    shown = [one for one in data.instruments if one.times]
    rows = sum(len(one.items) + 2.2 for one in shown) or 3
    height = height_in if height_in is not None else max(2.5, 0.6 + rows * 0.24)
    fig = _new_figure(into, width_in, height, look)
    width_in, height = (float(v) for v in fig.get_size_inches())
    if not shown:
        ax = fig.add_subplot(1, 1, 1, label="items")
        ax.set_axis_off()
        ax.text(
            0.5,
            0.5,
            "No questionnaire in this range",
            transform=ax.transAxes,
            ha="center",
            va="center",
            color=look.muted,
            fontsize=look.font + 1,
        )
        return fig
    ratios = [len(one.items) for one in shown]
    axes = fig.subplots(len(shown), 1, squeeze=False, gridspec_kw={"height_ratios": ratios})
    levels = max(one.max_answer for one in shown) + 1
    shades = _answer_shades(look, levels)
    for ax, one in zip(axes[:, 0], shown, strict=True):
        ax.set_label(one.instrument)
        _style_axes(ax, look)
        grid = np.asarray(one.answers, dtype=float).T  # items × dates
        ax.imshow(
            grid,
            aspect="auto",
            cmap=ListedColormap(shades),
            vmin=-0.5,
            vmax=levels - 0.5,
            interpolation="nearest",
        )
        columns = len(one.times)
        if columns <= 24:
            for row in range(grid.shape[0]):
                for col in range(columns):
                    value = int(grid[row, col])
                    ax.text(
                        col,
                        row,
                        str(value),
                        ha="center",
                        va="center",
                        fontsize=look.small,
                        color="#ffffff" if value >= levels / 2 else "#1f2328",
                    )
        ax.set_yticks(range(len(one.items)))
        ax.set_yticklabels(
            [item_label(n + 1, text) for n, text in enumerate(one.items)], fontsize=look.small
        )
        step = max(1, math.ceil(columns / max(1, int((width_in - 4.2) / 0.6))))
        ticks = list(range(0, columns, step))
        ax.set_xticks(ticks)
        ax.set_xticklabels([short_date_words(one.times[i]) for i in ticks], fontsize=look.small)
        ax.tick_params(length=0)
        ax.set_title(
            f"{one.instrument}: {one.stem}", fontsize=look.font, color=look.text, loc="left"
        )
    handles = [
        Line2D(
            [],
            [],
            color=shades[value],
            marker="s",
            linestyle="none",
            markersize=8,
            markeredgecolor=look.grid,
            label=f"{value} {label}",
        )
        for value, label in enumerate(shown[0].options)
    ]
    left = 4.1 if width_in > 7 else 3.4
    top_margin = _add_legend(fig, [[h] for h in handles], look, width_in - left - 0.3)
    _place(fig, _Margins(left=left, right=0.3, top=top_margin + 0.2, bottom=0.45, hspace=0.55))
    return fig


def _answer_shades(look: Theme, levels: int) -> list[str]:
    """From the background to a strong blue: 0 reads as nothing, 3 as the most."""
    start = np.asarray(to_rgba("#f1f4f8" if not look.dark else "#2a2e33"))
    end = np.asarray(to_rgba("#08306b" if not look.dark else "#7cc4f5"))
    steps = [start + (end - start) * i / max(1, levels - 1) for i in range(levels)]
    return [to_hex((float(c[0]), float(c[1]), float(c[2]))) for c in steps]


def item_label(number: int, text: str, width: int = 46) -> str:
    """'1 Feeling nervous, anxious, or on edge', shortened to fit beside the grid."""
    label = f"{number}  {text}"
    return label if len(label) <= width else label[: width - 1].rstrip(" ,;—-") + "…"


def short_date_words(at: datetime) -> str:
    return f"{at.day} {MONTH_NAMES[at.month - 1][:3]}\n{at.year}"
