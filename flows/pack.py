"""Council pack: build from the submissions in force, lock the period, publish the link."""

from __future__ import annotations

from prefect import flow

from council.catalog import load_catalog
from council.settings import Settings
from tasks.build_pack import resolve_meeting
from flows.tasks import build, publish_pack


@flow(name="council-pack")
def council_pack(meeting: str | None = None, period: str | None = None, lang: str = "ru", draft: bool = False) -> str:
    """Build packs/<meeting>/ (a draft locks nothing); returns the pack folder."""
    settings, catalog = Settings.from_env(), load_catalog()
    if not meeting and not period:
        raise ValueError("give a meeting id or a period")
    pack_id, reviewed = resolve_meeting(catalog, meeting, period)
    folder = build(settings, catalog, pack_id, reviewed, lang, draft)
    publish_pack(folder, catalog)
    return str(folder)
