"""Floor for `--smoke --view charts`: bare matplotlib on QtAgg plotting the same points.

    python benchmarks/floors/bare_charts.py JOURNAL.json [--days N]

Reads the check-in anxiety series, GAD-7 and PHQ-9 totals and session times from an
interchange file (with --days, only the last N days up to today, as the Charts view's range
buttons do), draws them on a FigureCanvasQTAgg in a shown window and quits once the window
is shown and the figure has been drawn (once, at its shown size).
"""

from __future__ import annotations

import argparse
import json
import sys
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

from matplotlib.backends.backend_qtagg import FigureCanvasQTAgg
from matplotlib.figure import Figure
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QMainWindow


def quit_when_drawn(app: QApplication, window: QMainWindow, drawn: list[bool]) -> None:
    """The --smoke rule (from an idle loop, once shown and exposed), and the figure drawn."""
    handle = window.windowHandle()
    if window.isVisible() and handle is not None and handle.isExposed() and drawn:
        app.quit()
    else:
        QTimer.singleShot(10, lambda: quit_when_drawn(app, window, drawn))


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("journal", type=Path)
    parser.add_argument("--days", type=int, default=0, help="only the last N days (0: all)")
    args = parser.parse_args()
    document = json.loads(args.journal.read_text(encoding="utf-8"))
    today = date.today()
    first = today - timedelta(days=args.days - 1) if args.days > 0 else date.min

    def shown(section: str) -> list[tuple[datetime, dict[str, Any]]]:
        found = ((datetime.fromisoformat(e["at"]), e) for e in document[section])
        return [(at, e) for at, e in found if first <= at.date() <= today]

    app = QApplication(sys.argv[:1])
    checkins = shown("checkins")
    checkin_at = [at for at, _ in checkins]
    anxiety = [c["anxiety"] for _, c in checkins]
    totals: dict[str, tuple[list[datetime], list[int]]] = {"GAD-7": ([], []), "PHQ-9": ([], [])}
    for at, assessment in shown("assessments"):
        times, values = totals[assessment["instrument"]]
        times.append(at)
        values.append(sum(assessment["answers"]))
    sessions = [at for at, _ in shown("sessions")]

    figure = Figure(figsize=(9, 6), layout="constrained")
    daily, questionnaires = figure.subplots(2, 1, sharex=True)
    daily.plot(checkin_at, anxiety, linewidth=0.8)
    daily.set_ylim(0, 10)
    for name, (times, values) in totals.items():
        questionnaires.plot(times, values, marker="o", markersize=2, linewidth=1, label=name)
    questionnaires.legend()
    for axes in (daily, questionnaires):
        axes.vlines(
            sessions, 0, 1, transform=axes.get_xaxis_transform(), colors="0.7", linewidth=0.5
        )

    canvas = FigureCanvasQTAgg(figure)
    drawn: list[bool] = []
    canvas.mpl_connect("draw_event", lambda _event: drawn.append(True))
    window = QMainWindow()
    window.setCentralWidget(canvas)
    window.resize(900, 600)
    window.show()  # the canvas draws itself once it has its shown size
    QTimer.singleShot(0, lambda: quit_when_drawn(app, window, drawn))
    return int(app.exec())


if __name__ == "__main__":
    sys.exit(main())
