#!/bin/sh
# Time from starting the wizard to its first full frame on an 80x24
# terminal (a pseudo-terminal, as over SSH): the median of 10 starts on
# a target made beforehand. A measurement, not a test.
# Usage: tests/bench/first-frame.sh [BINARY]
set -eu
top=$(cd "$(dirname "$0")/../.." && pwd)
bin=${1:-$top/ndeswiz}
[ -x "$bin" ] || { echo "first-frame: build first ($bin)" >&2; exit 2; }
command -v python3 >/dev/null || { echo "first-frame: needs python3" >&2;
    exit 2; }
work=$(mktemp -d "${TMPDIR:-/tmp}/ndeswiz-bench.XXXXXX")
trap 'rm -rf "$work"' EXIT INT TERM
# The target exists before the clock starts: making it is not drawing.
NDESWIZ_ASSETS=$top/assets "$bin" -t "$work/target" plan >/dev/null 2>&1 ||
    true

NDESWIZ_ASSETS=$top/assets python3 - "$bin" "$work/target" <<'PY'
import fcntl, os, pty, select, signal, statistics, struct, sys, termios, time

binary, target = sys.argv[1], sys.argv[2]
env = dict(os.environ, TERM="xterm-256color", LANG="C.UTF-8")
# The last thing a frame draws is the key bar.
done_marker = b"F10 quit"

def one():
    t0 = time.monotonic()
    pid, fd = pty.fork()
    if pid == 0:
        os.execve(binary, [binary, "-t", target], env)
    fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 80, 0, 0))
    seen = b""
    while done_marker not in seen:
        r, _, _ = select.select([fd], [], [], 10)
        if not r:
            raise SystemExit("first-frame: no frame within 10 s")
        seen += os.read(fd, 65536)
    t = time.monotonic() - t0
    os.kill(pid, signal.SIGTERM)
    try:
        while os.read(fd, 65536):
            pass
    except OSError:
        pass
    os.waitpid(pid, 0)
    os.close(fd)
    return t

runs = [one() for _ in range(10)]
ms = sorted(r * 1000 for r in runs)
print("first frame: median %.1f ms (min %.1f, max %.1f, 10 runs)"
      % (statistics.median(ms), ms[0], ms[-1]))
PY
