#!/usr/bin/env python3
"""Every external program the test scripts run comes from a package that
`make deps` installs.

    python3 tests/tools/deps-guard.py TOP [--without PKG]...

(--without: as if APT_PACKAGES lacked PKG; the suite uses it to show the
guard fails when a package is forgotten.)

Reads the shell scripts of the suites (tests/run, tests/**/*.sh, the
run scripts of tests/win, tests/fuzz, tests/bench, tests/fresh, .ci/run)
and the Makefile's recipes, and finds every command they run: the words in
command position (also inside $(...), sh -c '...', and after the wrappers
timeout, env, exec, unshare, chroot, ...), the tools a script checks with
`command -v`, its `for tool in ...; command -v "$tool"` lists, and the
absolute paths it names under /usr, /bin, /sbin (/usr/lib/wine/wineserver,
/usr/include/ini.h). Each is resolved on this machine (PATH, merged /usr,
/etc/alternatives) to the packages that ship it (dpkg -S). A command
passes when one of those packages is in the closure of APT_PACKAGES
(`make -s print-APT_PACKAGES`) over Depends and Pre-Depends, which is
exactly what `make deps` installs (--no-install-recommends), or in the
base every Debian root has (Essential: yes and Priority: required, what
debootstrap --variant=minbase installs). Anything else fails, naming the
command, the script and the package to add; so does a command found
nowhere, unless it is a shell builtin or keyword (the list below) or a
function a script defines. Heredoc bodies are data (nginx configs,
Python) and are not read.
"""
import glob
import os
import re
import shlex
import subprocess
import sys

# Shell keywords and dash's builtins: no package provides them.
BUILTINS = set("""
    ! { } [[ ]] if then else elif fi for in do done while until case esac
    function : . [ alias bg break cd command continue echo eval exec exit
    export false fg getopts hash jobs kill local printf pwd read readonly
    return set shift test times trap true type ulimit umask unalias unset
    wait source declare
""".split())
# The suites' own functions that run a command after N words, and that
# check their arguments are installed tools (tests/regress/lib.sh, lab.sh).
FUNC_DEF = re.compile(r"^[ \t]*([A-Za-z_][A-Za-z0-9_]*)[ \t]*\(\)", re.M)
CMD_FUNCS = {"run_rc": 1, "expect_rc": 1}
TOOL_FUNCS = {"lab_need"}
OPENERS = {"if", "then", "else", "elif", "do", "while", "until", "!", "{"}
CLOSERS = {"fi", "done", "esac", "}"}
SEPARATORS = {";", "&", "|", "&&", "||", "|&", "("}
ASSIGN = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*=")
NAME = re.compile(r"^[A-Za-z0-9_][A-Za-z0-9_.+-]*$")
PATHS = re.compile(r"(?:^|[=:\-\s])(/(?:usr/|bin/|sbin/|lib/)[^\s\"'}:;)]+)")
PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"


def strip(text):
    """Comments and heredoc bodies out, continuations joined; newlines
    outside quotes become ' ; ' so shlex keeps command boundaries."""
    out = []
    i, n = 0, len(text)
    quote = None
    pending = []  # heredoc delimiters seen on this line
    while i < n:
        c = text[i]
        if quote:
            if c == "\\" and quote == '"' and i + 1 < n:
                out.append(text[i:i + 2])
                i += 2
                continue
            if c == quote:
                quote = None
            out.append(" " if c == "\n" else c)
            i += 1
            continue
        if c in "'\"":
            quote = c
            out.append(c)
            i += 1
            continue
        if c == "\\" and i + 1 < n:
            out.append(" " if text[i + 1] == "\n" else text[i:i + 2])
            i += 2
            continue
        if c == "#" and (i == 0 or text[i - 1] in " \t\n;&|("):
            while i < n and text[i] != "\n":
                i += 1
            continue
        if text.startswith("<<", i) and not text.startswith("<<<", i):
            m = re.match(r"<<(-?)\s*(['\"]?)([A-Za-z_][A-Za-z0-9_]*)\2",
                         text[i:])
            if m:
                pending.append((m.group(1) == "-", m.group(3)))
                out.append(" ")
                i += m.end()
                continue
        if c == "\n":
            out.append(" ; ")
            i += 1
            for tabs, word in pending:  # skip the bodies
                while i < n:
                    end = text.find("\n", i)
                    end = n if end < 0 else end
                    line = text[i:end]
                    i = end + 1
                    if (line.lstrip("\t") if tabs else line) == word:
                        break
            pending = []
            continue
        out.append(c)
        i += 1
    return "".join(out)


def tokens(text):
    lex = shlex.shlex(text, posix=True, punctuation_chars=";&|()<>")
    lex.whitespace_split = True
    lex.commenters = ""
    try:
        return list(lex)
    except ValueError:  # an unbalanced quote in a fragment: best effort
        return text.split()


def substitutions(word):
    """The texts of $(...) inside a word (after shlex removed quotes)."""
    found = []
    i = word.find("$(")
    while i >= 0:
        if word.startswith("$((", i):
            i = word.find("$(", i + 3)
            continue
        depth, j = 1, i + 2
        while j < len(word) and depth:
            depth += {"(": 1, ")": -1}.get(word[j], 0)
            j += 1
        found.append(word[i + 2:j - 1])
        i = word.find("$(", j)
    return found


class Scan:
    def __init__(self):
        self.commands = {}  # name or path -> first file that runs it
        self.functions = set()

    def add(self, name, where):
        self.commands.setdefault(name, where)

    def text(self, text, where):
        # Every "name() {" of the file is a function, wherever the token
        # walk's notion of command position stands.
        self.functions.update(FUNC_DEF.findall(text))
        self.words(tokens(strip(text)), where)

    def words(self, toks, where):
        cmdpos = True
        pattern = False  # in a case's patterns, up to ')'
        i, n = 0, len(toks)
        while i < n:
            t = toks[i]
            for sub in substitutions(t):
                self.text(sub, where)
            for p in PATHS.findall(t):
                self.add(p, where)
            if pattern:
                if t == ")":
                    pattern, cmdpos = False, True
                elif t == "esac":
                    pattern, cmdpos = False, False
                i += 1
                continue
            if t == ";;":
                pattern = True
                i += 1
                continue
            if t == "((":  # arithmetic
                while i < n and toks[i] != "))":
                    i += 1
                i += 1
                continue
            if t in SEPARATORS:
                cmdpos = True
                i += 1
                continue
            if t and set(t) <= set("<>&|"):  # a redirection: skip its file
                i += 2
                continue
            if t.startswith("CC=") and NAME.match(t[3:]):  # make CC=clang
                self.add(t[3:], where)
            if t == ")":
                i += 1
                continue
            if not cmdpos:
                i += 1
                continue
            if t in OPENERS:
                i += 1
                continue
            if t in CLOSERS:
                cmdpos = False
                i += 1
                continue
            if t == "case":
                while i < n and toks[i] != "in":
                    i += 1
                pattern = True
                i += 1
                continue
            if t == "for":
                i = self.for_loop(toks, i, where)
                continue
            if i + 1 < n and toks[i + 1] == "()":
                self.functions.add(t)
                i += 2
                continue
            if ASSIGN.match(t):
                i += 1
                continue
            cmdpos = False
            if "$" in t or t.isdigit() or not (NAME.match(t) or
                                               t.startswith("/")):
                i += 1
                continue
            self.add(t, where)
            i, cmdpos = self.wrapped(t, toks, i + 1, where)

    # The commands whose arguments hold a command: skip their options (and
    # fixed operands) and leave the next word in command position.
    def wrapped(self, cmd, toks, i, where):
        n = len(toks)
        if cmd in TOOL_FUNCS:
            while i < n and NAME.match(toks[i]):
                self.add(toks[i], where)
                i += 1
            return i, False
        if cmd in CMD_FUNCS:
            return i + CMD_FUNCS[cmd], True

        def opts(i, with_arg=()):
            while i < n and toks[i].startswith("-"):
                i += 2 if toks[i] in with_arg else 1
            return i
        operands = {"timeout": 1, "chroot": 1, "faketime": 1}
        if cmd in ("sh", "bash", "dash") and i + 1 < n and toks[i] == "-c":
            self.text(toks[i + 1], where)
            return i + 2, False
        if cmd == "command" and i < n and toks[i] in ("-v", "-V"):
            if i + 1 < n and NAME.match(toks[i + 1]):
                self.add(toks[i + 1], where)
            return i + 2, False
        if cmd in ("timeout", "env", "nohup", "exec", "nice", "setsid",
                   "sudo", "xargs", "command", "unshare", "chroot",
                   "faketime", "valgrind", "stdbuf"):
            start = i
            i = opts(i, ("-s", "-k", "-n", "-u", "-I", "-f", "-S"))
            if i < n and toks[i] == "--":
                i += 1
            while cmd == "env" and i < n and ASSIGN.match(toks[i]):
                i += 1
            if cmd == "faketime" and "-f" in toks[start:i]:
                return i, True  # the time is -f's, no operand
            return i + operands.get(cmd, 0), True
        return i, False

    def for_loop(self, toks, i, where):
        """for VAR in W...; do ... command -v "$VAR" ... done: the words
        are tools."""
        var = toks[i + 1] if i + 1 < len(toks) else ""
        j = i + 2
        if var == "((":  # bash's arithmetic for
            while j < len(toks) and toks[j - 1] != "))":
                j += 1
            return j
        words = []
        if j < len(toks) and toks[j] == "in":
            j += 1
            while j < len(toks) and toks[j] not in (";", "\n", "do"):
                words.append(toks[j])
                j += 1
        depth, k = 0, j
        while k < len(toks):
            if toks[k] in ("do",):
                depth += 1
            elif toks[k] == "done":
                depth -= 1
                if depth == 0:
                    break
            if (toks[k] == "command" and k + 2 < len(toks) and
                    toks[k + 1] == "-v" and toks[k + 2] == "$" + var):
                for w in words:
                    if NAME.match(w) or w.startswith("/"):
                        self.add(w, where)
            k += 1
        return j


def make_values(top, names):
    if not names:
        return {}
    out = subprocess.run(["make", "-s", "--no-print-directory", "-C", top] +
                         ["print-" + v for v in names],
                         capture_output=True, text=True, check=True).stdout
    return dict(zip(names, out.split("\n")))


def makefile(top, scan):
    """The recipes, with make's variables replaced by their values."""
    text = open(os.path.join(top, "Makefile")).read().replace("\\\n", " ")
    ref = re.compile(r"\$\(([A-Za-z_][A-Za-z0-9_]*)\)")
    values = make_values(top, sorted(set(ref.findall(text))))
    text = ref.sub(lambda m: values.get(m.group(1), "$X"), text)
    lines = text.split("\n")
    recipes = [l[1:].lstrip("@-+") for l in lines if l.startswith("\t")]
    shells = [m for l in lines for m in re.findall(r"\$\(shell ([^)]*)\)", l)]
    text = "\n".join(recipes + shells)
    text = re.sub(r"\$\([a-z]+ [^)]*\)", "$X", text)  # make's functions
    text = re.sub(r"\$[@<^*?]", "$X", text).replace("$$", "$")
    scan.text(text, "Makefile")


def scripts(top):
    pats = ["tests/run", "tests/**/*.sh", "tests/win/run", "tests/fuzz/run",
            "tests/bench/run", "tests/fresh/run", ".ci/run"]
    files = []
    for p in pats:
        files += sorted(glob.glob(os.path.join(top, p), recursive=True))
    return files


def allowed_packages(top, without):
    """APT_PACKAGES and the base, closed over Depends and Pre-Depends."""
    listed = [p for p in make_values(top, ["APT_PACKAGES"])["APT_PACKAGES"]
              .split() if p not in without]
    fmt = ("${Package}\t${Status}\t${Priority}\t${Essential}\t"
           "${Provides}\t${Pre-Depends}, ${Depends}\n")
    out = subprocess.run(["dpkg-query", "-W", "-f", fmt],
                         capture_output=True, text=True, check=True).stdout
    deps, providers, base = {}, {}, []
    for line in out.splitlines():
        pkg, status, prio, ess, prov, dep = line.split("\t")
        if not status.endswith(" installed"):
            continue
        deps[pkg] = [[re.split(r"[\s:(]", a.strip())[0]
                      for a in g.split("|")]
                     for g in dep.split(",") if g.strip()]
        for p in prov.split(","):
            if p.strip():
                providers.setdefault(re.split(r"[\s:(]", p.strip())[0],
                                     []).append(pkg)
        if prio == "required" or ess == "yes":
            base.append(pkg)

    def real(name):  # a package, or what provides a virtual one
        if name in deps:
            return name
        return (providers.get(name) or [None])[0]
    missing = [p for p in listed if p not in deps]
    seen, todo = set(), listed + base
    while todo:
        p = real(todo.pop())
        if p is None or p in seen:
            continue
        seen.add(p)
        for group in deps[p]:
            # apt takes the first alternative it can; installed ones here
            pick = [real(a) for a in group if real(a)]
            if pick:
                todo.append(pick[0])
    return seen, missing


def candidates(path):
    """The names dpkg may know a path by: merged /usr, symlink targets,
    every choice of an alternative."""
    out = set()
    todo = [path]
    while todo:
        p = todo.pop()
        if p in out:
            continue
        out.add(p)
        for a, b in (("/usr/bin/", "/bin/"), ("/usr/sbin/", "/sbin/"),
                     ("/usr/lib/", "/lib/")):
            if p.startswith(a):
                todo.append(b + p[len(a):])
            elif p.startswith(b):
                todo.append(a + p[len(b):])
        if os.path.islink(p):
            target = os.readlink(p)
            target = os.path.normpath(os.path.join(os.path.dirname(p),
                                                   target))
            todo.append(target)
            if target.startswith("/etc/alternatives/"):
                name = os.path.basename(target)
                alts = subprocess.run(["update-alternatives", "--list", name],
                                      capture_output=True, text=True).stdout
                todo += alts.split()
        todo.append(os.path.realpath(p))
    return out


def main():
    args = sys.argv[1:]
    top = args.pop(0) if args and args[0] != "--without" else "."
    without = [w for k, w in zip(args[::2], args[1::2]) if k == "--without"]
    scan = Scan()
    for f in scripts(top):
        scan.text(open(f).read(), os.path.relpath(f, top))
    makefile(top, scan)
    allowed, unknown = allowed_packages(top, without)
    errors = []
    if unknown:
        errors.append("APT_PACKAGES names packages that are not installed:"
                      " %s; run 'make deps'" % " ".join(unknown))
    paths = {}
    for name, where in sorted(scan.commands.items()):
        if name in BUILTINS or name in scan.functions:
            continue
        if name.startswith("/"):
            if not os.path.lexists(name):
                if re.match(r"/(usr/)?s?bin/|/usr/lib/wine/", name):
                    errors.append("%s (%s): not installed" % (name, where))
                continue
            if os.path.isdir(name):
                continue
            p = name
        else:
            p = None
            for d in PATH.split(":"):
                if os.access(os.path.join(d, name), os.X_OK):
                    p = os.path.join(d, name)
                    break
            if p is None:
                errors.append("%s (%s): no such command; if it is a shell"
                              " builtin, list it in %s" % (name, where,
                                                           __file__))
                continue
        paths[name] = (candidates(p), where)
    every = sorted(set().union(*(c for c, _ in paths.values()))) if paths \
        else []
    out = subprocess.run(["dpkg", "-S"] + every, capture_output=True,
                         text=True).stdout
    owners = {}
    for line in out.splitlines():
        if line.startswith("diversion "):
            continue
        pkgs, _, path = line.rpartition(": ")
        for pkg in pkgs.split(", "):
            owners.setdefault(path, set()).add(pkg.split(":")[0])
    for name, (cands, where) in sorted(paths.items()):
        pkgs = set().union(*(owners.get(c, set()) for c in cands))
        if not pkgs:
            errors.append("%s (%s): no package ships it (%s)" %
                          (name, where, ", ".join(sorted(cands))))
        elif not pkgs & allowed:
            errors.append("%s (%s): from %s, which 'make deps' does not"
                          " install; add it to APT_PACKAGES in the Makefile"
                          % (name, where, " or ".join(sorted(pkgs))))
    for e in errors:
        print("deps-guard: " + e)
    print("deps-guard: %d commands and paths in %d scripts and the Makefile,"
          " %d not from 'make deps'" % (len(paths), len(scripts(top)),
                                        len(errors)))
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
