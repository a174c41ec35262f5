#!/usr/bin/env bash
# Install the built Rehab Coach folder for the current user (no root needed):
#
#   packaging/linux/install.sh                  # app + menu entry + icons + kiosk unit (not enabled)
#   packaging/linux/install.sh --enable-kiosk   # ... and start the kiosk at every login
#   packaging/linux/install.sh --uninstall      # remove all of it (user data stays)
#
# Options: --app-dir DIR   the built folder to install (default: dist/rehab-coach)
#          --prefix DIR    where the app and its launcher go (default: ~/.local)
#
# What goes where (XDG_DATA_HOME / XDG_CONFIG_HOME are honoured):
#   PREFIX/opt/rehab-coach/                              the app folder (replaced on reinstall)
#   PREFIX/bin/rehab-coach                               symlink to the app's executable
#   ~/.local/share/applications/rehab-coach.desktop      menu entry
#   ~/.local/share/icons/hicolor/*/apps/rehab-coach.*    icon, PNG sizes and SVG
#   ~/.config/systemd/user/rehab-coach-kiosk.service     kiosk unit (systemd --user)
#   ~/.local/share/rehab-coach, ~/.config/rehab-coach    made (or tightened to) 0700: patient data
set -euo pipefail

HERE=$(cd "$(dirname "$0")" && pwd)
REPO=$(cd "$HERE/../.." && pwd)
APP_DIR=$REPO/dist/rehab-coach
PREFIX=$HOME/.local
DATA_HOME=${XDG_DATA_HOME:-$HOME/.local/share}
CONFIG_HOME=${XDG_CONFIG_HOME:-$HOME/.config}
ICONS_SRC=$REPO/assets/icons
UNIT=rehab-coach-kiosk.service
action=install
enable_kiosk=0

while [ $# -gt 0 ]; do
  case "$1" in
    --app-dir) APP_DIR=$2; shift 2 ;;
    --prefix) PREFIX=$2; shift 2 ;;
    --enable-kiosk) enable_kiosk=1; shift ;;
    --uninstall) action=uninstall; shift ;;
    -h|--help) sed -n '2,18p' "$0"; exit 0 ;;
    *) echo "install.sh: unknown argument $1 (see --help)" >&2; exit 2 ;;
  esac
done

case "$PREFIX" in
  *[[:space:]\"\'\\%]*) echo "install.sh: the prefix must not contain spaces, quotes, backslashes or %: $PREFIX" >&2; exit 2 ;;
  /*) ;;
  *) PREFIX=$(pwd)/$PREFIX ;;
esac

OPT=$PREFIX/opt/rehab-coach
LAUNCHER=$PREFIX/bin/rehab-coach
DESKTOP_FILE=$DATA_HOME/applications/rehab-coach.desktop
UNIT_DIR=$CONFIG_HOME/systemd/user
say() { printf 'install.sh: %s\n' "$*"; }

user_systemd() {
  # A user manager is reachable only inside a login session (not from cron, root shells, CI).
  systemctl --user show-environment >/dev/null 2>&1
}

if [ "$action" = uninstall ]; then
  if command -v systemctl >/dev/null && user_systemd; then
    systemctl --user disable --now "$UNIT" >/dev/null 2>&1 || true
  fi
  rm -f "$UNIT_DIR/$UNIT" "$DESKTOP_FILE" "$LAUNCHER"
  rm -f "$DATA_HOME"/icons/hicolor/*/apps/rehab-coach.png "$DATA_HOME/icons/hicolor/scalable/apps/rehab-coach.svg"
  rm -rf "$OPT"
  if command -v systemctl >/dev/null && user_systemd; then systemctl --user daemon-reload || true; fi
  say "removed Rehab Coach from $PREFIX (sessions and settings in ~/.local/share/rehab-coach and ~/.config/rehab-coach are kept)"
  exit 0
fi

if [ ! -x "$APP_DIR/rehab-coach" ]; then
  echo "install.sh: $APP_DIR/rehab-coach not found: build it first (packaging/build_app.sh)" >&2
  exit 1
fi

# 1. The app folder and its launcher. Copy to a temporary name first so a failed copy never
#    leaves a half-installed app where the kiosk unit looks for it.
mkdir -p "$PREFIX/opt" "$PREFIX/bin"
rm -rf "$OPT.new"
cp -a "$APP_DIR" "$OPT.new"
rm -rf "$OPT"
mv "$OPT.new" "$OPT"
ln -sfn "$OPT/rehab-coach" "$LAUNCHER"
say "app in $OPT, launcher $LAUNCHER"

# 2. Menu entry, with Exec pointing at the launcher (the session's PATH may lack PREFIX/bin).
mkdir -p "$(dirname "$DESKTOP_FILE")"
sed -e "s|^Exec=rehab-coach|Exec=$LAUNCHER|" -e "s|^TryExec=rehab-coach|TryExec=$LAUNCHER|" \
  "$HERE/rehab-coach.desktop" >"$DESKTOP_FILE"
if command -v desktop-file-validate >/dev/null; then desktop-file-validate "$DESKTOP_FILE"; fi
if command -v update-desktop-database >/dev/null; then update-desktop-database -q "$(dirname "$DESKTOP_FILE")" || true; fi

# 3. Icons in the user's hicolor theme.
for png in "$ICONS_SRC"/hicolor/*/apps/rehab-coach.png; do
  size_dir=$(basename "$(dirname "$(dirname "$png")")")
  install -D -m 0644 "$png" "$DATA_HOME/icons/hicolor/$size_dir/apps/rehab-coach.png"
done
install -D -m 0644 "$ICONS_SRC/rehab-coach.svg" "$DATA_HOME/icons/hicolor/scalable/apps/rehab-coach.svg"
if command -v gtk-update-icon-cache >/dev/null && [ -f "$DATA_HOME/icons/hicolor/index.theme" ]; then
  gtk-update-icon-cache -q -t -f "$DATA_HOME/icons/hicolor" || true
fi
say "menu entry $DESKTOP_FILE and icons in $DATA_HOME/icons/hicolor"

# 4. The folders that hold patient data and settings, this account's only: the therapist PIN locks
#    the screens, it does not guard the files (docs/kiosk.md, "What the PIN protects").
for folder in "$DATA_HOME/rehab-coach" "$CONFIG_HOME/rehab-coach"; do
  install -d -m 0700 "$folder"
  chmod 0700 "$folder"  # install -d leaves an existing folder's mode as it was
done
if [ -f "$CONFIG_HOME/rehab-coach/kiosk.env" ]; then chmod 0600 "$CONFIG_HOME/rehab-coach/kiosk.env"; fi
say "data and settings folders readable by $(id -un) only: $DATA_HOME/rehab-coach, $CONFIG_HOME/rehab-coach"

# 5. The kiosk unit. %h/.local/bin is the default launcher; another prefix gets its own path.
mkdir -p "$UNIT_DIR"
if [ "$LAUNCHER" = "$HOME/.local/bin/rehab-coach" ]; then
  cp "$HERE/$UNIT" "$UNIT_DIR/$UNIT"
else
  sed -e "s|^ExecStart=%h/.local/bin/rehab-coach |ExecStart=$LAUNCHER |" "$HERE/$UNIT" >"$UNIT_DIR/$UNIT"
fi
say "kiosk unit $UNIT_DIR/$UNIT"

if [ "$enable_kiosk" = 1 ]; then
  if ! command -v systemctl >/dev/null || ! user_systemd; then
    echo "install.sh: no systemd user manager here; log in as the kiosk user and run:" >&2
    echo "  systemctl --user daemon-reload && systemctl --user enable $UNIT" >&2
    exit 1
  fi
  systemctl --user daemon-reload
  systemctl --user enable "$UNIT"
  say "kiosk enabled: it starts with the next graphical login (now: systemctl --user start $UNIT)"
elif command -v systemctl >/dev/null && user_systemd; then
  systemctl --user daemon-reload
  say "kiosk not enabled (packaging/linux/install.sh --enable-kiosk, or systemctl --user enable $UNIT)"
fi
