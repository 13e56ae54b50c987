"""Council pack: build from the submissions in force, lock the period, publish the link."""

from __future__ import annotations

from prefect import flow, get_run_logger

from council.catalog import load_catalog
from council.settings import Settings
from flows.parameters import Lang, MeetingId, Period
from flows.prefect_tasks import build, publish_pack
from tasks.pipeline.build_pack import PACK_LOCK_WAIT_S, resolve_meeting
from tasks.pipeline.packs_due import unbuilt_due_meetings

# A build takes seconds to a minute, after waiting up to PACK_LOCK_WAIT_S behind another build of the same
# pack: past that plus a minute's build, twice over, the run is stuck (a hung read, a held warehouse lock).
PACK_TIMEOUT_S = 2 * (PACK_LOCK_WAIT_S + 60)
# What a retry can cure is a busy warehouse or a build of the same pack that held its lock past the wait:
# both pass within minutes. A wrong meeting id fails every attempt (3 in all, a few minutes): the parameter
# schema stops a malformed period or language before the run starts, so that is left for an unknown id.
PACK_RETRIES, PACK_RETRY_DELAY_S = 2, 60


@flow(
    name="council-pack",
    retries=PACK_RETRIES,
    retry_delay_seconds=PACK_RETRY_DELAY_S,
    timeout_seconds=PACK_TIMEOUT_S,
)
def council_pack(
    meeting: MeetingId | None = None, period: Period | None = None, lang: Lang = "ru", draft: bool = False
) -> str:
    """Build packs/<meeting>/ (a draft locks nothing); returns the pack folder.

    Args:
        meeting: the Council meeting whose pack to build, e.g. TPC-2026-09; leave it empty to give a period.
        period: the half-year the meeting reviews, e.g. 2026S1; used when no meeting is given.
        lang: language of the pack: kk (Kazakh), ru (Russian) or en (English).
        draft: preview only: a draft pack locks nothing and can be rebuilt at will.
    """
    settings, catalog = Settings.from_env(), load_catalog()
    if not meeting and not period:
        raise ValueError("give a meeting id or a period")
    meeting, period = (meeting or "").upper() or None, (period or "").upper() or None
    pack_id, reviewed = resolve_meeting(catalog, meeting, period)
    folder = build(settings, catalog, pack_id, reviewed, lang, draft)
    publish_pack(folder, catalog)
    return str(folder)


# The daily check retries like a pack build (it skips the packs already built), with room for a few packs.
@flow(
    name="council-packs-due",
    retries=PACK_RETRIES,
    retry_delay_seconds=PACK_RETRY_DELAY_S,
    timeout_seconds=3 * PACK_TIMEOUT_S,
)
def packs_due(lang: Lang = "ru") -> list[str]:
    """Daily check: build (and so lock) every official pack whose lock date has come and is not built yet.

    Args:
        lang: language of the packs it builds: kk (Kazakh), ru (Russian) or en (English).
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
