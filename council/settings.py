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
    def warehouse(self) -> Path:
        return self.data_dir / "warehouse" / "council.duckdb"
