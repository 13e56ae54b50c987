"""Council reporting pipeline: shared core (settings, schema catalogue, problems, CLI)."""

__version__ = "0.1.0"
