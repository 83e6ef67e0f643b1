#!/bin/sh
# dist/onset/ (from PyInstaller) -> dist/onset-VERSION-linux-ARCH.tar.gz, one folder holding
# the program, install.sh / uninstall.sh, the menu entry, the icon and the licences.
set -eu
version=$1
root=$(cd "$(dirname "$0")/.." && pwd)
name=onset-$version
stage=$root/dist/.stage
[ -x "$root/dist/onset/onset" ] || { echo "make-tarball.sh: build dist/onset first" >&2; exit 1; }
rm -rf "$stage"
mkdir -p "$stage/$name"
cp -R -P "$root/dist/onset" "$stage/$name/onset"
cp "$root/packaging/install.sh" "$root/packaging/uninstall.sh" "$root/packaging/onset.desktop" \
    "$root/LICENSE" "$root/THIRD-PARTY-NOTICES.md" "$stage/$name/"
cp "$root/resources/icons/onset.svg" "$stage/$name/onset.svg"
# Full texts of the licences that require one: Debian's copies, and the build Python's own.
mkdir "$stage/$name/licenses"
cp /usr/share/common-licenses/LGPL-3 "$stage/$name/licenses/LGPL-3.0.txt"
cp /usr/share/common-licenses/GPL-3 "$stage/$name/licenses/GPL-3.0.txt"
"$root/.venv/bin/python" -c 'import os, sys
print(os.path.join(sys.base_prefix, "lib", "python%d.%d" % sys.version_info[:2], "LICENSE.txt"))' |
    xargs -I{} cp {} "$stage/$name/licenses/Python.txt"
chmod 755 "$stage/$name/install.sh" "$stage/$name/uninstall.sh"
out=$root/dist/$name-linux-$(uname -m).tar.gz
tar -C "$stage" --owner=0 --group=0 --numeric-owner --sort=name -czf "$out.part" "$name"
mv "$out.part" "$out"
rm -rf "$stage"
echo "wrote $out ($(du -k "$out" | cut -f1) KiB)"
