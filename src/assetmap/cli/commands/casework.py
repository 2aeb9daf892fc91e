"""Introductions and follow-ups (`intro ...`) and the casework file's upkeep (`casework ...`).
The records live in the private casework file, never in the catalogue; see the README section
"Introductions and follow-ups"."""

import datetime as dt
from typing import Annotated

import typer

from assetmap import config
from assetmap.cli.app import AssetmapGroup, app, check_format, get_state
from assetmap.cli.commands import add_refs
from assetmap.cli.options import FormatOpt, YesOpt
from assetmap.cli.output import emit_records
from assetmap.errors import counted

intro_app = typer.Typer(
    cls=AssetmapGroup,
    no_args_is_help=True,
    help="Introductions of a person to an asset, and their follow-ups (kept in the private "
    "casework file, case references encrypted).",
)
app.add_typer(intro_app, name="intro")
casework_app = typer.Typer(
    cls=AssetmapGroup,
    no_args_is_help=True,
    help="The private casework file: delete old records or one person's records.",
)
app.add_typer(casework_app, name="casework")

CaseOpt = Annotated[
    str, typer.Option("--case", help="The case reference your service already uses (never a name).")
]
OnOpt = Annotated[
    str | None, typer.Option("--on", help="When (default today): 2026-11-23 or 23/11/2026.")
]
LIST_COLUMNS = ["case", "asset", "name", "introduced_on", "went_with", "summary"]
DUE_COLUMNS = [
    "case", "asset", "name", "introduced_on", "went_with", "follow_up", "due_on",
    "days_overdue", "status",
]  # fmt: skip
# On a terminal: the short ref (which intro and show accept) and what is due, in words.
LIST_TTY_COLUMNS = ["case", "ref", "name", "introduced_on", "went_with", "summary"]
DUE_TTY_COLUMNS = ["case", "ref", "name", "follow_up", "due_on", "status"]


def _casework(ctx, *, create: bool):
    from assetmap.casework.store import open_for

    return open_for(get_state(ctx).db, create=create)


def _key(ctx, cw, *, create: bool):
    from assetmap.casework import keys

    state = get_state(ctx)
    return keys.unlock(cw, config.casework_key_path(), create=create, info=state.messages.info)


@intro_app.command("add")
def intro_add(
    ctx: typer.Context,
    asset_id: Annotated[
        str,
        typer.Argument(
            metavar="ASSET", help="The asset: its id, or the ref near and search print."
        ),
    ],
    case: CaseOpt,
    on: OnOpt = None,
    with_: Annotated[
        str,
        typer.Option(
            "--with", help="Who went along: peer-mentor, practitioner, volunteer, nobody."
        ),
    ] = "nobody",
    follow_ups: Annotated[
        str | None,
        typer.Option(
            "--follow-ups",
            help="Follow-ups, in weeks after the introduction (default $ASSETMAP_FOLLOW_UPS or 4w,12w).",
        ),
    ] = None,
) -> None:
    """Record that a person was introduced to an asset; schedules follow-ups at 4 and 12 weeks."""
    from assetmap.casework import codes, introductions

    state = get_state(ctx)
    today = dt.date.today()
    ref, day = codes.case_ref(case), codes.day(on, today)
    role, weeks = codes.role(with_), codes.follow_up_weeks(follow_ups)
    cat = state.catalogue()
    # Before anything is created: an unknown or ambiguous ref changes nothing.
    asset_id = cat.find(asset_id).id
    cw = _casework(ctx, create=True)
    if not cw.count():
        state.messages.info(f"assetmap: casework is kept in {cw.path} (private: mode 0600)")
    key = _key(ctx, cw, create=True)
    due = introductions.add(
        cw, key, cat, ref=ref, asset_id=asset_id, on=day, went_with=role, weeks=weeks
    )
    dates = ", ".join(f"{d} ({w}w)" for w, d in due)
    state.messages.info(f"intro: {asset_id} on {day}, went with {role}; follow-ups due {dates}")


@intro_app.command("follow-up")
def intro_follow_up(
    ctx: typer.Context,
    case: Annotated[str, typer.Argument(metavar="REF", help="The case reference.")],
    asset_id: Annotated[
        str,
        typer.Argument(
            metavar="ASSET", help="The asset: its id, or the ref near and search print."
        ),
    ],
    outcome: Annotated[
        str,
        typer.Option("--outcome", help="attended, did-not-attend, still-going or stopped."),
    ],
    reason: Annotated[
        str | None,
        typer.Option(
            "--reason",
            help="With stopped: moved, did-not-suit, licence-conditions, found-something-else, other.",
        ),
    ] = None,
    on: OnOpt = None,
    week: Annotated[
        int | None,
        typer.Option("--week", min=1, help="Which follow-up (default: the next with no outcome)."),
    ] = None,
) -> None:
    """Record a follow-up's outcome for the latest introduction of this case to this asset."""
    from assetmap.casework import codes, introductions

    state = get_state(ctx)
    ref, day = codes.case_ref(case, "REF"), codes.day(on, dt.date.today())
    code = codes.outcome(outcome)
    why = codes.reason(reason) if reason else None
    cw, key = _unlocked(ctx)
    asset_id = _asset_id(state, asset_id)
    done = introductions.follow_up(
        cw, key, ref=ref, asset_id=asset_id, outcome=code, reason=why, on=day, week=week
    )
    verb = "corrected" if done["corrected"] else "recorded"
    state.messages.info(f"follow-up: {done['week']}w {code} {verb} for {asset_id} ({day})")


def _asset_id(state, ref: str) -> str:
    """The whole id a ref names; an id no longer in the catalogue (removed since the
    introduction) is taken as it is, so its follow-ups can still be recorded."""
    asset = state.catalogue().find(ref, missing_ok=True)
    return asset.id if asset else ref


@intro_app.command("list")
def intro_list(ctx: typer.Context, case: CaseOpt, fmt: FormatOpt = "table") -> None:
    """One person's introductions, one row per introduction, with their follow-ups (needs the key)."""
    from assetmap.casework import codes, introductions

    fmt = check_format(fmt)
    ref = codes.case_ref(case)
    cw, key = _unlocked(ctx)
    cat = get_state(ctx).catalogue()
    records = introductions.of_case(cw, key, cat, ref)
    if fmt == "table":
        add_refs(records, cat, key="asset")
    emit_records(
        records, fmt, columns=LIST_COLUMNS, tty_columns=LIST_TTY_COLUMNS,
        quiet=get_state(ctx).quiet,
    )  # fmt: skip


@intro_app.command("due")
def intro_due(
    ctx: typer.Context,
    within: Annotated[
        str, typer.Option(help="Also what falls due within this time: 7d, 2w.")
    ] = "7d",
    fmt: FormatOpt = "table",
) -> None:
    """Follow-ups due within the window and overdue, with their case references (for the
    practitioner or a cron job). Warns about introductions kept past the retention period."""
    from assetmap.casework import codes, introductions

    fmt = check_format(fmt)
    state = get_state(ctx)
    today = dt.date.today()
    days = codes.period(within, "--within").days
    keep = codes.retention()
    cutoff = today - codes.period(keep, "ASSETMAP_CASEWORK_RETENTION")
    cw = _casework(ctx, create=False)
    key = _key(ctx, cw, create=False) if cw else None
    records = introductions.due(cw, key, state.catalogue(), today, days) if key else []
    if records or fmt != "table":
        if fmt == "table":
            add_refs(records, state.catalogue(), key="asset")
        emit_records(
            records, fmt, columns=DUE_COLUMNS, tty_columns=DUE_TTY_COLUMNS,
            quiet=get_state(ctx).quiet,
        )  # fmt: skip
    due = counted(len(records), "follow-up")
    state.messages.info(f"intro due: {due} due within {within} or overdue")
    if cw:
        old = introductions.older_than(cw, cutoff.isoformat())
        if old:
            state.messages.warn(
                f"{counted(old, 'introduction')} {'is' if old == 1 else 'are'} older than the "
                f"{keep} retention period; delete them "
                f"with `assetmap casework purge --older-than {keep}`"
            )


@intro_app.command("report")
def intro_report(
    ctx: typer.Context,
    by: Annotated[str, typer.Option(help="Group by asset, source or area.")] = "asset",
    since: Annotated[
        str | None, typer.Option(help="Only introductions on or after this date.")
    ] = None,
    fmt: FormatOpt = "table",
) -> None:
    """Introductions, attended, and still going at 4 and 12 weeks; any count under 5 is
    shown as "<5". Needs no key: it names no case."""
    from assetmap.casework import codes, report

    fmt = check_format(fmt)
    state = get_state(ctx)
    start = codes.day(since, dt.date.today(), "--since") if since else None
    cw = _casework(ctx, create=False)
    rows, columns = report.report(cw, state.catalogue(), by=by.lower(), since=start)
    if rows or fmt != "table":
        emit_records(rows, fmt, columns=columns, quiet=get_state(ctx).quiet)
    if not rows:
        state.messages.info("intro report: no introductions recorded")


@casework_app.command("purge")
def casework_purge(
    ctx: typer.Context,
    older_than: Annotated[
        str | None,
        typer.Option(
            help="Delete introductions made longer ago than this: 24m, 104w, 2y (default "
            "$ASSETMAP_CASEWORK_RETENTION or 24m)."
        ),
    ] = None,
    yes: YesOpt = False,
) -> None:
    """Delete old introductions and their follow-ups outright, then compact the file so they
    leave no trace."""
    from assetmap.casework import codes, introductions

    state = get_state(ctx)
    keep = older_than or codes.retention()
    option = "--older-than" if older_than else "ASSETMAP_CASEWORK_RETENTION"
    cutoff = (dt.date.today() - codes.period(keep, option)).isoformat()
    cw = _casework(ctx, create=False)
    n = introductions.older_than(cw, cutoff) if cw else 0
    if n and not yes:
        _confirm(f"Delete {counted(n, 'introduction')} made before {cutoff}?")
    if n:
        introductions.purge(cw, cutoff)
    state.messages.info(
        f"casework purge: {counted(n, 'introduction')} made before {cutoff} deleted"
    )


@casework_app.command("forget")
def casework_forget(ctx: typer.Context, case: CaseOpt, yes: YesOpt = False) -> None:
    """Delete every record of one person (on request), then compact the file."""
    from assetmap.casework import codes, introductions

    state = get_state(ctx)
    ref = codes.case_ref(case)
    cw, key = _unlocked(ctx)
    if not yes:
        _confirm("Delete every record of this case?")
    n = introductions.forget(cw, key, ref)
    state.messages.info(f"casework forget: {counted(n, 'introduction')} of that case deleted")


def _confirm(question: str) -> None:
    import sys

    from assetmap.errors import NeedsConfirmation

    if not sys.stdin.isatty():
        raise NeedsConfirmation("not deleting without confirmation; pass --yes to delete")
    if not typer.confirm(question, err=True):
        raise NeedsConfirmation("nothing deleted")


def _unlocked(ctx):
    """The casework file and its key, to find a case by its reference. With no file or no key
    yet, nothing has been recorded: the case is unknown."""
    from assetmap.casework.introductions import UNKNOWN_CASE
    from assetmap.errors import NotFound

    cw = _casework(ctx, create=False)
    key = _key(ctx, cw, create=False) if cw else None
    if key is None:
        raise NotFound(UNKNOWN_CASE)
    return cw, key
