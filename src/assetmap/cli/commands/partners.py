"""`partners`: the partnership manager's pipeline (partners by status, the follow-ups due, and
recording a contact)."""

from typing import Annotated

import typer

from assetmap.cli.app import AssetmapGroup, app, check_format, get_state
from assetmap.cli.commands import add_refs
from assetmap.cli.options import FormatOpt, IdArg
from assetmap.cli.output import emit_records
from assetmap.errors import counted

partners_app = typer.Typer(
    cls=AssetmapGroup,
    help="Partners by status with the next contact due; `partners due` for the follow-ups.",
)
app.add_typer(partners_app, name="partners")

TABLE_COLUMNS = ["id", "name", "partnership_status", "next_contact", "contact_name", "area"]
# The plain table (the cron mail) has every field but the email and area; an 80-column
# terminal has room for fewer.
DUE_TABLE_COLUMNS = [
    "id", "name", "next_contact", "days_overdue", "partnership_status", "contact_name",
    "contact_phone", "last_contact",
]  # fmt: skip
DUE_TTY_COLUMNS = ["id", "name", "next_contact", "days_overdue", "contact_name", "contact_phone"]


def _on_a_terminal(columns: list[str]) -> list[str]:
    """A terminal's table: the short ref a person copies into show or edit, not the whole id."""
    return ["ref" if c == "id" else c for c in columns]


AsOfOpt = Annotated[
    str | None,
    typer.Option(
        "--as-of", help="Count from this date instead of today (2026-11-23 or 23/11/2026)."
    ),
]


def _today(as_of: str | None):
    import datetime as dt

    from assetmap.catalogue.models import parse_date
    from assetmap.errors import InvalidValue

    if not as_of:
        return dt.date.today()
    try:
        return parse_date(as_of)
    except InvalidValue as exc:
        raise InvalidValue(f"--as-of: {exc}") from None


@partners_app.callback(invoke_without_command=True)
def partners_list(
    ctx: typer.Context,
    status: Annotated[
        list[str] | None,
        typer.Option(
            "--status", help="Only this status: partner, known, approached, lapsed (repeatable)."
        ),
    ] = None,
    area: Annotated[str | None, typer.Option(help="Only this area (council).")] = None,
    fmt: FormatOpt = "table",
) -> None:
    """Assets with a partnership status: partners first, then approached, known and lapsed,
    each by the next contact due."""
    if ctx.invoked_subcommand:
        return
    from assetmap.catalogue import partners

    fmt = check_format(fmt)
    state = get_state(ctx)
    cat = state.catalogue()
    area = cat.area_named(area) if area is not None else None
    rows = partners.listing(cat, status=partners.statuses(status or []), area=area)
    if rows or fmt != "table":
        if fmt == "table":
            add_refs(rows, cat)
        emit_records(
            rows,
            fmt,
            columns=partners.LIST_COLUMNS,
            table_columns=TABLE_COLUMNS,
            tty_columns=_on_a_terminal(TABLE_COLUMNS),
            quiet=get_state(ctx).quiet,
        )
    state.messages.info(f"partners: {counted(len(rows), 'asset')} with a partnership status")


@partners_app.command("due")
def partners_due(
    ctx: typer.Context,
    within: Annotated[
        str,
        typer.Option(
            help="Falling due within this period from today: 14d, 2w, 1m; 0d: due today or overdue."
        ),
    ] = "14d",
    as_of: AsOfOpt = None,
    fail_if_any: Annotated[
        bool, typer.Option("--fail-if-any", help="Exit 1 when any contact is due (for cron mail).")
    ] = False,
    fmt: FormatOpt = "table",
) -> None:
    """Relationships to follow up: every asset whose next contact falls due in the window or is
    overdue, whatever its status, one row per asset, most overdue first."""
    from assetmap.catalogue import partners

    fmt = check_format(fmt)
    state = get_state(ctx)
    days = partners.parse_window(within)
    cat = state.catalogue()
    rows = partners.due(cat, today=_today(as_of), within_days=days)
    if rows or fmt != "table":
        if fmt == "table":
            add_refs(rows, cat)
        emit_records(
            rows, fmt, columns=partners.DUE_COLUMNS, table_columns=DUE_TABLE_COLUMNS,
            tty_columns=_on_a_terminal(DUE_TTY_COLUMNS), quiet=get_state(ctx).quiet,
        )  # fmt: skip
    overdue = sum(r["days_overdue"] > 0 for r in rows)
    state.messages.info(f"partners due: {len(rows)} within {within} ({overdue} overdue)")
    if fail_if_any and rows:
        raise typer.Exit(1)


@partners_app.command("log")
def partners_log(
    ctx: typer.Context,
    asset_id: IdArg,
    on: Annotated[
        str | None,
        typer.Option(help="Date of the contact (default today): 2026-11-23 or 23/11/2026."),
    ] = None,
    next_due: Annotated[
        str | None,
        typer.Option(
            "--next",
            help="When the next contact is due (default: the same gap as last time, else 3 months).",
        ),
    ] = None,
) -> None:
    """Record a contact with a group: moves last_contact and next_contact, nothing else."""
    import datetime as dt

    from assetmap.catalogue import partners

    state = get_state(ctx)
    cat = state.catalogue()
    asset_id = cat.find(asset_id).id
    last, following = partners.log_contact(
        cat, asset_id, on=on, next_due=next_due, today=dt.date.today()
    )
    state.messages.info(f"{asset_id}: contact logged on {last}; next contact due {following}")
