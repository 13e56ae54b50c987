"""A sweep (or a pack build) in its own process that starts only when the test opens the gate.

    python tests/concurrency/start_together.py GATE_DIR NAME sweep|pack

Everything slow (imports, the warm reader, Great Expectations) happens first; then the child writes
GATE_DIR/NAME.ready and waits for GATE_DIR/go, so two children begin their real work together.
Prints a JSON summary on stdout, with when the work started and ended (time.monotonic,
which all processes share on Linux), so the test can show the two really overlapped.
Data root and clock come from COUNCIL_* variables.
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

GATE_TIMEOUT_S = 120.0


def wait_for(gate: Path) -> None:
    deadline = time.monotonic() + GATE_TIMEOUT_S
    while not gate.exists():
        if time.monotonic() > deadline:
            raise TimeoutError(f"{gate} never appeared")
        time.sleep(0.005)


def main(gate_dir: Path, name: str, job: str) -> int:
    import great_expectations  # noqa: F401  (a 10-20 s import: done before the gate, not inside the race)

    from council.catalog import load_catalog
    from council.settings import Settings
    from tasks.pipeline.build_pack import build_pack
    from tasks.pipeline.sweep import open_reader, sweep

    settings, catalog = Settings.from_env(), load_catalog()
    with open_reader(settings) as read:
        read(Path(__file__))  # starts the warm child (a .py file is refused quickly)
        (gate_dir / f"{name}.ready").touch()
        wait_for(gate_dir / "go")
        started = time.monotonic()  # one system-wide clock: the test compares the children's intervals
        if job == "pack":
            answer: dict[str, object] = {
                "pack": str(build_pack(settings, catalog, "TPC-2026-09", "2026S1", draft=True))
            }
        else:
            answer = {"outcomes": [[o.centre, o.file_name, o.status] for o in sweep(settings, catalog, read)]}
        print(json.dumps(answer | {"started": started, "ended": time.monotonic()}))
    return 0


if __name__ == "__main__":
    sys.exit(main(Path(sys.argv[1]), sys.argv[2], sys.argv[3]))
