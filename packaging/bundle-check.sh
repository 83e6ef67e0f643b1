#!/usr/bin/env bash
# `make bundle-check`: the one-folder app run as a person without Python would run it.
# Every run of the bundle has an empty environment (env -i: no PATH, so no Python to fall
# back on; HOME points into a scratch folder). The project's venv Python only prepares the
# input and reads the outputs. Last, the wheel installed into a fresh venv (a pytest test
# that `make pytest` leaves out for its time).
set -euo pipefail
version=$1
root=$(cd "$(dirname "$0")/.." && pwd)
python=$root/.venv/bin/python
app=$root/dist/onset/onset
tarball=$root/dist/onset-$version-linux-$(uname -m).tar.gz
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
home=$work/home
mkdir -p "$home"
checks=0
step() {
    printf 'bundle-check: %s\n' "$*"
    checks=$((checks + 1))
}
bare() { env -i HOME="$home" "$@"; }

command -v desktop-file-validate >/dev/null ||
    { echo "bundle-check: desktop-file-validate is missing (Debian: desktop-file-utils)" >&2; exit 1; }

step "nothing from the test tools or other toolkits is in it"
for unwanted in pandas scipy pytest hypothesis pypdf mypy tkinter PyQt5 PyQt6 \
    PySide6/Qt/lib/libQt6Network.so.6 PySide6/Qt/lib/libQt6Qml.so.6 \
    PySide6/Qt/plugins/platformthemes/libqgtk3.so; do
    if [ -e "$root/dist/onset/_internal/$unwanted" ]; then
        echo "bundle-check: the bundle carries $unwanted" >&2
        exit 1
    fi
done

step "--version"
[ "$(env -i "$app" --version)" = "onset $version" ]

step "import and summary --json"
(cd "$root" && "$python" -c 'import json, sys
from tests.core_support import sample_document
json.dump(sample_document(), sys.stdout)') >"$work/sample.json"
journal=$work/journal.onset
bare "$app" import "$work/sample.json" --journal "$journal"
bare "$app" summary --json --journal "$journal" >"$work/summary.json"
"$python" - "$work/summary.json" <<'PY'
import json, sys
summary = json.load(open(sys.argv[1], encoding="utf-8"))
assert summary["GAD-7"]["change"] == -6, summary["GAD-7"]
assert summary["PHQ-9"]["baseline"]["total"] == 9, summary["PHQ-9"]
PY

step "--smoke (the window, offscreen) and --smoke --view charts"
bare QT_QPA_PLATFORM=offscreen "$app" --smoke --journal "$journal" 2>"$work/smoke.err" ||
    { cat "$work/smoke.err" >&2; exit 1; }
bare QT_QPA_PLATFORM=offscreen "$app" --smoke --view charts --journal "$journal" \
    2>"$work/smoke.err" || { cat "$work/smoke.err" >&2; exit 1; }

step "export pdf, with its fonts"
bare "$app" export pdf --out "$work/report.pdf" --journal "$journal"
"$python" - "$work/report.pdf" <<'PY'
import sys
from pypdf import PdfReader
reader = PdfReader(sys.argv[1])
text = reader.pages[0].extract_text()
assert "Appointment summary" in text and "GAD-7" in text, text[:300]
fonts = set()
for page in reader.pages:
    for font in page["/Resources"]["/Font"].values():
        fonts.add(str(font.get_object()["/BaseFont"]).split("+")[-1])
assert fonts <= {"DejaVuSansBook", "DejaVuSans", "DejaVuSansBold", "DejaVuSansOblique"}, fonts
PY

step "the tarball: install.sh into an empty HOME, run, uninstall.sh"
mkdir -p "$work/unpacked"
tar -C "$work/unpacked" -xzf "$tarball"
unpacked=$work/unpacked/onset-$version
desktop-file-validate "$unpacked/onset.desktop"
mkdir -p "$home/.local/share/onset"
echo "a journal" >"$home/.local/share/onset/journal.onset"
bare PATH=/usr/bin:/bin sh "$unpacked/install.sh"
[ "$(bare "$home/.local/bin/onset" --version)" = "onset $version" ]
installed=$home/.local/share/applications/onset.desktop
desktop-file-validate "$installed"
grep -qx "Exec=$home/.local/bin/onset" "$installed"
[ -f "$home/.local/share/icons/hicolor/scalable/apps/onset.svg" ]
step "install.sh again replaces the install"
bare PATH=/usr/bin:/bin sh "$unpacked/install.sh" >/dev/null
bare PATH=/usr/bin:/bin sh "$home/.local/lib/onset/uninstall.sh"
for gone in .local/bin/onset .local/lib/onset .local/share/applications/onset.desktop \
    .local/share/icons/hicolor/scalable/apps/onset.svg; do
    if [ -e "$home/$gone" ] || [ -L "$home/$gone" ]; then
        echo "bundle-check: uninstall.sh left $gone" >&2
        exit 1
    fi
done
[ "$(cat "$home/.local/share/onset/journal.onset")" = "a journal" ]
for licence in LICENSE THIRD-PARTY-NOTICES.md licenses/LGPL-3.0.txt licenses/GPL-3.0.txt \
    licenses/Python.txt; do
    [ -s "$unpacked/$licence" ] || { echo "bundle-check: no $licence in the tarball" >&2; exit 1; }
done
step "the wheel in a fresh venv, run outside the checkout (pytest -m wheel)"
(cd "$root" && QT_QPA_PLATFORM=offscreen ONSET_TEST_OUTPUT="$work/test-output" \
    "$python" -m pytest -q -p no:cacheprovider -m wheel tests/test_packaging.py)

printf 'bundle-check: %s MB unpacked, %s MB tarball\n' "$(du -sm "$root/dist/onset" | cut -f1)" \
    "$(du -m "$tarball" | cut -f1)"
echo "bundle-check: $checks passed, 0 failed"
