"""Fonts for the report beyond its own DejaVu Sans: Chinese, Japanese and Korean names.

DejaVu Sans has no CJK characters. When the system has a font that does, fontconfig
(`fc-list`) says where it is and the report falls back to it for those characters. When
none is installed, or a character is a control character, the report shows a marker in its
place and says so on the page: text is never dropped silently.
"""

from __future__ import annotations

import functools
import shutil
import subprocess
import unicodedata
from pathlib import Path

# A character each script's fonts must have to be worth embedding.
PROBES = {"zh": "中", "ja": "日", "ko": "한"}
FC_TIMEOUT_S = 3
SUFFIXES = (".ttf", ".otf", ".ttc")
MISSING_MARK = "□"  # in DejaVu Sans: where a character could not be shown
CONTROL_MARK = "�"


@functools.cache
def cjk_font_files() -> tuple[Path, ...]:
    """Installed fonts fontconfig knows for Chinese, Japanese or Korean, best first."""
    fc_list = shutil.which("fc-list")
    if fc_list is None:
        return ()
    found: list[Path] = []
    for language in PROBES:
        try:
            listed = subprocess.run(
                [fc_list, f":lang={language}", "file"],
                capture_output=True,
                text=True,
                timeout=FC_TIMEOUT_S,
                check=False,
            ).stdout
        except (OSError, subprocess.SubprocessError):
            return tuple(found)
        for line in sorted(listed.splitlines()):
            path = Path(line.strip().rstrip(":").strip())
            if path.suffix.lower() in SUFFIXES and path.is_file() and path not in found:
                found.append(path)
    return tuple(found)


def is_control(character: str) -> bool:
    return character not in "\n\t" and unicodedata.category(character) in ("Cc", "Cs")


def shown(text: str, covered: set[int], lost: set[str]) -> str:
    """`text` with every character no font covers (and every control character) replaced
    by a visible mark; what was replaced is added to `lost`."""
    if text.isascii() and text.isprintable():
        return text
    out = []
    for character in text:
        if is_control(character):
            lost.add(f"U+{ord(character):04X}")
            out.append(CONTROL_MARK)
        elif ord(character) in covered or character in "\n\t":
            out.append(character)
        else:
            lost.add(character)
            out.append(MISSING_MARK)
    return "".join(out)
