"""Where the files shipped with the package are: `schemas/` and `prefect.yaml`, installed or in a checkout.

In the wheel `schemas/` is the data package `council_schemas` and `prefect.yaml` a data file of the distribution
(`share/council-pipeline/`); in a checkout (the editable install) both are the repository's own files, so an
edit is seen at once.
"""

from __future__ import annotations

from importlib import metadata, resources
from pathlib import Path

DISTRIBUTION = "council-pipeline"
PREFECT_CONFIG = "prefect.yaml"
_CHECKOUT = Path(__file__).resolve().parent.parent  # the repository root in a checkout; site-packages in a wheel


def packaged_schemas() -> Path:
    """The schema folder shipped with the package (a real folder: the package is installed as files)."""
    return Path(str(resources.files("council_schemas")))


def prefect_config() -> Path:
    """prefect.yaml: the checkout's own when running from one, else the copy installed with the distribution."""
    if (_CHECKOUT / PREFECT_CONFIG).is_file():
        return _CHECKOUT / PREFECT_CONFIG
    files = metadata.distribution(DISTRIBUTION).files or []
    installed = next((f for f in files if f.name == PREFECT_CONFIG and "council-pipeline" in f.parts), None)
    if installed is None:
        raise FileNotFoundError(f"{PREFECT_CONFIG} is not installed with {DISTRIBUTION}; reinstall the package")
    return Path(str(installed.locate())).resolve()
