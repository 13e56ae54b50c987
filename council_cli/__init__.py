"""The `council` command line: the top layer, above the flows and the pipeline (never imported by them)."""
