"""The one packaging fact pyproject.toml cannot state: `schemas/` ships as the data package `council_schemas`.

pyproject's `packages.find` cannot add a package that lives under another folder name, and `schemas/` stays at
the repository root (the card's layout), so the package list is found here; everything else is in pyproject.toml.
"""

from setuptools import find_packages, setup

setup(
    packages=[*find_packages(include=["council*", "flows*", "tasks*"]), "council_schemas"],
    package_dir={"council_schemas": "schemas"},
)
