"""What Help → About says: the version, the licence, the questionnaires' attribution and the
third-party components with their licences (no Qt here, so the CLI and tests can use it).

THIRD-PARTY-NOTICES.md says the same at length, with the copyright holders; a test keeps
the two in step.
"""

from __future__ import annotations

from dataclasses import dataclass

from tracker import __version__

PROJECT_LICENCE = "MIT"

INSTRUMENTS_ATTRIBUTION = (
    "PHQ-9 and GAD-7 were developed by Drs Robert L. Spitzer, Janet B.W. Williams, Kurt "
    "Kroenke and colleagues, with an educational grant from Pfizer Inc.; no permission is "
    "required to reproduce, translate, display or distribute them."
)


@dataclass(frozen=True)
class Component:
    name: str
    licence: str
    what: str


# What the bundle ships besides Onset; a wheel installs the Python packages the same way.
COMPONENTS = (
    Component("Python", "PSF-2.0", "the language and its standard library"),
    Component("Qt 6", "LGPL-3.0", "the window toolkit (separate, replaceable libraries)"),
    Component("PySide6 and Shiboken6", "LGPL-3.0", "Qt for Python"),
    Component("ICU", "Unicode-3.0", "Unicode text handling inside Qt"),
    Component("matplotlib", "Matplotlib licence (PSF-based)", "the charts"),
    Component("NumPy", "BSD-3-Clause", "numbers for the charts"),
    Component("OpenBLAS", "BSD-3-Clause", "linear algebra inside NumPy"),
    Component("fpdf2", "LGPL-3.0", "the PDF report"),
    Component("DejaVu fonts", "Bitstream Vera licence", "the report's typeface"),
    Component("Pillow", "MIT-CMU", "images for matplotlib"),
    Component("fontTools", "MIT", "font subsetting for the PDF"),
    Component("contourpy", "BSD-3-Clause", "used by matplotlib"),
    Component("cycler", "BSD-3-Clause", "used by matplotlib"),
    Component("kiwisolver", "BSD-3-Clause", "used by matplotlib"),
    Component("pyparsing", "MIT", "used by matplotlib"),
    Component("python-dateutil", "BSD-3-Clause", "used by matplotlib"),
    Component("packaging", "Apache-2.0 or BSD-2-Clause", "used by matplotlib"),
    Component("defusedxml", "PSF-2.0", "used by fpdf2"),
    Component("SQLite", "public domain", "the journal file"),
    Component("SQLCipher and sqlcipher3", "BSD-3-Clause and Zlib", "an encrypted journal"),
    Component("OpenSSL", "Apache-2.0", "the cryptography under SQLCipher and Python"),
    Component(
        "GNU C++ and Fortran runtimes",
        "GPL-3.0 with the GCC Runtime Library Exception",
        "used by Qt and NumPy",
    ),
    Component(
        "Linux system libraries",
        "LGPL-2.1, MIT, BSD and others",
        "GLib, D-Bus, X11 and XCB, FreeType, fontconfig, zlib and the like",
    ),
)


def version_line() -> str:
    return f"Onset {__version__}"
