#!/bin/sh
# Install Onset for this user only, without root, into the XDG folders:
#   ~/.local/lib/onset/               the program (this folder's onset/)
#   ~/.local/bin/onset                a link to it
#   $XDG_DATA_HOME/applications/      onset.desktop, for the desktop's menu
#   $XDG_DATA_HOME/icons/hicolor/     the icon
# The journal lives apart, in $XDG_DATA_HOME/onset/, and is never touched here.
# Running it again replaces an older install; uninstall.sh removes it.
set -eu

here=$(cd "$(dirname "$0")" && pwd)
say() { printf '%s\n' "$*"; }
fail() { say "install.sh: $*" >&2; exit 1; }

[ -n "${HOME:-}" ] || fail "HOME is not set"
[ -x "$here/onset/onset" ] || fail "no onset/onset beside this script: unpack the whole archive"
data_home=${XDG_DATA_HOME:-}
case $data_home in
/*) ;;
*) data_home=$HOME/.local/share ;; # the XDG spec ignores a relative path
esac
lib_home=$HOME/.local/lib
bin_home=$HOME/.local/bin
app=$lib_home/onset
link=$bin_home/onset

if [ -e "$link" ] || [ -L "$link" ]; then
    [ -L "$link" ] && [ "$(readlink "$link")" = "$app/onset" ] ||
        fail "$link exists and is not Onset's link; move it away and run install.sh again"
fi

# An earlier install has its uninstall.sh; anything else of that name is not Onset's.
if [ -e "$app" ] && [ ! -f "$app/uninstall.sh" ]; then
    fail "$app exists and is not an Onset install; move it away and run install.sh again"
fi

mkdir -p "$lib_home" "$bin_home" "$data_home/applications" \
    "$data_home/icons/hicolor/scalable/apps"

# Copy beside the old install, check the copy runs, then swap: an interrupted install
# leaves the previous one working.
fresh=$(mktemp -d "$lib_home/.onset-install.XXXXXX")
trap 'rm -rf "$fresh"' EXIT
cp -R -P "$here/onset/." "$fresh/"
cp "$here/uninstall.sh" "$here/LICENSE" "$here/THIRD-PARTY-NOTICES.md" "$fresh/"
cp -R "$here/licenses" "$fresh/licenses"
version=$("$fresh/onset" --version) || fail "the copied program does not run; nothing was changed"
old=
if [ -e "$app" ]; then
    old=$lib_home/.onset-old.$$
    mv "$app" "$old"
fi
mv "$fresh" "$app"
trap - EXIT
[ -z "$old" ] || rm -rf "$old"
ln -sfn "$app/onset" "$link"

# The menu entry runs the program by its full path: a desktop session's PATH often lacks
# ~/.local/bin. A path with characters the Exec key would need escaped falls back to PATH.
case $link in
*[!A-Za-z0-9/._+-]*) exec_value=onset ;;
*) exec_value=$link ;;
esac
sed -e "s|^Exec=onset\$|Exec=$exec_value|" -e "s|^TryExec=onset\$|TryExec=$exec_value|" \
    "$here/onset.desktop" >"$data_home/applications/onset.desktop.part"
mv "$data_home/applications/onset.desktop.part" "$data_home/applications/onset.desktop"
cp "$here/onset.svg" "$data_home/icons/hicolor/scalable/apps/onset.svg"
# Refresh the desktop's caches where the tools exist; a menu picks the entry up anyway.
if command -v update-desktop-database >/dev/null 2>&1; then
    update-desktop-database -q "$data_home/applications" 2>/dev/null || true
fi
if command -v gtk-update-icon-cache >/dev/null 2>&1; then
    gtk-update-icon-cache -q -t "$data_home/icons/hicolor" 2>/dev/null || true
fi

say "Installed $version for $(id -un 2>/dev/null || echo this user):"
say "  program   $app"
say "  command   $link"
say "  menu      $data_home/applications/onset.desktop"
case ":${PATH:-}:" in
*":$bin_home:"*) ;;
*) say "$bin_home is not on your PATH: start Onset from the menu, or as $link" ;;
esac
say "To remove it: $app/uninstall.sh (your journal is kept)."
