"""Run one inbox sweep and SIGKILL this process when a named function is entered or left for the Nth time.

    python tests/crash/kill_at.py MODULE:QUALNAME call|return N

No hook in production code: this harness wraps the named function in the child only, wherever it is
bound (its module or class, and every module that imported it by name). A `sys.setprofile` profiler
would need no rebinding but made a three-file sweep take 70 s instead of 8. The data root and the
clock come from COUNCIL_* variables. Exits 0 when the sweep finished without reaching the Nth event.
"""

from __future__ import annotations

import functools
import importlib
import os
import signal
import sys
from collections.abc import Callable
from typing import Any


def resolve(target: str) -> tuple[Any, str, Callable[..., Any]]:
    """(owner, attribute, function) for MODULE:QUALNAME, e.g. zipfile:ZipFile.writestr."""
    module_name, _, qualname = target.partition(":")
    owner: Any = importlib.import_module(module_name)
    *path, name = qualname.split(".")
    for part in path:
        owner = getattr(owner, part)
    return owner, name, getattr(owner, name)


def killer(original: Callable[..., Any], event: str, nth: int) -> Callable[..., Any]:
    seen = [0]

    def die_at(wanted: str) -> None:
        if wanted == event:
            seen[0] += 1
            if seen[0] == nth:
                os.kill(os.getpid(), signal.SIGKILL)

    @functools.wraps(original)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        die_at("call")
        result = original(*args, **kwargs)
        die_at("return")
        return result

    return wrapper


def install(target: str, event: str, nth: int) -> None:
    """Rebind the function everywhere it is reachable by name, so every caller goes through the wrapper."""
    install_wrapper(target, lambda original: killer(original, event, nth))


def install_wrapper(target: str, wrap: Callable[[Callable[..., Any]], Callable[..., Any]]) -> None:
    """Rebind MODULE:QUALNAME to `wrap(original)` in its owner and in every module that imported it by name."""
    owner, name, original = resolve(target)
    wrapper = wrap(original)
    setattr(owner, name, wrapper)
    for module in list(sys.modules.values()):
        for attr, value in list(getattr(module, "__dict__", {}).items()):
            if value is original:
                setattr(module, attr, wrapper)


def main(target: str, event: str, nth: int) -> int:
    from council.catalog import load_catalog
    from council.settings import Settings
    from tasks import feedback  # noqa: F401  (imported before rebinding)
    from tasks.pipeline import submission, sweep  # noqa: F401

    settings, catalog = Settings.from_env(), load_catalog()
    install(target, event, nth)
    with sweep.open_reader(settings) as read:
        sweep.sweep(settings, catalog, read)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1], sys.argv[2], int(sys.argv[3])))
