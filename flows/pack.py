"""Council pack: build from the submissions in force, lock the period, publish the link."""

from __future__ import annotations

from prefect import flow, get_run_logger

from council.catalog import load_catalog
from council.settings import Settings
from flows.prefect_tasks import build, publish_pack
from tasks.pipeline.build_pack import resolve_meeting
from tasks.pipeline.packs_due import unbuilt_due_meetings


@flow(name="council-pack")
def council_pack(meeting: str | None = None, period: str | None = None, lang: str = "ru", draft: bool = False) -> str:
    """Build packs/<meeting>/ (a draft locks nothing); returns the pack folder."""
    settings, catalog = Settings.from_env(), load_catalog()
    if not meeting and not period:
        raise ValueError("give a meeting id or a period")
    meeting, period = (meeting or "").upper() or None, (period or "").upper() or None
    pack_id, reviewed = resolve_meeting(catalog, meeting, period)
    folder = build(settings, catalog, pack_id, reviewed, lang, draft)
    publish_pack(folder, catalog)
    return str(folder)


@flow(name="council-packs-due")
def packs_due(lang: str = "ru") -> list[str]:
    """Daily check: build (and so lock) every official pack whose lock date has come and is not built yet.

    Args:
        lang: language of the packs it builds.
    """
    settings, catalog, logger = Settings.from_env(), load_catalog(), get_run_logger()
    due = unbuilt_due_meetings(catalog, settings.packs, settings.now().date())
    logger.info("packs due and not built: %s", ", ".join(m.id for m in due) or "none")
    folders, failed = [], []
    for meeting in due:
        try:
            folder = build(settings, catalog, meeting.id, meeting.period, lang, False)
        except Exception:  # one pack that cannot be built must not starve the later ones; the run fails below
            logger.exception("pack %s was not built; the next daily check tries again", meeting.id)
            failed.append(meeting.id)
            continue
        publish_pack(folder, catalog)
        folders.append(str(folder))
    if failed:
        raise RuntimeError(f"packs not built: {', '.join(failed)}; built: {', '.join(folders) or 'none'}")
    return folders
