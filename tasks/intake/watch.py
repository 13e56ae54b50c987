"""`council serve --watch`: a file that settles in a drop folder asks for a sweep at once instead of at the next tick.

The inbox-sweep deployment stays the only thing that takes files; the watcher only says when. The interval
schedule remains the safety net (network shares that send no file events, a watcher that missed one).
"""

from __future__ import annotations

import logging
import os
import queue
import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from watchdog.events import FileSystemEvent, FileSystemEventHandler

from tasks.intake.files import ignored, ignored_name

RESOURCE_PREFIX = "council.inbox."  # a drop folder as an event resource: council.inbox.<CENTRE>
TICK_S = 0.5
# After asking, give the automation and the runner time to start the sweep before asking again (a request
# can be lost: the deployment's trigger not registered yet at start-up, the server restarting).
HOLD_OFF_S = 20.0
# A file the sweeps keep leaving in the inbox (unreadable, held by another machine's claim) is left to the
# interval schedule after this many requests instead of asking for a sweep every HOLD_OFF_S forever.
MAX_REQUESTS = 3

Emit = Callable[[str, list[str]], None]
SweepActive = Callable[[], bool]
# Under "prefect." so the lines show in `council serve` output with Prefect's own format and level.
log = logging.getLogger("prefect.council.watch")


def centre_of(path: Path, inbox: Path, centres: Iterable[str]) -> str | None:
    """The centre whose drop folder directly holds `path`, or None (outside the inbox, nested, a lock file)."""
    if path.parent.parent != inbox or path.parent.name not in centres or ignored_name(path.name):
        return None
    return path.parent.name


@dataclass
class SettleTracker:
    """Which files have been quiet for `settle_s` and still wait for a sweep to take them; times are injected."""

    settle_s: float
    hold_off_s: float = HOLD_OFF_S
    max_requests: int = MAX_REQUESTS
    changed: dict[Path, float] = field(default_factory=dict)  # path -> last change seen
    waiting: dict[Path, str] = field(default_factory=dict)  # settled path -> centre
    requests: dict[Path, int] = field(default_factory=dict)
    last_request: float | None = None
    sweep_seen: bool = False  # a sweep was seen running since the last request

    def touch(self, path: Path, now: float) -> None:
        """A file was created, written or moved in: its quiet time starts again."""
        self.changed[path] = now
        self.waiting.pop(path, None)
        self.requests.pop(path, None)

    def forget(self, path: Path) -> None:
        """Deleted or moved away (a sweep took it): nothing to ask for."""
        self.changed.pop(path, None)
        self.waiting.pop(path, None)
        self.requests.pop(path, None)

    def settle(self, now: float, centre: Callable[[Path], str | None]) -> None:
        """Move every file quiet for `settle_s` into the waiting set."""
        for path, at in list(self.changed.items()):
            if now - at >= self.settle_s:
                del self.changed[path]
                if (code := centre(path)) is not None:
                    self.waiting[path] = code

    def due(self, now: float, sweep_active: SweepActive) -> dict[str, list[str]]:
        """Centre -> file names to ask a sweep for now; nothing while a sweep runs (CANCEL_NEW would drop the ask).

        A file that settled while a sweep was running, or that the asked-for sweep left behind, is asked for
        again as soon as that sweep has ended, instead of waiting for the next interval tick.
        """
        asked = [p for p in self.waiting if self.requests.get(p, 0) < self.max_requests]
        if not asked:
            return {}
        if sweep_active():
            self.sweep_seen = True
            return {}
        # Until the sweep asked for has been seen (or the hold-off has passed), ask only for files not yet asked.
        repeat = self.sweep_seen or now - (self.last_request or 0.0) >= self.hold_off_s
        chosen = asked if repeat else [p for p in asked if p not in self.requests]
        if not chosen:
            return {}
        self.last_request, self.sweep_seen = now, False
        wanted: dict[str, list[str]] = {}
        for path in chosen:
            self.requests[path] = self.requests.get(path, 0) + 1
            wanted.setdefault(self.waiting[path], []).append(path.name)
        return wanted

    def prune(self, exists: Callable[[Path], bool]) -> None:
        """Drop waiting files that are gone from the inbox: a sweep has taken them."""
        for path in [p for p in self.waiting if not exists(p)]:
            self.forget(path)


def files_in(folders: Iterable[Path]) -> list[Path]:
    """What is already in the drop folders when watching starts: it gets the same settle-then-ask treatment."""
    return [entry for folder in folders if folder.is_dir() for entry in sorted(folder.iterdir()) if not ignored(entry)]


class _Changes(FileSystemEventHandler):
    """watchdog callbacks -> (kind, path) on a queue; the loop thread owns all the state."""

    def __init__(self, changes: queue.SimpleQueue[tuple[str, Path]]) -> None:
        self.changes = changes

    def on_any_event(self, event: FileSystemEvent) -> None:
        if event.is_directory or event.event_type in ("opened", "closed_no_write"):
            return
        source = Path(os.fsdecode(event.src_path))
        if event.event_type == "moved":
            self.changes.put(("gone", source))
            self.changes.put(("touch", Path(os.fsdecode(event.dest_path))))
        else:
            self.changes.put(("gone" if event.event_type == "deleted" else "touch", source))


@dataclass
class InboxWatcher:
    """Watch `inbox/<CENTRE>/` and call `emit(centre, names)` once files settle and no sweep is running."""

    inbox: Path
    centres: list[str]
    tracker: SettleTracker
    emit: Emit
    sweep_active: SweepActive
    stop: threading.Event = field(default_factory=threading.Event)

    def run(self) -> None:
        """Blocks until `stop` is set; start it in a daemon thread."""
        from watchdog.observers import Observer

        changes: queue.SimpleQueue[tuple[str, Path]] = queue.SimpleQueue()
        observer = Observer()
        folders = [self.inbox / code for code in self.centres]
        for folder in folders:
            folder.mkdir(parents=True, exist_ok=True)
            observer.schedule(_Changes(changes), str(folder), recursive=False)
        observer.start()
        try:
            for path in files_in(folders):
                self.tracker.touch(path, time.monotonic())
            while not self.stop.is_set():
                self._drain(changes)
                self.step(time.monotonic())
        finally:
            observer.stop()

    def _drain(self, changes: queue.SimpleQueue[tuple[str, Path]]) -> None:
        try:
            kind, path = changes.get(timeout=TICK_S)
            while True:
                self.tracker.touch(path, time.monotonic()) if kind == "touch" else self.tracker.forget(path)
                kind, path = changes.get_nowait()
        except queue.Empty:
            return

    def step(self, now: float) -> None:
        """One tick: settle quiet files, forget taken ones, ask for a sweep if one is due."""
        self.tracker.settle(now, lambda p: centre_of(p, self.inbox, self.centres) if p.is_file() else None)
        self.tracker.prune(Path.exists)
        for centre, names in self.tracker.due(now, self.sweep_active).items():
            log.info("%s: %d settled file(s), asking for a sweep", centre, len(names))
            self.emit(centre, names)
