"""Build one Council pack in this process, and SIGKILL it, pause it or count calls at named functions.

    python tests/crash/pack_at.py PACK_ID PERIOD [--draft] [--wait S] [--gate DIR]
        [--kill MODULE:QUALNAME call|return N]
        [--pause NAME MODULE:QUALNAME call|return N[,N...]]   (writes DIR/NAME-N.paused, waits for DIR/NAME-N.go)
        [--count MODULE:QUALNAME] [--no-exchange]

The pack build's twin of kill_at.py, with its rebinding: no hook in production code. A pause lets a
test act at an exact point of the build (sweep a file, start a second build); `--no-exchange` makes
renameat2 unavailable, as on a file system without RENAME_EXCHANGE. Prints one JSON line:
{"pack": folder, "calls": {...}}, or {"refused": {...}} with exit code 3 when another build holds the pack.
"""

from __future__ import annotations

import argparse
import functools
import json
import os
import signal
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from tests.crash.kill_at import install_wrapper  # the child runs with PYTHONPATH at the repo root

REFUSED_EXIT = 3
GATE_TIMEOUT_S = 120.0


def at_nth(original: Callable[..., Any], event: str, nths: set[int], act: Callable[[int], None]) -> Callable[..., Any]:
    """`original`, calling `act(n)` when `event` (call or return) happens for the n-th time, n in `nths`."""
    seen = [0]

    def maybe(wanted: str) -> None:
        if wanted == event:
            seen[0] += 1
            if seen[0] in nths:
                act(seen[0])

    @functools.wraps(original)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        maybe("call")
        result = original(*args, **kwargs)
        maybe("return")
        return result

    return wrapper


def pause(gate: Path, name: str) -> Callable[[int], None]:
    def hold(n: int) -> None:
        (gate / f"{name}-{n}.paused").touch()
        deadline = time.monotonic() + GATE_TIMEOUT_S
        while not (gate / f"{name}-{n}.go").exists():
            if time.monotonic() > deadline:
                raise TimeoutError(f"{name}-{n}.go never appeared")
            time.sleep(0.01)

    return hold


def die(_n: int) -> None:
    os.kill(os.getpid(), signal.SIGKILL)


def counter(calls: dict[str, int], target: str) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    def wrap(original: Callable[..., Any]) -> Callable[..., Any]:
        @functools.wraps(original)
        def counted(*args: Any, **kwargs: Any) -> Any:
            calls[target] = calls.get(target, 0) + 1
            return original(*args, **kwargs)

        return counted

    return wrap


def parse(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser()
    parser.add_argument("pack_id")
    parser.add_argument("period")
    parser.add_argument("--draft", action="store_true")
    parser.add_argument("--wait", type=float, default=None)
    parser.add_argument("--gate", type=Path)
    parser.add_argument("--kill", nargs=3, metavar=("TARGET", "EVENT", "N"))
    parser.add_argument("--pause", nargs=4, action="append", default=[], metavar=("NAME", "TARGET", "EVENT", "NS"))
    parser.add_argument("--count", action="append", default=[])
    parser.add_argument("--no-exchange", action="store_true")
    return parser.parse_args(argv)


def install_all(args: argparse.Namespace, calls: dict[str, int]) -> None:
    for target in args.count:
        install_wrapper(target, counter(calls, target))
    for name, target, event, ns in args.pause:
        nths = {int(n) for n in ns.split(",")}
        install_wrapper(target, lambda f, e=event, s=nths, n=name: at_nth(f, e, s, pause(args.gate, n)))
    if args.kill:
        target, event, nth = args.kill
        install_wrapper(target, lambda f: at_nth(f, event, {int(nth)}, die))
    if args.no_exchange:
        install_wrapper("tasks.pack.folder:exchange", lambda _f: lambda _a, _b: False)


def main(argv: list[str]) -> int:
    import tasks.pack.folder
    import tasks.pack.html
    import tasks.pack.manifest
    import tasks.pack.workbook
    import tasks.storage.ledger
    import tasks.storage.warehouse  # noqa: F401  (all imported before rebinding)
    from council.catalog import load_catalog
    from council.settings import Settings
    from tasks.pack.folder import PackBuildBusy
    from tasks.pipeline.build_pack import PACK_LOCK_WAIT_S, build_pack

    args, calls = parse(argv), {}
    settings, catalog = Settings.from_env(), load_catalog()
    install_all(args, calls)
    wait_s = PACK_LOCK_WAIT_S if args.wait is None else args.wait
    try:
        folder = build_pack(settings, catalog, args.pack_id, args.period, draft=args.draft, wait_s=wait_s)
    except PackBuildBusy as busy:
        print(json.dumps({"refused": {"pack": busy.pack, "holder": busy.holder, "waited_s": busy.waited_s}}))
        return REFUSED_EXIT
    print(json.dumps({"pack": str(folder), "calls": calls}))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
