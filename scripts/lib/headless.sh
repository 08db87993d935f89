# Sourced by the scripts that drive the real app window (tests/e2e/run.sh, benches/app_start.sh):
# an X display and a tauri-driver that nobody else holds. Each process started is appended to the
# caller's `pids` array, which the caller's cleanup stops; logs go to "$work".

# A TCP port on 127.0.0.1 that nothing listens on now.
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'; }

# start_display FIRST LAST: Xvfb on the first display number in FIRST..LAST that nobody holds (no
# lock file, no socket), exported as DISPLAY with the settings WebKitGTK needs to paint under Xvfb.
start_display() {
  local n display=""
  for n in $(seq "$1" "$2"); do
    if [ ! -e "/tmp/.X$n-lock" ] && [ ! -e "/tmp/.X11-unix/X$n" ]; then display=":$n"; break; fi
  done
  [ -n "$display" ] || { echo "no free X display between :$1 and :$2" >&2; return 1; }
  Xvfb "$display" -screen 0 1280x800x24 -nolisten tcp >"$work/xvfb.log" 2>&1 &
  pids+=($!)
  export DISPLAY="$display" NO_AT_BRIDGE=1 WEBKIT_DISABLE_COMPOSITING_MODE=1
  for _ in $(seq 50); do [ -e "/tmp/.X11-unix/X${display#:}" ] && break; sleep 0.1; done
}

# start_driver DRIVER: tauri-driver on a free port, bridging to Debian's WebKitWebDriver; sets
# driver_port and returns once it answers. The app it launches inherits this environment
# (tauri-driver passes none of its own), so export the app's settings before calling it.
start_driver() {
  local native_port
  driver_port=$(free_port)
  native_port=$(free_port)
  "$1" --port "$driver_port" --native-port "$native_port" --native-driver /usr/bin/WebKitWebDriver \
    >"$work/driver.log" 2>&1 &
  pids+=($!)
  for _ in $(seq 100); do
    curl -fsS "http://127.0.0.1:$driver_port/status" >/dev/null 2>&1 && return 0
    sleep 0.1
  done
  echo "tauri-driver did not answer on port $driver_port (see $work/driver.log)" >&2
  return 1
}
