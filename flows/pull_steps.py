"""The `pull:` step of prefect.yaml: where a deployment's run starts, chosen on the machine that runs it.

Without a `pull:` section, `prefect deploy` writes the deploying machine's absolute path into the deployment
(FIELD-NOTES), and a worker anywhere else fails to find the flow. This step instead runs from:

1. `directory`, when given (prefect.yaml passes `{{ $COUNCIL_HOME }}`, which Prefect fills in from the
   worker's environment at run time and drops when the variable is not set);
2. else the folder this code is installed in (the one holding `flows/`, where every entrypoint of
   prefect.yaml is found): a repository checkout, or site-packages after `pip install .`.
"""

from __future__ import annotations

import os
from pathlib import Path

INSTALLED_HOME = Path(__file__).resolve().parents[1]


def set_council_home(directory: str | None = None) -> dict[str, str]:
    """Change to `directory` (else the installed code's folder); Prefect takes the returned `directory` as the
    run's working directory, as it does from its own `set_working_directory`."""
    home = Path(directory).expanduser() if directory else INSTALLED_HOME
    if not (home / "flows").is_dir():
        raise FileNotFoundError(f"COUNCIL_HOME {home} has no flows/ folder: set it to the folder holding flows/")
    os.chdir(home)
    return {"directory": os.getcwd()}
