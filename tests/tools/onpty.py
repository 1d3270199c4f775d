#!/usr/bin/env python3
# onpty.py MARKER|--exit CMD...: run CMD on an 80x24 pseudo-terminal and
# print all it wrote. With a marker, stop it (SIGTERM) once the marker is
# on screen and exit 0; with --exit, wait for it to end and exit with its
# status. The regress tests that watch the wizard's own bytes use it.
import os, pty, select, signal, struct, sys, fcntl, termios
marker, cmd = sys.argv[1], sys.argv[2:]
pid, fd = pty.fork()
if pid == 0:
    os.execvpe(cmd[0], cmd, dict(os.environ, TERM="xterm-256color"))
fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 80, 0, 0))
seen = b""
while True:
    r, _, _ = select.select([fd], [], [], 20)
    if not r:
        sys.exit("pty: nothing for 20 s")
    try:
        data = os.read(fd, 65536)
    except OSError:
        data = b""
    seen += data
    if data == b"" or (marker != "--exit" and marker.encode() in seen):
        break
if marker != "--exit" and data != b"":
    os.kill(pid, signal.SIGTERM)
_, status = os.waitpid(pid, 0)
sys.stdout.buffer.write(seen)
sys.exit(os.waitstatus_to_exitcode(status) if marker == "--exit" else 0)
