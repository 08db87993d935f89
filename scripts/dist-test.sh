#!/usr/bin/env bash
# `make dist-test`: the .deb that `make dist` built, installed into this machine the way a user
# would (apt-get install ./agencydesk_*.deb), used, and removed again:
#   - the package's metadata (dependencies, description) and the desktop entry and icons it installs;
#   - the installed `agencydesk --version` and `agencydesk --demo clients list`;
#   - the installed app opened under Xvfb on the demo agency: its window must appear and be painted
#     (the screenshot is kept as $CARGO_TARGET_DIR/release/bundle/dist-test-window.png to look at);
#   - `apt-get purge` leaves no agencydesk file under /usr.
# Not part of `make test`: it needs root, changes the machine's installed packages for a minute,
# and needs the release build of `make dist`. HOME and the XDG folders point into a temporary
# folder, so the demo's data never touches the real home.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
target="${CARGO_TARGET_DIR:-$root/target}"
bundle="$target/release/bundle"

fail() { echo "dist-test: FAIL: $*" >&2; exit 1; }
shopt -s nullglob
debs=("$bundle"/deb/agencydesk_*.deb)
rpms=("$bundle"/rpm/agencydesk-*.rpm)
shopt -u nullglob
[ ${#debs[@]} -eq 1 ] || fail "expected one .deb in $bundle/deb, found ${#debs[@]} (run make dist)"
[ ${#rpms[@]} -eq 1 ] || fail "expected one .rpm in $bundle/rpm, found ${#rpms[@]} (run make dist)"
deb=${debs[0]}
[ "$(id -u)" -eq 0 ] || fail "needs root: it installs the package with apt-get"
if dpkg-query -W -f='${Status}' agencydesk 2>/dev/null | grep -q "installed"; then
  fail "agencydesk is already installed here; remove it first (apt-get purge agencydesk)"
fi
for tool in Xvfb xwininfo import dbus-launch; do
  command -v "$tool" >/dev/null || fail "$tool is missing (scripts/install-deps.sh --dist)"
done

work=$(mktemp -d -t agencydesk-dist.XXXXXX)
pids=()
installed=0
cleanup() {
  local status=$?
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
  # A failed run still leaves the machine as it found it.
  if [ "$installed" -eq 1 ]; then apt-get purge -y -qq agencydesk >/dev/null 2>&1 || true; fi
  rm -rf "$work"
  exit "$status"
}
trap cleanup EXIT INT TERM

usr_files() { find /usr -path '*agencydesk*' 2>/dev/null | sort; }
usr_files >"$work/usr-before"

echo "== package metadata ($deb)"
rpm_magic=$(head -c 4 "${rpms[0]}" | od -An -tx1 | tr -d ' \n')
[ "$rpm_magic" = "edabeedb" ] || fail "${rpms[0]} is not an RPM package (magic $rpm_magic)"
dpkg-deb -f "$deb" Package Version Depends Recommends Description | tee "$work/control"
version=$(dpkg-deb -f "$deb" Version)
depends=$(dpkg-deb -f "$deb" Depends)
for dep in libwebkit2gtk-4.1-0 libgtk-3-0 libdbus-1-3; do
  grep -q "$dep" <<<"$depends" || fail "Depends lacks $dep: $depends"
done
dpkg-deb -f "$deb" Recommends | grep -q gnome-keyring || fail "Recommends lacks gnome-keyring"
dpkg-deb -f "$deb" Description | grep -qi vapi || fail "the description does not say what the app is for"

echo "== apt-get install $deb"
installed=1
DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$deb" >"$work/apt-install.log" 2>&1 \
  || { cat "$work/apt-install.log" >&2; fail "apt-get install"; }
dpkg-query -W -f='${Status}\n' agencydesk | grep -qx "install ok installed" || fail "not installed after apt-get"
dpkg -L agencydesk >"$work/files"
for f in /usr/bin/agencydesk /usr/share/applications/agencydesk.desktop \
  /usr/share/icons/hicolor/{32x32,64x64,128x128,256x256@2,512x512}/apps/agencydesk.png; do
  grep -qx "$f" "$work/files" || fail "the package does not install $f"
  [ -e "$f" ] || fail "$f is missing after installing"
done
grep -qx 'Exec=agencydesk' /usr/share/applications/agencydesk.desktop || fail "the desktop entry does not run agencydesk"
grep -qx 'Icon=agencydesk' /usr/share/applications/agencydesk.desktop || fail "the desktop entry names no icon"
[ "$(command -v agencydesk)" = /usr/bin/agencydesk ] || fail "agencydesk on PATH is $(command -v agencydesk), not the package's"

export HOME="$work/home" XDG_CONFIG_HOME="$work/home/.config" XDG_DATA_HOME="$work/home/.local/share" \
  XDG_CACHE_HOME="$work/home/.cache" XDG_RUNTIME_DIR="$work/runtime"
mkdir -p "$HOME" "$XDG_RUNTIME_DIR" && chmod 700 "$XDG_RUNTIME_DIR"
unset AGENCYDESK_DATA_DIR

echo "== agencydesk --version"
/usr/bin/agencydesk --version | tee "$work/version"
grep -qx "agencydesk $version" "$work/version" || fail "--version does not print the package's version $version"

echo "== agencydesk --demo clients list"
/usr/bin/agencydesk --demo clients list >"$work/clients" 2>"$work/clients.err" \
  || { cat "$work/clients.err" >&2; fail "agencydesk --demo clients list exited non-zero"; }
cat "$work/clients"
[ "$(grep -c . "$work/clients")" -ge 2 ] || fail "the demo lists no client"
[ -d "$XDG_DATA_HOME/agencydesk/demo" ] || fail "the demo's data is not in the temporary XDG_DATA_HOME"

echo "== the installed app's window under Xvfb"
# shellcheck source=lib/headless.sh
. "$root/scripts/lib/headless.sh"
start_display 181 220
# A private session bus: the single-instance plugin registers the window there.
eval "$(dbus-launch --sh-syntax)"
pids+=("$DBUS_SESSION_BUS_PID")
/usr/bin/agencydesk --demo >"$work/app.log" 2>&1 &
pids+=($!)
app_pid=$!
window=""
for _ in $(seq 600); do
  kill -0 "$app_pid" 2>/dev/null || { cat "$work/app.log" >&2; fail "the app exited before its window appeared"; }
  # GTK also makes small unmapped windows with the app's name: take the one that is viewable.
  for id in $(xwininfo -root -tree | awk '/"agencydesk"/ {print $1}'); do
    if xwininfo -id "$id" | grep -q IsViewable; then window=$id; break; fi
  done
  [ -n "$window" ] && break
  sleep 0.1
done
[ -n "$window" ] || { cat "$work/app.log" >&2; fail "no viewable window named agencydesk within 60 s"; }
xwininfo -id "$window" | grep -E 'Width|Height|Map State'
# The demo page paints after the window maps: wait until the screenshot has the page's colours
# (an empty or unpainted window has a handful).
shot="$bundle/dist-test-window.png"
colours=0
for _ in $(seq 60); do
  import -window root "$shot"
  colours=$(convert "$shot" -format %k info:)
  [ "$colours" -ge 200 ] && break
  sleep 0.5
done
[ "$colours" -ge 200 ] || fail "the window never painted the demo page (screenshot: $shot)"
# Then until the demo has loaded: the "Loading clients" spinner turns, so the page is settled
# once three screenshots a second apart are the same picture.
settled=0 last="" same=0
for _ in $(seq 90); do
  sleep 1
  import -window root "$shot"
  sig=$(identify -format '%#' "$shot")
  if [ "$sig" = "$last" ]; then same=$((same + 1)); else same=0; fi
  last=$sig
  if [ "$same" -ge 2 ]; then settled=1; break; fi
done
colours=$(convert "$shot" -format %k info:)
echo "screenshot $shot: $colours colours, settled: $settled"
[ "$settled" -eq 1 ] || fail "the demo page never settled within 90 s (screenshot: $shot)"
kill "$app_pid"
wait "$app_pid" 2>/dev/null || true

echo "== apt-get purge agencydesk"
DEBIAN_FRONTEND=noninteractive apt-get purge -y -qq agencydesk >"$work/apt-purge.log" 2>&1 \
  || { cat "$work/apt-purge.log" >&2; fail "apt-get purge"; }
installed=0
if dpkg-query -W -f='${Status}' agencydesk 2>/dev/null | grep -q "installed"; then fail "still installed after purge"; fi
while read -r f; do
  [ -d "$f" ] && continue
  [ -e "$f" ] && fail "$f is left behind after purge"
done <"$work/files"
usr_files >"$work/usr-after"
diff -u "$work/usr-before" "$work/usr-after" || fail "files named agencydesk left under /usr"
echo "dist-test: passed ($deb)"
