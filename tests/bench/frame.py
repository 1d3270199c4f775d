#!/usr/bin/env python3
"""One start of a full-screen program on an 80x24 pseudo-terminal (as over
SSH): prints the milliseconds from fork to its first full frame, and with
--rss its peak RSS in kB (measured by GNU time around it, in a run of its
own: time's wrapping is not timed).

  frame.py [--rss] MARKER CMD...   the frame is done when MARKER is seen
  frame.py [--rss] --exit CMD...   the frame is done when CMD exits (dialog
                                   --infobox draws once and exits)
"""
import fcntl, os, pty, select, signal, struct, sys, termios, tempfile, time

args = sys.argv[1:]
rss = args[:1] == ["--rss"]
if rss:
    args = args[1:]
marker, cmd = args[0], args[1:]
env = dict(os.environ, TERM="xterm-256color", LANG="C.UTF-8")
if rss:
    out = tempfile.NamedTemporaryFile(prefix="frame-rss.", delete=False)
    cmd = ["/usr/bin/time", "-f", "%M", "-o", out.name] + cmd


def children(pid):
    try:
        with open("/proc/%d/task/%d/children" % (pid, pid)) as f:
            return [int(c) for c in f.read().split()]
    except OSError:
        return []


t0 = time.monotonic()
pid, fd = pty.fork()
if pid == 0:
    os.execvpe(cmd[0], cmd, env)
fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 80, 0, 0))
seen, done = b"", False
while not done:
    r, _, _ = select.select([fd], [], [], 10)
    if not r:
        sys.exit("frame: no frame within 10 s: %r" % seen[-200:])
    try:
        data = os.read(fd, 65536)
    except OSError:  # EIO: the program ended
        data = b""
    seen += data
    if marker == "--exit":
        done = data == b""
    else:
        done = marker.encode() in seen
        if not done and data == b"":
            sys.exit("frame: ended before %r: %r" % (marker, seen[-200:]))
t = time.monotonic() - t0
if marker != "--exit":
    # Under time, the program is time's child: end it, not time.
    for victim in (children(pid) if rss else [pid]):
        os.kill(victim, signal.SIGTERM)
try:
    while os.read(fd, 65536):
        pass
except OSError:
    pass
os.waitpid(pid, 0)
os.close(fd)
if rss:
    with open(out.name) as f:
        print(f.read().split()[-1])
    os.unlink(out.name)
else:
    print("%.3f" % (t * 1000))
