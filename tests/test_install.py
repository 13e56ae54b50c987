"""`pip install` of the wheel, not the checkout, runs the CLI from any folder: schemas and prefect.yaml ship with it.

How, offline and in seconds: the wheel is built (`pip wheel --no-deps`) from a copy of the packaging inputs
(so no build/ folder appears in the checkout), then installed with `--no-deps` into a fresh venv made in a temp
folder. Its dependencies are not downloaded: a `.pth` file in the fresh venv appends this project's own
site-packages to sys.path, after the fresh venv's. Lines of a `.pth` only add folders, and `.pth` files inside
an added folder are not processed, so the checkout's editable finder never loads: `council` comes from the wheel.
Every command runs from a temp folder with PYTHONPATH unset; the test checks that the code, the schemas and
prefect.yaml it uses lie inside the fresh venv.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import sysconfig
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PACKAGING = [
    *("pyproject.toml", "setup.py", "README.md", "prefect.yaml"),
    *("council", "council_cli", "flows", "tasks", "schemas"),
]
NOW = "2026-07-28T09:00:00+00:00"


def _run(*args: str | Path, cwd: Path, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    done = subprocess.run([str(a) for a in args], cwd=cwd, env=env, capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, f"{args}: exit {done.returncode}\n{done.stdout}\n{done.stderr}"
    return done


def _wheel(tmp: Path) -> Path:
    source = tmp / "source"
    source.mkdir()
    for name in PACKAGING:
        if (ROOT / name).is_dir():
            shutil.copytree(ROOT / name, source / name, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            shutil.copy2(ROOT / name, source / name)
    _run(sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", source, "-w", tmp / "dist", cwd=tmp)
    return next((tmp / "dist").glob("council_pipeline-*.whl"))


@pytest.fixture(scope="module")
def venv(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A fresh venv holding only the wheel; the dependencies come from this project's venv through a `.pth`."""
    tmp = tmp_path_factory.mktemp("install")
    wheel = _wheel(tmp)
    fresh = tmp / "venv"
    _run(sys.executable, "-m", "venv", "--without-pip", fresh, cwd=tmp)
    python = fresh / "bin" / "python"
    _run(
        sys.executable, "-m", "pip", "--python", python, "install", "--quiet", "--no-deps", "--no-index", wheel, cwd=tmp
    )
    site = Path(
        _run(python, "-I", "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])", cwd=tmp).stdout.strip()
    )
    (site / "council_deps.pth").write_text(sysconfig.get_paths()["purelib"] + "\n", encoding="utf-8")
    return fresh


@pytest.fixture
def elsewhere(tmp_path: Path) -> Path:
    """A working folder that is not the checkout."""
    (tmp_path / "work").mkdir()
    return tmp_path / "work"


def _env(elsewhere: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("COUNCIL_", "PYTHON", "PREFECT_"))}
    return env | {"COUNCIL_NOW": NOW, "COUNCIL_SETTLE_SECONDS": "0", "PREFECT_HOME": str(elsewhere / "prefect")}


def test_the_installed_package_uses_its_own_code_schemas_and_prefect_config(venv: Path, elsewhere: Path) -> None:
    where = (
        "import council, flows, council_schemas; from council.catalog import schemas_dir;"
        " from council.resources import prefect_config;"
        " print(council.__file__, flows.__file__, schemas_dir(), prefect_config(), sep='\\n')"
    )
    lines = _run(venv / "bin" / "python", "-I", "-c", where, cwd=elsewhere, env=_env(elsewhere)).stdout.split()
    assert all(Path(line).resolve().is_relative_to(venv.resolve()) for line in lines), lines
    assert Path(lines[2], "workbook.yaml").is_file()
    assert Path(lines[3]).name == "prefect.yaml" and Path(lines[3]).is_file()


def test_the_cli_runs_a_period_from_any_folder(venv: Path, elsewhere: Path) -> None:
    council, env = venv / "bin" / "council", _env(elsewhere)
    for command in (
        ["template", "--centre", "AGRO", "--period", "2026S1", "--lang", "en", "--out", "AGRO.xlsx"],
        ["samples", "--periods", "2026S1"],
        ["ingest"],
        ["status", "--period", "2026S1"],
        ["pack", "--period", "2026S1", "--draft"],
        ["serve", "--help"],
    ):
        _run(council, *command, cwd=elsewhere, env=env)
    assert (elsewhere / "AGRO.xlsx").is_file()
    assert list((elsewhere / "data" / "packs").glob("*/pack.xlsx")), "the draft pack was not written under ./data"


def test_serve_builds_every_deployment_from_the_installed_config_and_flow_modules(venv: Path, elsewhere: Path) -> None:
    """What `council serve` serves, short of starting a server: prefect.yaml's deployments, the flows by module."""
    built = (
        "from council.resources import prefect_config; from flows.serve import deployments;"
        " print(*(f'{d.name} {d.entrypoint}' for d in deployments(prefect_config())), sep='\\n')"
    )
    out = _run(venv / "bin" / "python", "-I", "-c", built, cwd=elsewhere, env=_env(elsewhere)).stdout
    served = dict(line.split() for line in out.splitlines())
    assert served["inbox-sweep"] == "flows.ingest.inbox_sweep"
    assert served["pack-draft"] == "flows.pack.council_pack"


def test_an_agencys_own_schema_folder_is_used_when_named(venv: Path, elsewhere: Path) -> None:
    own = elsewhere / "agency-schemas"
    shutil.copytree(ROOT / "schemas", own, ignore=shutil.ignore_patterns("__pycache__", "*.py"))
    env = _env(elsewhere) | {"COUNCIL_SCHEMAS_DIR": str(own)}
    out = _run(
        venv / "bin" / "python",
        "-I",
        "-c",
        "from council.catalog import load_catalog; print(load_catalog().root)",
        cwd=elsewhere,
        env=env,
    ).stdout.strip()
    assert Path(out) == own.resolve()
