"""Floor for `main.py --smoke`: the least a PySide6 app can do to show a window and quit.

Same rule as --smoke: show one main window; from the idle event loop, quit once it is shown
and exposed.
"""

from __future__ import annotations

import sys

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QMainWindow


def quit_when_shown(app: QApplication, window: QMainWindow) -> None:
    """The --smoke rule: from an idle event loop, quit once the window is shown and exposed."""
    handle = window.windowHandle()
    if window.isVisible() and handle is not None and handle.isExposed():
        app.quit()
    else:
        QTimer.singleShot(10, lambda: quit_when_shown(app, window))


def main() -> int:
    app = QApplication(sys.argv[:1])
    window = QMainWindow()
    window.setWindowTitle("floor")
    window.resize(900, 600)
    window.show()
    QTimer.singleShot(0, lambda: quit_when_shown(app, window))
    return int(app.exec())


if __name__ == "__main__":
    sys.exit(main())
