"""The app's look: the style sheet in resources/styles/ and palette-coloured SVG icons.

Colours are never fixed: the style sheet uses palette() roles plus a few colours mixed
from the palette here, and it is applied again whenever the palette changes (the system
switching between light and dark), so every window follows. Icons are drawn when Qt first
asks for a size, not ahead of time, so opening a window draws only what it shows.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

from PySide6.QtCore import QByteArray, QObject, QRect, QRectF, QSize, Qt, QTemporaryDir
from PySide6.QtGui import QColor, QIcon, QIconEngine, QPainter, QPalette, QPixmap
from PySide6.QtSvg import QSvgRenderer
from PySide6.QtWidgets import QApplication, QWidget

from tracker.resources import read_resource

ICON_SIZES = (16, 20, 24, 32, 40, 48, 64)
_KEEPER_NAME = "onsetStyleKeeper"


def mix(first: QColor, second: QColor, amount: float) -> QColor:
    """`first` moved `amount` (0–1) of the way towards `second`."""
    return QColor.fromRgbF(
        first.redF() + (second.redF() - first.redF()) * amount,
        first.greenF() + (second.greenF() - first.greenF()) * amount,
        first.blueF() + (second.blueF() - first.blueF()) * amount,
    )


def is_dark(palette: QPalette) -> bool:
    return palette.color(QPalette.ColorRole.Window).lightnessF() < 0.5


def muted_colour(palette: QPalette) -> QColor:
    return mix(
        palette.color(QPalette.ColorRole.WindowText), palette.color(QPalette.ColorRole.Window), 0.4
    )


def error_colour(palette: QPalette) -> QColor:
    """A red readable on this palette's background: deeper on light, softer on dark."""
    return QColor("#ff9a8f") if is_dark(palette) else QColor("#a8261c")


def _colours(palette: QPalette) -> dict[str, str]:
    window = palette.color(QPalette.ColorRole.Window)
    text = palette.color(QPalette.ColorRole.WindowText)
    base = palette.color(QPalette.ColorRole.Base)
    highlight = palette.color(QPalette.ColorRole.Highlight)
    return {
        "muted": muted_colour(palette).name(),
        "border": mix(text, window, 0.8).name(),
        "input-border": mix(palette.color(QPalette.ColorRole.Text), base, 0.68).name(),
        "scroll": mix(text, window, 0.72).name(),
        "scroll-hover": mix(text, window, 0.55).name(),
        "hover": mix(highlight, window, 0.82).name(),
        "soft": mix(highlight, base, 0.86).name(),
        "soft-border": mix(highlight, base, 0.55).name(),
        "error": error_colour(palette).name(),
    }


# Small images the style sheet draws (style sheets take images only from files), in
# palette colours: {fill}, {line} and {mark} are filled in per palette.
_INDICATORS = {
    "arrow-down": '<path d="M1.5 3.5 5 7l3.5-3.5" fill="none" stroke="{line}" stroke-width="1.6" '
    'stroke-linecap="round" stroke-linejoin="round"/>',
    "arrow-up": '<path d="M1.5 6.5 5 3l3.5 3.5" fill="none" stroke="{line}" stroke-width="1.6" '
    'stroke-linecap="round" stroke-linejoin="round"/>',
    "radio-off": '<circle cx="5" cy="5" r="4.3" fill="{fill}" stroke="{line}" stroke-width="0.7"/>',
    "radio-on": '<circle cx="5" cy="5" r="4.6" fill="{mark}"/>'
    '<circle cx="5" cy="5" r="1.9" fill="{fill}"/>',
    "check-off": '<rect x="0.7" y="0.7" width="8.6" height="8.6" rx="2" fill="{fill}" '
    'stroke="{line}" stroke-width="0.7"/>',
    "check-on": '<rect x="0.4" y="0.4" width="9.2" height="9.2" rx="2.2" fill="{mark}"/>'
    '<path d="M2.6 5.2 4.3 6.9 7.5 3.3" fill="none" stroke="{fill}" stroke-width="1.2" '
    'stroke-linecap="round" stroke-linejoin="round"/>',
}


def _indicator_files(palette: QPalette, folder: Path) -> dict[str, str]:
    """Write the indicator images for this palette into `folder`; their paths by name."""
    highlight = palette.color(QPalette.ColorRole.Highlight)
    base = palette.color(QPalette.ColorRole.Base)
    line = mix(palette.color(QPalette.ColorRole.Text), base, 0.45)
    variants = {
        "": (base, line, highlight),
        "-hover": (base, highlight, highlight),
    }
    paths: dict[str, str] = {}
    for name, shape in _INDICATORS.items():
        for suffix, (fill, stroke, mark) in variants.items():
            svg = (
                '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10">'
                + shape.format(fill=fill.name(), line=stroke.name(), mark=mark.name())
                + "</svg>"
            )
            key = f"{name}{suffix}"
            digest = f"{key}-{fill.name()[1:]}{stroke.name()[1:]}{mark.name()[1:]}"
            path = folder / f"{digest}.svg"
            if not path.exists():
                path.write_text(svg, encoding="utf-8")
            paths[key] = path.as_posix()
    return paths


def stylesheet(palette: QPalette, point_size: float, folder: Path | None = None) -> str:
    """The style sheet for this palette; `folder` receives the indicator images it draws."""
    text = read_resource("styles", "onset.qss")
    images: dict[str, str] = {}
    if folder is not None:
        images = _indicator_files(palette, folder)
        text += "\n" + read_resource("styles", "indicators.qss")
    values = (
        _colours(palette)
        | images
        | {
            "title": f"{point_size * 1.75:.1f}",
            "heading": f"{point_size * 1.2:.1f}",
            "big": f"{point_size * 2.2:.1f}",
        }
    )
    # Longest names first, so @soft@ never eats the start of @soft-border@.
    for name in sorted(values, key=len, reverse=True):
        text = text.replace(f"@{name}@", values[name])
    return text


class _StyleKeeper(QObject):
    """Applies the style sheet again when the application palette changes."""

    def __init__(self, app: QApplication):
        super().__init__(app)
        self.setObjectName(_KEEPER_NAME)
        self._app = app
        self._applying = False
        # Style sheets take images only from files: the palette-coloured arrow goes here,
        # and the folder is removed when the application ends.
        self._folder = QTemporaryDir()
        # The application's own palette signal, not an event filter on the application: a
        # filter there would pass every event of every widget through Python, which costs
        # time from the first window on. The signal is emitted for setPalette() and for a
        # palette that follows a change of system theme, the same moments as the
        # ApplicationPaletteChange event.
        app.paletteChanged.connect(lambda _palette: self.apply())
        app.styleHints().colorSchemeChanged.connect(lambda _scheme: self.apply())
        self.apply()

    def apply(self) -> None:
        if self._applying:
            return
        self._applying = True
        try:
            point_size = self._app.font().pointSizeF()
            folder = Path(self._folder.path()) if self._folder.isValid() else None
            sheet = stylesheet(self._app.palette(), point_size, folder)
            if sheet != self._app.styleSheet():
                self._app.setStyleSheet(sheet)
        finally:
            self._applying = False


def ensure_style() -> None:
    """Install the app's style once per QApplication (idempotent)."""
    app = QApplication.instance()
    if not isinstance(app, QApplication) or app.findChild(QObject, _KEEPER_NAME):
        return
    app.setWindowIcon(app_icon())
    _StyleKeeper(app)


@cache
def _svg(name: str) -> str:
    return read_resource("icons", f"{name}.svg")


def _render(svg: str, size: QSize) -> QPixmap:
    renderer = QSvgRenderer(QByteArray(svg.encode("utf-8")))
    pixmap = QPixmap(size)
    pixmap.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pixmap)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    renderer.render(painter, QRectF(0, 0, size.width(), size.height()))
    painter.end()
    return pixmap


class _SvgIconEngine(QIconEngine):
    """Draws an SVG in each mode's colour at the size Qt asks for, once per size.

    The same pixels as drawing every size ahead of time, but a window that shows an icon
    at one size in one mode draws only that.
    """

    def __init__(self, svgs: dict[QIcon.Mode, str], sizes: tuple[int, ...] = ICON_SIZES):
        super().__init__()
        self._svgs = svgs
        self._sizes = sizes
        self._drawn: dict[tuple[int, int, QIcon.Mode], QPixmap] = {}

    def _svg_for(self, mode: QIcon.Mode) -> str:
        return self._svgs.get(mode) or self._svgs[QIcon.Mode.Normal]

    def pixmap(self, size: QSize, mode: QIcon.Mode, state: QIcon.State) -> QPixmap:
        key = (size.width(), size.height(), mode)
        drawn = self._drawn.get(key)
        if drawn is None:
            drawn = self._drawn[key] = _render(self._svg_for(mode), size)
        return QPixmap(drawn)

    def paint(self, painter: QPainter, rect: QRect, mode: QIcon.Mode, state: QIcon.State) -> None:
        scale = painter.device().devicePixelRatioF() if painter.device() is not None else 1.0
        size = QSize(round(rect.width() * scale), round(rect.height() * scale))
        painter.drawPixmap(rect, self.pixmap(size, mode, state))

    def availableSizes(
        self, mode: QIcon.Mode = QIcon.Mode.Normal, state: QIcon.State = QIcon.State.Off
    ) -> list[QSize]:
        return [QSize(size, size) for size in self._sizes]

    def clone(self) -> QIconEngine:
        return _SvgIconEngine(self._svgs, self._sizes)


def icon(name: str, palette: QPalette) -> QIcon:
    """An icon from resources/icons/ drawn in the palette's text colours, at any size."""
    svg = _svg(name)
    modes = (
        (QIcon.Mode.Normal, palette.color(QPalette.ColorRole.WindowText)),
        (QIcon.Mode.Selected, palette.color(QPalette.ColorRole.HighlightedText)),
        (QIcon.Mode.Active, palette.color(QPalette.ColorRole.WindowText)),
        (QIcon.Mode.Disabled, muted_colour(palette)),
    )
    return QIcon(
        _SvgIconEngine({mode: svg.replace("currentColor", colour.name()) for mode, colour in modes})
    )


def app_icon() -> QIcon:
    return QIcon(_SvgIconEngine({QIcon.Mode.Normal: _svg("onset")}))


def set_muted(widget: QWidget, muted: bool = True) -> None:
    widget.setProperty("muted", muted)
    widget.style().unpolish(widget)
    widget.style().polish(widget)
