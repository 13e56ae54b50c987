"""The `pull:` step of prefect.yaml: where a deployment's run starts, chosen on the machine that runs it.

Without a `pull:` section, `prefect deploy` writes the deploying machine's absolute path into the deployment
(FIELD-NOTES), and a worker anywhere else fails to find the flow. This step runs from the folder this code is
installed in on the worker (the one holding `flows/`, where every entrypoint of prefect.yaml is found): a
repository checkout (editable install) or site-packages after `pip install .`. The worker imports this very
module to run the step, so that folder is always the code the worker has.

Not a `{{ $COUNCIL_HOME }}` template: Prefect 3.9.1 fills environment placeholders of prefect.yaml's `pull:`
in at deploy time when the deploying shell has the variable set (measured: `COUNCIL_HOME=/x prefect deploy`
stored `directory: /x`), which would bake that machine's path in after all.
"""

from __future__ import annotations

import os
from pathlib import Path

INSTALLED_HOME = Path(__file__).resolve().parents[1]


def set_council_home() -> dict[str, str]:
    """Change to the installed code's folder; Prefect takes the returned `directory` as the run's working
    directory, as it does from its own `set_working_directory`."""
    os.chdir(INSTALLED_HOME)
    return {"directory": os.getcwd()}
