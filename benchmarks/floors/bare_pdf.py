"""Floor for `export pdf`: load matplotlib (figure and Agg canvas) and fpdf2, write one line.

    python benchmarks/floors/bare_pdf.py OUT.pdf

A report with a chart cannot load less than this; the floor draws nothing with it.
"""

from __future__ import annotations

import sys

import matplotlib.backends.backend_agg  # the canvas a report's chart needs
import matplotlib.figure  # noqa: F401 - the figure a report's chart needs
from fpdf import FPDF


def main() -> int:
    pdf = FPDF()
    pdf.add_page()
    pdf.set_font("Helvetica", size=12)
    pdf.cell(text="Onset appointment summary")
    pdf.output(sys.argv[1])
    return 0


if __name__ == "__main__":
    sys.exit(main())
