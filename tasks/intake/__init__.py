"""Intake: the drop folders, the hold, hashing and the archive (files only; no database)."""
