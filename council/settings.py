"""Runtime settings, read from the environment once (no heavy imports: the CLI starts fast)."""

from __future__ import annotations

import os
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path


@dataclass(frozen=True)
class Settings:
    """Where the data root is and the limits the pipeline works within."""

    data_dir: Path
    settle_seconds: float = 5.0
    max_file_mb: float = 50.0
    read_timeout_s: float = 60.0
    read_memory_mb: int = 2048
    max_rows: int = 200_000
    max_columns: int = 200
    max_unpacked_mb: float = 500.0
    now_override: str | None = None
    workers: int = 0  # worker processes per sweep; 0 = one per CPU core
    claim_timeout_s: float = 600.0  # a sweep that has not finished a file in this long is presumed dead
    retry_backoff_s: float = 60.0  # a failed file is tried again after this, doubling with each failure
    max_attempts: int = 3  # failures before a file is quarantined (kept, listed, answered)
    hold_taken_s: float = 3600.0  # a taken file waits this long in its centre's hold folder, in case it grows
    gx_screen: bool = True  # vectorised screen before Great Expectations (off: the whole suite goes to GX)
    chromium: str | None = None  # the browser that prints pack.pdf (default: found on PATH)
    sweep_interval_s: float | None = None  # overrides the inbox-sweep deployment's interval under `council serve`

    @classmethod
    def from_env(cls) -> Settings:
        env = os.environ
        return cls(
            data_dir=Path(env.get("COUNCIL_DATA_DIR", "data")).resolve(),
            settle_seconds=float(env.get("COUNCIL_SETTLE_SECONDS", 5.0)),
            max_file_mb=float(env.get("COUNCIL_MAX_FILE_MB", 50.0)),
            read_timeout_s=float(env.get("COUNCIL_READ_TIMEOUT_S", 60.0)),
            read_memory_mb=int(env.get("COUNCIL_READ_MEMORY_MB", 2048)),
            max_rows=int(env.get("COUNCIL_MAX_ROWS", 200_000)),
            max_columns=int(env.get("COUNCIL_MAX_COLUMNS", 200)),
            max_unpacked_mb=float(env.get("COUNCIL_MAX_UNPACKED_MB", 500.0)),
            now_override=env.get("COUNCIL_NOW") or None,
            workers=int(env.get("COUNCIL_WORKERS", 0)),
            claim_timeout_s=float(env.get("COUNCIL_CLAIM_TIMEOUT_S", 600.0)),
            retry_backoff_s=float(env.get("COUNCIL_RETRY_BACKOFF_S", 60.0)),
            max_attempts=int(env.get("COUNCIL_MAX_ATTEMPTS", 3)),
            hold_taken_s=float(env.get("COUNCIL_HOLD_TAKEN_S", 3600.0)),
            gx_screen=env.get("COUNCIL_GX_SCREEN", "on").lower() not in ("off", "0", "false", "no"),
            chromium=env.get("COUNCIL_CHROMIUM") or None,
            sweep_interval_s=float(env["COUNCIL_SWEEP_INTERVAL_S"]) if env.get("COUNCIL_SWEEP_INTERVAL_S") else None,
        )

    def now(self) -> datetime:
        """Current UTC time; `COUNCIL_NOW` (ISO 8601) pins it for demos and tests."""
        if self.now_override:
            pinned = datetime.fromisoformat(self.now_override)
            return pinned if pinned.tzinfo else pinned.replace(tzinfo=UTC)
        return datetime.now(UTC)

    @property
    def inbox(self) -> Path:
        return self.data_dir / "inbox"

    @property
    def archive(self) -> Path:
        return self.data_dir / "archive"

    @property
    def outbox(self) -> Path:
        return self.data_dir / "outbox"

    @property
    def packs(self) -> Path:
        return self.data_dir / "packs"

    @property
    def processed(self) -> Path:
        return self.data_dir / "processed"

    @property
    def journal(self) -> Path:
        """Append-only journal of the ledger's events, beside the archive: with it, the archive rebuilds all."""
        return self.data_dir / "journal"

    @property
    def warehouse(self) -> Path:
        return self.data_dir / "warehouse" / "council.duckdb"
