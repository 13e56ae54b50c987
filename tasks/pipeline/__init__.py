"""The pipeline: one submission from drop to answer, one sweep (serially or in worker processes), one pack
build, a rebuild from the archive. It wires the stages (`tasks/<stage>/`) and storage; Prefect wires it."""
