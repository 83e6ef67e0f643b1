#!/bin/sh
# Remove what install.sh put in place. The journal, in $XDG_DATA_HOME/onset/, stays.
set -eu

say() { printf '%s\n' "$*"; }
[ -n "${HOME:-}" ] || { say "uninstall.sh: HOME is not set" >&2; exit 1; }
data_home=${XDG_DATA_HOME:-}
case $data_home in
/*) ;;
*) data_home=$HOME/.local/share ;;
esac
app=$HOME/.local/lib/onset
link=$HOME/.local/bin/onset

# Only Onset's own link is removed, never a file of that name put there by something else.
if [ -L "$link" ] && [ "$(readlink "$link")" = "$app/onset" ]; then
    rm -f "$link"
fi
rm -f "$data_home/applications/onset.desktop" \
    "$data_home/icons/hicolor/scalable/apps/onset.svg"
# The program folder goes last: this script may be running from inside it.
if [ -d "$app" ] && [ -x "$app/onset" ] && [ -f "$app/uninstall.sh" ]; then
    rm -rf "$app"
fi
if command -v update-desktop-database >/dev/null 2>&1; then
    update-desktop-database -q "$data_home/applications" 2>/dev/null || true
fi
say "Onset is removed. Your journal and its backups are kept in $data_home/onset/."
