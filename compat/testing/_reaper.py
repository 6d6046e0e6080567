"""Run a command and kill its whole process group when our parent goes away.

Usage: ``python -m compat.testing._reaper -- CMD ARGS...``

The reaper is started as the leader of a new session. gcloud puts itself in a
process group of its own (and starts a shell script, which starts java), so the
reaper keeps track of every process group among its descendants. The parent
keeps the reaper's stdin open; when the
parent closes it -- on a clean shutdown, or because the parent died, even by
SIGKILL -- the reaper sees end-of-file and terminates those groups. That is what
guarantees no orphaned emulator after a test run, however it ended.
"""

import os
import select
import signal
import subprocess
import sys
import time

_GRACE_SECONDS = 5.0


def _proc_table():
    """{pid: (ppid, pgid, state)} for every live process, read from /proc."""
    table = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open("/proc/%s/stat" % entry) as handle:
                fields = handle.read().rsplit(")", 1)[1].split()
        except OSError:
            continue
        # After the command name: state, ppid, pgrp, ...
        table[int(entry)] = (int(fields[1]), int(fields[2]), fields[0])
    return table


def _descendant_groups(root_pid):
    """Process groups of ``root_pid``'s descendants (gcloud calls setsid for its own)."""
    table = _proc_table()
    children = {}
    for pid, (ppid, _, _) in table.items():
        children.setdefault(ppid, []).append(pid)
    groups, stack = set(), [root_pid]
    while stack:
        pid = stack.pop()
        for child in children.get(pid, ()):
            groups.add(table[child][1])
            stack.append(child)
    return groups


def _live_members(groups):
    return [pid for pid, (_, pgid, state) in _proc_table().items()
            if pgid in groups and state != "Z" and pid != os.getpid()]


def _signal_groups(groups, signum):
    for pgid in groups:
        try:
            os.killpg(pgid, signum)
        except (ProcessLookupError, PermissionError):
            pass


def _terminate_tree(child, groups):
    """SIGTERM every group we spawned, then SIGKILL whatever outlives the grace period."""
    signal.signal(signal.SIGTERM, signal.SIG_IGN)
    groups = set(groups) | _descendant_groups(os.getpid())
    groups.discard(os.getpgrp())
    groups.add(os.getpgrp())
    _signal_groups(groups, signal.SIGTERM)
    deadline = time.monotonic() + _GRACE_SECONDS
    while time.monotonic() < deadline:
        child.poll()
        if not _live_members(groups):
            return
        time.sleep(0.05)
    _signal_groups(groups, signal.SIGKILL)


def main(argv):
    if "--" not in argv:
        sys.stderr.write("usage: python -m compat.testing._reaper -- CMD ARGS...\n")
        return 2
    command = argv[argv.index("--") + 1 :]
    child = subprocess.Popen(command, stdin=subprocess.DEVNULL)
    groups = set()

    def _on_term(*_):
        _terminate_tree(child, groups)
        sys.exit(0)

    signal.signal(signal.SIGTERM, _on_term)
    # Remember the groups while the tree is whole: once gcloud exits, java is
    # reparented to init and only its group id still ties it to us.
    try:
        while True:
            ready, _, _ = select.select([sys.stdin.buffer], [], [], 0.5)
            groups |= _descendant_groups(os.getpid())
            if ready and not os.read(sys.stdin.fileno(), 4096):
                break
    except (OSError, KeyboardInterrupt):
        pass
    _terminate_tree(child, groups)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
