"""A warm child process that parses one workbook at a time under a memory cap and a wall-clock timeout.

A subprocess running `_child.py` as a script rather than a ProcessPoolExecutor: the child then
imports only python_calamine (not this package's `__init__` with its Prefect wrappers), we see the
exit signal of a dead child, and answers come back as JSON instead of pickle.
"""

from __future__ import annotations

import json
import os
import select
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path
from types import TracebackType
from typing import IO, Any

from tasks.read.decode import decode_answer, parse_answer, with_quirks
from tasks.read.model import FILE_UNREADABLE, FileIssue, RawWorkbook, ReadLimits, SheetQuirks
from tasks.read.preflight import open_checked

CHILD_SCRIPT = Path(__file__).with_name("_child.py")
# What Rust prints before aborting on a failed allocation (e.g. calamine sizing a sheet up to XFD1048576).
RUST_OOM = b"memory allocation of"
START_TIMEOUT_S = 30.0
# Signals another process sends (the kernel's OOM killer, an operator, a shutdown): the reader was stopped,
# the file did not crash it. SIGSEGV, SIGABRT and the like come from parsing the bytes and are findings.
STOPPED_FROM_OUTSIDE = frozenset({signal.SIGKILL, signal.SIGTERM, signal.SIGINT, signal.SIGHUP})


class ChildFailed(Exception):
    """The child died or overran its time; `found` says which, in words fit for a FileIssue."""

    def __init__(self, found: str, transient: bool = False) -> None:
        super().__init__(found)
        self.found = found
        self.transient = transient  # the reader failed (timeout, signal), not necessarily the file


class Refused(Exception):
    """The preflight's scan, run while the child parsed, refused the file."""

    def __init__(self, issue: FileIssue) -> None:
        super().__init__(issue.found)
        self.issue = issue


@dataclass(frozen=True)
class Answer:
    """The child's JSON answer and what the preflight scan saw in the same file."""

    body: dict[str, Any]
    quirks: dict[str, SheetQuirks]


Scan = Callable[[], "FileIssue | dict[str, SheetQuirks]"]


class IsolatedReader:
    """Context manager owning one warm child; it is restarted after a crash, a timeout or a memory error."""

    def __init__(self, memory_mb: int = 2048, child_script: Path = CHILD_SCRIPT) -> None:
        self.memory_mb = memory_mb
        self.child_script = child_script
        self._process: subprocess.Popen[bytes] | None = None
        self._stderr: IO[bytes] | None = None
        self._lock = threading.Lock()

    def __enter__(self) -> IsolatedReader:
        return self

    def __exit__(self, *_: type[BaseException] | BaseException | TracebackType | None) -> None:
        self.close()

    @property
    def pid(self) -> int | None:
        """Process id of the warm child, None before the first read or after a failure."""
        return self._process.pid if self._process else None

    def read(self, path: Path, limits: ReadLimits, check: bool = True) -> RawWorkbook | FileIssue:
        """Preflight (unless `check` is False, for files already checked: no quirks then), then parse in the child.

        Only the preflight's cheap directory half runs before the child sees the file; its slow XML scan
        runs here while the child parses (two cores, one wall-clock), and a refusal discards the parse.
        """
        if not check:
            return self._parsed(path, limits, lambda: {})
        opened = open_checked(path, limits)
        if isinstance(opened, FileIssue):
            return opened
        return self._parsed(path, limits, opened.scan, opened.findings)

    def _parsed(
        self, path: Path, limits: ReadLimits, scan: Scan, findings: tuple[FileIssue, ...] = ()
    ) -> RawWorkbook | FileIssue:
        """Parse in the child; the preflight's whole-file warnings (`findings`) ride on the workbook read."""
        try:
            answer = self.request(path, limits.timeout_s, scan=scan)
        except ChildFailed as failure:
            return FileIssue(FILE_UNREADABLE, failure.found, transient=failure.transient)
        except Refused as refused:
            return refused.issue
        try:
            read = with_quirks(decode_answer(answer.body, self.memory_mb), answer.quirks)
        except (KeyError, TypeError, ValueError):
            return FileIssue(FILE_UNREADABLE, "reader sent a malformed answer")
        return replace(read, findings=findings) if isinstance(read, RawWorkbook) and findings else read

    def request(self, path: Path, timeout_s: float, scan: Scan = dict) -> Answer:
        """Send one path to the child, run `scan` while it parses, and return both results.

        Raises ChildFailed if the child dies or overruns, Refused (child stopped) if `scan` refuses the file.
        """
        with self._lock:
            process = self._ensure_started()
            assert process.stdin is not None and self._stderr is not None
            stderr_mark = self._stderr.seek(0, os.SEEK_END)
            try:
                process.stdin.write(json.dumps({"path": str(path.resolve())}).encode() + b"\n")
                process.stdin.flush()
                deadline = time.monotonic() + timeout_s  # the parse's clock runs while we scan
            except BrokenPipeError:
                raise ChildFailed(*self._death(stderr_mark)) from None
            quirks = self._alongside(scan)
            try:
                body = self._receive(process, deadline)
            except TimeoutError:
                self._stop(kill=True)
                raise ChildFailed(f"reader timed out after {timeout_s:g} s", transient=True) from None
            except EOFError:
                raise ChildFailed(*self._death(stderr_mark)) from None
            except ValueError:  # not JSON: something in the child wrote to stdout; it cannot be trusted further
                self._stop(kill=True)
                raise ChildFailed("reader sent a malformed answer") from None
            if body.get("error") == "memory":
                self._stop()
            return Answer(body, quirks)

    def _alongside(self, scan: Scan) -> dict[str, SheetQuirks]:
        """Run the scan while the child parses; a refusal or a failure stops the child (its answer is unwanted)."""
        try:
            found = scan()
        except BaseException:
            self._stop(kill=True)
            raise
        if isinstance(found, FileIssue):
            self._stop(kill=True)  # a refused file's parse may be the very thing hurting the child
            raise Refused(found)
        return found

    def close(self) -> None:
        """Stop the child (EOF on stdin lets it exit by itself; it is killed if it lingers)."""
        with self._lock:
            self._stop()

    def _ensure_started(self) -> subprocess.Popen[bytes]:
        if self._process is None or self._process.poll() is not None:
            self._stop()
            # Opened in append mode and kept for the child's lifetime: after a crash we read what it printed.
            self._stderr = tempfile.TemporaryFile("a+b")  # noqa: SIM115
            self._process = subprocess.Popen(
                [sys.executable, "-I", str(self.child_script), str(self.memory_mb)],
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                stderr=self._stderr,
                cwd="/",
                env={"RUST_BACKTRACE": "0", "LC_ALL": "C.UTF-8"},
            )
            self._await_ready(self._process)
        return self._process

    def _await_ready(self, process: subprocess.Popen[bytes]) -> None:
        """Wait for the child's hello so start-up time is not charged to the first file's timeout."""
        try:
            self._receive(process, time.monotonic() + START_TIMEOUT_S)
        except (TimeoutError, EOFError, ValueError):
            self._stop(kill=True)
            raise ChildFailed("reader could not start", transient=True) from None

    def _receive(self, process: subprocess.Popen[bytes], deadline: float) -> dict[str, Any]:
        assert process.stdout is not None
        fd = process.stdout.fileno()
        size = int.from_bytes(_read_exact(fd, 4, deadline), "big")
        answer = parse_answer(_read_exact(fd, size, deadline))
        if not isinstance(answer, dict):
            raise ValueError("answer is not a JSON object")
        return answer

    def _death(self, stderr_mark: int) -> tuple[str, bool]:
        """Why the child died, and whether that is transient: from its exit status and what it printed.

        Running out of its memory cap is about the file (Rust OOM aborts with SIGABRT); any other
        signal (the OOM killer, an operator's kill) is not, and the file is tried again.
        """
        assert self._process is not None and self._stderr is not None
        code = self._process.wait()
        self._stderr.seek(stderr_mark)
        said = self._stderr.read(8192)
        self._stop()
        if RUST_OOM in said or b"MemoryError" in said:
            return f"reader exceeded {self.memory_mb} MB", False
        if code < 0:
            return f"reader crashed (signal {-code})", -code in STOPPED_FROM_OUTSIDE
        return f"reader exited with code {code}", False

    def _stop(self, kill: bool = False) -> None:
        process, self._process = self._process, None
        if process is not None:
            _end(process, kill)
        if self._stderr is not None:
            self._stderr.close()
            self._stderr = None


def _end(process: subprocess.Popen[bytes], kill: bool) -> None:
    """Close the pipes and reap the child, killing it at once or when it does not leave within a second."""
    if kill:
        process.kill()
    for pipe in (process.stdin, process.stdout):
        try:
            if pipe is not None:
                pipe.close()
        except OSError:
            pass
    try:
        process.wait(timeout=1.0)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


def _read_exact(fd: int, size: int, deadline: float) -> bytes:
    """Read `size` bytes from a pipe before the deadline; EOFError if the writer died first."""
    parts: list[bytes] = []
    left = size
    while left:
        remaining = deadline - time.monotonic()
        if remaining <= 0 or not select.select([fd], [], [], remaining)[0]:
            raise TimeoutError
        chunk = os.read(fd, min(left, 1 << 20))
        if not chunk:
            raise EOFError
        parts.append(chunk)
        left -= len(chunk)
    return b"".join(parts)
