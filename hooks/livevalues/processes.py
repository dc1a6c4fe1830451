"""Processes a snippet starts end with it, wherever they went: a subreaper tree, swept after each job.

A snippet's process runs in its own process group, killed as a whole after the job. A process
that leaves the group (`start_new_session=True`, a daemon's double fork) escapes that; so the
worker and the forkserver above it are subreapers (Linux `PR_SET_CHILD_SUBREAPER`): an orphan is
re-parented to them, never to init, and they kill every descendant they find left over. Every
worker dies with the forkserver (`PR_SET_PDEATHSIG`), and the forkserver, which exits when MkDocs
does (even on SIGKILL), kills its whole tree on the way out.

Not a sandbox: a snippet can still kill processes by pid, like any code run by the same user.
Elsewhere than Linux these calls do nothing, and a leftover process may outlive the build.
"""

from __future__ import annotations

import contextlib
import ctypes
import os
import signal
import sys
import time
from collections.abc import Set

_LIBC = ctypes.CDLL(None, use_errno=True) if sys.platform == "linux" else None
PR_SET_PDEATHSIG = 1
PR_SET_CHILD_SUBREAPER = 36
MADV_HUGEPAGE = 14
MADV_COLLAPSE = 25  # Linux 6.1 and later
HUGE_PAGE = 2 << 20  # x86-64's transparent huge page


def die_with_parent() -> None:
    """SIGKILL this process when the thread that forked it exits."""
    if _LIBC is not None:
        _LIBC.prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)


def adopt_orphans() -> None:
    """Become the parent of every orphaned descendant, so that none escapes to init."""
    if _LIBC is not None:
        _LIBC.prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0)


def use_huge_pages() -> None:
    """Move this process's heap and large anonymous mappings into 2 MiB pages, where the kernel can.

    A fork copies one page-table entry per 4 KiB page its parent has mapped, and its exit drops
    them all: for a warm worker (about 120 MB of Python objects) that is most of what a process per
    snippet costs. One entry per 2 MiB makes both cheaper (bench/README.md: about 3 ms of CPU less
    per snippet); a page a snippet writes to is still copied 4 KiB at a time. Memory that cannot be
    collapsed (small mappings, an older kernel, another architecture) stays as it is: nothing else
    depends on this.
    """
    if _LIBC is None:
        return
    madvise = _LIBC.madvise
    madvise.argtypes = [ctypes.c_void_p, ctypes.c_size_t, ctypes.c_int]
    with open("/proc/self/maps") as maps:
        lines = maps.read().splitlines()
    for line in lines:
        fields = line.split()
        if "rw" not in fields[1] or (len(fields) > 5 and fields[5] != "[heap]"):
            continue  # a file's mapping, the stack: not collapsible anonymous memory
        low, high = (int(address, 16) for address in fields[0].split("-"))
        start, end = -(-low // HUGE_PAGE) * HUGE_PAGE, high // HUGE_PAGE * HUGE_PAGE
        if end > start:
            madvise(start, end - start, MADV_HUGEPAGE)  # allowed where transparent huge pages are "madvise"
            madvise(start, end - start, MADV_COLLAPSE)  # now, not when khugepaged gets to it


def end_group(group: int, seconds: float = 5.0) -> None:
    """SIGKILL a process group, wait until its last member is gone, then kill what it left behind.

    Once no member is left, every descendant it started outside the group has been re-parented to
    this process (a subreaper), so one check of "any child left?" costs a system call, not a scan.
    """
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(group, signal.SIGKILL)
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        _reap()
        try:
            os.killpg(group, 0)  # a member left, dying: its children are not re-parented yet
        except (ProcessLookupError, PermissionError):
            break
        time.sleep(0.001)
    if _has_children():
        kill_descendants(os.getpid())


def kill_descendants(root: int, keep: Set[int] = frozenset()) -> None:
    """SIGKILL every live descendant of `root` (except `keep` and theirs) until none is left."""
    for _ in range(200):
        tree = descendants(root, keep)
        if not tree:
            return
        for pid in tree:
            with contextlib.suppress(ProcessLookupError, PermissionError):
                os.kill(pid, signal.SIGKILL)
        _reap()
        time.sleep(0.005)


def descendants(root: int, keep: Set[int] = frozenset()) -> list[int]:
    """Live (not zombie) descendants of `root`, found in /proc, skipping `keep` and their subtrees."""
    children: dict[int, list[int]] = {}
    live = set()
    with contextlib.suppress(OSError):
        for entry in os.scandir("/proc"):
            if not entry.name.isdigit():
                continue
            try:
                with open(f"/proc/{entry.name}/stat", "rb") as stat:
                    fields = stat.read().rpartition(b")")[2].split()  # after "pid (command name)"
            except OSError:
                continue  # it ended meanwhile
            children.setdefault(int(fields[1]), []).append(int(entry.name))
            if fields[0] != b"Z":
                live.add(int(entry.name))
    found, todo = [], list(children.get(root, []))
    while todo:
        pid = todo.pop()
        if pid in keep:
            continue
        if pid in live:
            found.append(pid)
        todo += children.get(pid, [])
    return found


def _has_children() -> bool:
    try:
        os.waitpid(-1, os.WNOHANG)
    except ChildProcessError:
        return False
    return True


def _reap() -> None:
    """Collect this process's children that have exited (orphans it adopted included)."""
    with contextlib.suppress(ChildProcessError):
        while os.waitpid(-1, os.WNOHANG)[0]:
            pass
