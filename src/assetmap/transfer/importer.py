"""CSV import: file -> rows -> validated Assets -> catalogue, in one transaction.

Every row is validated; all problems are reported together with row (as a spreadsheet numbers
it: the header is row 1) and column. By default any invalid row means nothing is written.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

from assetmap.catalogue import ownership
from assetmap.catalogue.models import COLUMNS, Asset, make_id, match_key
from assetmap.catalogue.store import asset_from_db
from assetmap.catalogue.vocab import PARTNERSHIP_FIELDS
from assetmap.errors import InvalidRecord, InvalidValue, PlaceError, counted, readable
from assetmap.transfer import csvio, safecsv
from assetmap.transfer.problems import RowProblem

# Header names people use, normalised (lower case, letters and digits only) -> our column.
ALIASES = {
    "latitude": "lat", "lng": "lon", "long": "lon", "longitude": "lon",
    "postcode": "postcode", "postalcode": "postcode", "post code": "postcode", "zip": "postcode",
    "url": "website", "web": "website", "webaddress": "website", "site": "website",
    "interests": "tags", "interest": "tags", "keywords": "tags", "type": "category",
    "telephone": "phone", "tel": "phone", "phonenumber": "phone", "emailaddress": "email",
    "minage": "min_age", "maxage": "max_age", "verified": "verified_on",
    "lastverified": "verified_on", "openingtimes": "schedule", "openinghours": "schedule",
    "times": "schedule", "council": "area", "localauthority": "area",
    # Partnerships. "Referral" is already the referral column (drop-in, self-referral, ...);
    # how to refer (phone, email, a form) is "Referral Route" / "How to refer".
    "contact": "contact_name", "contactperson": "contact_name", "keycontact": "contact_name",
    "contacttitle": "contact_role", "contactjobtitle": "contact_role",
    "contactposition": "contact_role",
    "contacttelephone": "contact_phone", "contacttel": "contact_phone",
    "contactnumber": "contact_phone", "contactphonenumber": "contact_phone",
    "contactemailaddress": "contact_email",
    "partnership": "partnership_status", "relationship": "partnership_status",
    "relationshipstatus": "partnership_status", "partnerstatus": "partnership_status",
    "howtorefer": "referral_route", "referralmethod": "referral_route",
    "referralroutedetails": "referral_details", "referralinfo": "referral_details",
    "howtoreferdetails": "referral_details",
    "mentor": "welcomes_mentor", "peermentor": "welcomes_mentor",
    "mentorwelcome": "welcomes_mentor", "mentorcanattend": "welcomes_mentor",
    "lastcontacted": "last_contact", "lastcontactdate": "last_contact",
    "lastcontacton": "last_contact", "lastspoke": "last_contact",
    "nextcontactdue": "next_contact", "nextcontactdate": "next_contact",
    "nextdue": "next_contact", "followup": "next_contact", "followupdate": "next_contact",
    "followupdue": "next_contact",
    "internalnotes": "staff_notes", "privatenotes": "staff_notes", "staffnote": "staff_notes",
}  # fmt: skip
IGNORED = {"error"}  # the column a rejects file adds: re-importing a fixed one just works


def _norm(name: str) -> str:
    return re.sub(r"[^a-z0-9]", "", name.lower())


_CANONICAL = {_norm(c): c for c in COLUMNS} | {_norm(k): v for k, v in ALIASES.items()}


@dataclass
class ImportReport:
    added: int = 0
    updated: int = 0
    unchanged: int = 0
    skipped: int = 0
    problems: list[RowProblem] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    encoding: str = ""
    dry_run: bool = False
    index_rebuild_s: float | None = None  # bulk loads: time spent rebuilding search indexes
    source: str = ""  # the source this import's rows belong to (unless a row names its own)
    overwrite_local: bool = False  # --overwrite-local: the file wins over local changes
    kept: list = field(default_factory=list)  # ownership.Kept: local changes left in place
    seen: set = field(default_factory=set)  # the ids this import wrote or found unchanged
    categories_added: list[str] = field(default_factory=list)  # a feed's own (new_categories)

    def summary(self) -> str:
        verb = "would be " if self.dry_run else ""
        text = f"{self.added} {verb}added, {self.updated} {verb}updated, {self.unchanged} unchanged"
        if self.skipped:
            text += f", {self.skipped} skipped (invalid)"
        if self.kept:
            text += f"; kept {counted(len(self.kept), 'local change')} (--overwrite-local lets the file win)"
        if self.categories_added:
            text += f"; {added_categories(self.categories_added, dry_run=self.dry_run)}"
        if self.index_rebuild_s is not None and not self.dry_run:
            text += f"; search indexes rebuilt in {self.index_rebuild_s:.1f} s"
        return text


def added_categories(names: list[str], *, dry_run: bool = False) -> str:
    quoted = ", ".join(f"'{n}'" for n in names)
    verb = "would add" if dry_run else "added"
    return f"{verb} the {'category' if len(names) == 1 else 'categories'} {quoted} (the feed's own)"


def map_header(
    names: list[str], *, ignore_extra: bool, has_default_category: bool = False
) -> tuple[dict[str, str], list[str]]:
    """File header -> {file name: column}. Unknown names are an error unless ignore_extra.
    A header without a category column is one unless `--category` gives every row one."""
    mapping: dict[str, str] = {}
    unknown: list[str] = []
    seen: dict[str, str] = {}
    for name in names:
        column = _CANONICAL.get(_norm(name))
        if column is None:
            if _norm(name) not in IGNORED and name.strip():
                unknown.append(name)
            continue
        if column in seen:
            raise InvalidValue(
                f"columns '{seen[column]}' and '{name}' both mean {column}; keep one of them"
            )
        seen[column] = name
        mapping[name] = column
    if unknown and not ignore_extra:
        raise InvalidValue(
            f"unknown columns: {', '.join(repr(u) for u in unknown)}; rename them to one of "
            f"{', '.join(COLUMNS)}, or pass --ignore-extra to leave them out"
        )
    needed = ("name",) if has_default_category else ("name", "category")
    missing = [c for c in needed if c not in mapping.values()]
    if missing:
        hint = "; or give every row one with --category" if "category" in missing else ""
        raise InvalidValue(
            f"the header has no {' or '.join(missing)} column (header: {', '.join(names)}){hint}"
        )
    return mapping, unknown


def _phone_warning(row_no: int, phone: str) -> str | None:
    from assetmap.catalogue import phones

    if phones.lost_leading_zero(phone):
        return (
            f"row {row_no}, column phone: '{phone}' looks like a UK number that lost its leading 0 "
            f"(Excel does this to numbers); stored as {phones.normalise(phone)[0]}"
        )
    if phones.has_letter_o(phone):
        return f"row {row_no}, column phone: '{phone}' has a letter O where a 0 should be; check it"
    return None


class Rejects:
    """Bad rows written back unchanged, with an `error` column, ready to fix and re-import."""

    def __init__(self, path: str | None, header: list[str], dialect, *, dry_run: bool = False):
        if path and not Path(path).resolve().parent.is_dir():
            raise InvalidValue(
                f"the directory {Path(path).resolve().parent} does not exist (--rejects); create it first"
            )
        # Checked, but not written, in a dry run: a dry run writes nothing.
        self.path = None if dry_run else path
        self.header, self.dialect = header, dialect
        self._fh: Any = None
        self._writer: Any = None
        self.count = 0

    def add(self, raw: dict, errors: list[RowProblem]) -> None:
        if not self.path:
            return
        if self._writer is None:
            self._fh = open(self.path, "w", encoding="utf-8-sig", newline="")  # noqa: SIM115
            # Formula-safe like every CSV assetmap writes; import takes the apostrophes off.
            self._writer = safecsv.writer(self._fh, delimiter=self.dialect.delimiter)
            self._writer.writerow([*self.header, "error"])
        cells = [raw.get(h) or "" for h in self.header]
        error = "; ".join(f"{p.column}: {p.message}" if p.column else p.message for p in errors)
        self._writer.writerow([*cells, readable(error)])  # a huge cell is not repeated whole
        self.count += 1

    def close(self) -> None:
        if self._fh:
            self._fh.close()


def import_csv(
    cat,
    stream: IO[bytes],
    *,
    source: Source | None = None,
    encoding: str | None = None,
    ignore_extra: bool = False,
    skip_invalid: bool = False,
    rejects_path: str | None = None,
    dry_run: bool = False,
    locate: Callable | None = None,
    progress: Callable[[int], None] | None = None,
    default_category: str = "",
) -> ImportReport:
    """Import a CSV into the catalogue. Raises InvalidValue (nothing written) for a bad file
    or, without skip_invalid, any invalid row; the report lists every problem."""
    if encoding is not None:
        csvio.check_encoding(encoding)
    report = ImportReport(dry_run=dry_run)
    source = source or Source("import")
    report.source = source.name
    report.overwrite_local = source.overwrite_local
    fp = csvio.spool(stream)
    report.encoding = encoding or csvio.detect_encoding(fp)
    if report.encoding == "cp1252" and not encoding:
        report.warnings.append("the file is not UTF-8; read it as Windows-1252 (Excel on Windows). Pass --encoding to choose")  # fmt: skip
    dialect = csvio.detect_dialect(fp, report.encoding)
    names = csvio.header(fp, report.encoding, dialect)
    if not names:
        raise InvalidValue(
            "the file is empty; it needs a header row with at least name and category"
        )
    rejects = Rejects(rejects_path, names, dialect, dry_run=dry_run)
    from assetmap.transfer import givefood

    if givefood.matches(names):
        report.warnings.append(
            givefood.RECOGNISED_DUMP if givefood.is_dump(names) else givefood.RECOGNISED
        )
        records = _layout_records(fp, report, dialect, givefood.to_fields, progress)
    else:
        mapping, unknown = map_header(
            names, ignore_extra=ignore_extra, has_default_category=bool(default_category)
        )
        if unknown:
            report.warnings.append(f"left out unknown columns: {', '.join(unknown)}")
        records = _csv_records(fp, report, dialect, mapping, progress)
        if default_category:
            records = _with_category(records, default_category)
    return run_import(
        cat, records, report, source=source, rejects=rejects, skip_invalid=skip_invalid,
        locate=locate,
    )  # fmt: skip


def import_package(cat, path: str, *, source: Source | None = None, skip_invalid=False,
                   rejects_path=None, dry_run=False, locate=None,
                   default_category: str = "") -> ImportReport:  # fmt: skip
    """Import an Open Referral UK folder (or its datapackage.json) like a CSV file. A
    service's category comes from our attribute, else a publisher's term (by name or
    through the category_terms table), else `default_category`."""
    from assetmap.catalogue import terms
    from assetmap.transfer.openreferral import read_package

    report = ImportReport(dry_run=dry_run)
    source = source or Source("import")
    report.source = source.name
    report.overwrite_local = source.overwrite_local
    rejects = Rejects(rejects_path, COLUMNS, csv.excel, dry_run=dry_run)
    records = read_package(path, cat.categories(), terms=terms.mapping(cat.conn),
                           default_category=default_category, scope=source.name)  # fmt: skip
    return run_import(
        cat, records, report, source=source, rejects=rejects, skip_invalid=skip_invalid,
        locate=locate,
    )  # fmt: skip


def import_feed(cat, client, *, source: Source, skip_invalid=False, rejects_path=None,
                dry_run=False, locate=None, default_category: str = "") -> ImportReport:  # fmt: skip
    """Import an Open Referral UK API (transfer.http.Client). The whole feed is read
    before the write transaction starts: a feed that fails part-way writes nothing."""
    from assetmap.catalogue import terms
    from assetmap.transfer.openreferral_api import read_feed

    report = ImportReport(dry_run=dry_run)
    report.source = source.name
    report.overwrite_local = source.overwrite_local
    records = read_feed(client, cat.categories(), terms=terms.mapping(cat.conn),
                        default_category=default_category, scope=source.name)  # fmt: skip
    rejects = Rejects(rejects_path, COLUMNS, csv.excel)
    return run_import(
        cat, records, report, source=source, rejects=rejects, skip_invalid=skip_invalid,
        locate=locate, new_categories=records.new_categories,
    )  # fmt: skip


class Source:
    """The source an import writes into. `forced`: its name goes on every row (--source);
    otherwise a row that names a source of its own (an export read back) keeps it."""

    def __init__(self, name: str, *, forced: bool = False, kind: str = "file", origin: str = "",
                 overwrite_local: bool = False, allow_unplaced: bool = False):  # fmt: skip
        self.name, self.forced, self.kind, self.origin = name, forced, kind, origin
        self.overwrite_local = overwrite_local
        # --allow-unplaced: a row whose postcode cannot be placed is kept, with a warning.
        self.allow_unplaced = allow_unplaced

    def claim(self, asset: Asset) -> None:
        if self.forced or not asset.source:
            asset.source = self.name


def run_import(
    cat,
    records,
    report: ImportReport,
    *,
    source: Source,
    rejects,
    skip_invalid,
    locate,
    finish=None,
    new_categories=(),
) -> ImportReport:
    """Validate and write records (label, raw row, canonical fields or None, problems) in one
    transaction; roll it all back for a dry run or, unless skip_invalid, any invalid record.
    `finish(cat, report)` runs last inside the same transaction (a pull closes what its
    source no longer lists). `new_categories` are added to the vocabulary first, in the same
    transaction: the categories another assetmap's feed uses (openreferral_api.Feed)."""
    import contextlib

    try:
        with contextlib.suppress(_Abort), cat.transaction():
            # Everything an import reads to decide what to write is read under the write lock.
            for name in new_categories:
                if name.lower() not in cat.categories():  # (add_category joins this transaction)
                    report.categories_added.append(cat.add_category(name))
            categories = cat.categories()
            # Into an empty catalogue, build the search indexes once at the end.
            empty = cat.count() == 0
            bulk = cat.bulk_load() if empty else contextlib.nullcontext()
            with bulk:
                _import_rows(cat, records, categories, report, rejects, locate, source, empty)
            _record_sources(cat, source)
            if finish is not None:
                finish(cat, report)
            report.index_rebuild_s = cat.index_rebuild_s
            if empty:
                # The per-row lookalike check was skipped (nothing to look like at the start).
                for ids in cat.lookalikes():
                    report.warnings.append(f"{ids} look like one asset (same name and postcode)")
            if (report.problems and not skip_invalid) or report.dry_run:
                raise _Abort  # rolls the transaction back
    finally:
        rejects.close()
    if report.problems and not skip_invalid:
        total = report.skipped + report.added + report.updated + report.unchanged
        listing = [str(p) for p in report.problems[:200]]
        more = len(report.problems) - 200
        tail = [f"... and {more} more"] if more > 0 else []
        raise InvalidValue(
            f"{report.skipped} of {counted(total, 'row')} {'is' if report.skipped == 1 else 'are'} "
            "invalid; nothing was written "
            "(fix them, or pass --skip-invalid to import the rest):",
            details=listing + tail,
        )
    return report


def _csv_records(fp, report, dialect, mapping, progress):
    for index, raw in enumerate(csvio.read_rows(fp, report.encoding, dialect)):
        row_no = index + 2
        if progress and index % 1000 == 0:
            progress(fp.tell())
        extra = raw.pop("_extra", None)
        if extra:
            problem = RowProblem(row_no, "", f"has {len(extra)} more cells than the header has columns")  # fmt: skip
            yield row_no, raw, None, [problem]
            continue
        fields = {}
        for name, column in mapping.items():
            value = raw.get(name)
            if type(value) is not str:
                value = ""
            elif value[:1] == csvio.ESCAPE:  # only then can it be a cell export made inert
                value = csvio.uninert(value)
            fields[column] = value
        yield row_no, raw, fields, []


def _with_category(records, category: str):
    """Rows without a category (no column, or a blank cell) take `category` (--category)."""
    for label, raw, fields, problems in records:
        if fields is not None and not (fields.get("category") or "").strip():
            fields["category"] = category
        yield label, raw, fields, problems


def _layout_records(fp, report, dialect, to_fields, progress):
    """Rows of a publisher's own layout (Give Food), mapped by `to_fields`."""
    for index, raw in enumerate(csvio.read_rows(fp, report.encoding, dialect)):
        if progress and index % 1000 == 0:
            progress(fp.tell())
        raw.pop("_extra", None)
        yield index + 2, raw, to_fields(raw), []


BATCH = 1000


def _record_sources(cat, source: Source) -> None:
    """The import's source, and any source a row named that the catalogue did not know."""
    from assetmap.catalogue import sources

    sources.record(cat.conn, source.name, kind=source.kind, origin=source.origin)
    cat.conn.execute(
        "INSERT OR IGNORE INTO sources(name, kind) SELECT DISTINCT source, 'named in a file' "
        "FROM assets WHERE source != '' AND source NOT IN (SELECT name FROM sources)"
    )


def _import_rows(
    cat, records, categories, report, rejects, locate, source, into_empty=False
) -> None:
    import datetime as dt

    # Rows this import writes carry updated_at >= started (the write lock is held throughout),
    # which tells a row repeated in the file apart without remembering every id read.
    started = dt.datetime.now(dt.UTC).isoformat(timespec="microseconds")
    today = dt.date.today()
    batch: list[tuple] = []
    listed: set[tuple[str, str]] = set()  # (source, match key) of rows read, into empty
    for label, raw, fields, problems in records:
        if fields is not None and not problems:
            asset, problems = _prepare(
                label, fields, categories, report, locate, today, source.allow_unplaced
            )
            if asset is not None:
                source.claim(asset)
                given_id = bool(fields.get("id"))
                # Partnership columns the file does not have keep what the catalogue holds:
                # a council's feed knows nothing of the team's relationship with a group.
                keep = [c for c in PARTNERSHIP_FIELDS if c not in fields]
                twice = into_empty and given_id and _listed_twice(asset, listed)
                if twice:
                    _flush(cat, batch, report, started)  # the first listing, written
                if into_empty and not twice:
                    # Into an empty catalogue, new rows go in batches; repeats, below.
                    batch.append((label, asset, given_id, keep))
                    if len(batch) >= BATCH:
                        _flush(cat, batch, report, started)
                else:
                    _store(cat, label, asset, given_id, report, started, keep)
        if problems:
            report.problems.extend(problems)
            report.skipped += 1
            rejects.add(raw, problems)
    if into_empty:
        _flush(cat, batch, report, started)  # sessions: derived when bulk_load ends


def _listed_twice(asset: Asset, listed: set[tuple[str, str]]) -> bool:
    """Whether an earlier row of this file gave this source's place (same name and postcode)."""
    if not asset.postcode:
        return False
    key = (asset.source, match_key(asset.name, asset.postcode))
    if key in listed:
        return True
    listed.add(key)
    return False


def _flush(cat, batch: list[tuple], report: ImportReport, started: str) -> None:
    if not batch:
        return
    assets = [asset for _, asset, _, _ in batch]
    rest = {id(a) for a in cat.add_batch(assets, [not given for _, _, given, _ in batch])}
    report.added += len(batch) - len(rest)
    for label, asset, given_id, keep in batch:
        if id(asset) not in rest:
            report.seen.add(asset.id)
        if id(asset) in rest:
            _store(cat, label, asset, given_id, report, started, keep)
    batch.clear()


class _Abort(Exception):
    """Roll the import's transaction back (dry run, or invalid rows)."""


def _prepare(row_no, fields, categories, report, locate, today, allow_unplaced=False):
    """Validate one row into an Asset and place it: (asset, []) or (None, problems)."""
    try:
        asset = Asset.from_row(fields, categories=categories, today=today)
    except InvalidRecord as exc:
        problems = [RowProblem(row_no, p.column, p.message) for p in exc.problems]
        # Every problem at once: a postcode that cannot be placed too, not on the next run.
        postcode, given = str(fields.get("postcode") or ""), fields.get("lat") or fields.get("lon")
        if postcode.strip() and not given and all(p.column != "postcode" for p in problems):
            probe = Asset(id="", name="", category="", postcode=postcode.strip())
            unplaced = _locate(probe, row_no, ImportReport(), locate, allow_unplaced)
            problems += [unplaced] if unplaced else []
        return None, problems
    phone = fields.get("phone") if isinstance(row_no, int) else None
    if phone and (w := _phone_warning(row_no, phone)):
        report.warnings.append(w)
    problem = _locate(asset, row_no, report, locate, allow_unplaced)
    return (None, [problem]) if problem else (asset, [])


def _store(cat, row_no, asset: Asset, given_id: bool, report, started: str, keep=()) -> None:
    """Write one asset, matching it to what the catalogue has: by id, else by name and
    postcode; a taken readable id gets a suffix; repeats and lookalikes are warned about.
    The fields named in `keep` keep their stored values when the asset exists."""
    matches, exists, repeated = cat.import_lookup(asset, started)
    if not given_id:
        if len(matches) == 1 and matches[0] != asset.id:
            asset.id = matches[0]
            _, exists, repeated = cat.import_lookup(asset, started)
        elif not matches and exists and not repeated:
            # The readable id is taken by another asset (renamed since): give this one its own.
            asset.id = _free_id(cat, asset)
            exists = repeated = False
    elif others := [m for m in matches if m != asset.id]:
        same = _same_source(cat, others, asset.source) if asset.postcode else []
        if same and not exists:
            # One source listing a place twice (same name and postcode): one record.
            report.warnings.append(f"{_where(row_no)}: '{asset.name}' (id {asset.id}) is {same[0]} again (same source, name and postcode): kept as one record")  # fmt: skip
            asset.id = same[0]
            _, exists, repeated = cat.import_lookup(asset, started)
            if repeated:
                _fill_blanks(cat, asset)
                repeated = False  # merged, not replaced
        else:
            report.warnings.append(f"{_where(row_no)}: '{asset.name}' looks like the existing asset {', '.join(others)} (same name and postcode)")  # fmt: skip
    if repeated:
        report.warnings.append(f"{_where(row_no)}: repeats an earlier row of this file (id {asset.id}); the later row wins")  # fmt: skip
    marks = None
    if exists:
        row = cat.conn.execute("SELECT * FROM assets WHERE id = ?", (asset.id,)).fetchone()
        stored = asset_from_db(row)
        for name in keep:
            setattr(asset, name, getattr(stored, name))
        old = ownership.parse(row["local_edits"])
        marks, kept = ownership.merge(stored, old, asset, overwrite=report.overwrite_local)
        report.kept.extend(kept)
        if marks == old:
            marks = None
    counts = cat.write([asset])
    report.seen.add(asset.id)
    if marks is not None:
        ownership.save(cat.conn, asset.id, marks)
    report.added += counts.added
    report.updated += counts.updated
    report.unchanged += counts.unchanged


def _same_source(cat, ids: list[str], source: str) -> list[str]:
    marks = ", ".join("?" * len(ids))
    sql = f"SELECT id FROM assets WHERE source = ? AND id IN ({marks}) ORDER BY id"
    return [r[0] for r in cat.conn.execute(sql, [source, *ids])]


def _fill_blanks(cat, asset: Asset) -> None:
    """A second listing of a place this import already wrote: its blanks keep the first's
    values (field by field, as `check --merge-duplicates` merges)."""
    from assetmap.catalogue.duplicates import combine

    row = cat.conn.execute("SELECT * FROM assets WHERE id = ?", (asset.id,)).fetchone()
    combine(asset, {}, asset_from_db(row), {})


def _locate(asset: Asset, row_no, report: ImportReport, locate, allow_unplaced=False):
    """Place the asset; a postcode that cannot be placed is a row problem (the asset would
    never appear in `near`, and a cron import said nothing), or with --allow-unplaced a
    warning. Returns the problem, if any."""
    if locate is not None:
        try:
            for w in locate(asset):
                report.warnings.append(f"{_where(row_no)}: {w}")
        except PlaceError as exc:
            if not allow_unplaced:
                return RowProblem(
                    row_no, "postcode",
                    f"could not place it ({exc}); give lat and lon, or pass --allow-unplaced "
                    "to import it without coordinates (near will not find it)",
                )  # fmt: skip
            report.warnings.append(
                f"{_where(row_no)}: could not place it ({exc}); imported without coordinates "
                "(--allow-unplaced): `near` cannot find it until `assetmap geocode` or an edit "
                "places it"
            )
    if asset.lat is not None and not asset.geo_precision:
        asset.geo_precision = "given"
    return None


def _where(row) -> str:
    return f"row {row}" if isinstance(row, int) else str(row)


def _free_id(cat, asset: Asset) -> str:
    base = make_id(asset.name, asset.postcode, asset.lat, asset.lon)
    n = 2
    candidate = base
    while _exists(cat, candidate):
        candidate = f"{base[:76]}-{n}"
        n += 1
    return candidate


def _exists(cat, asset_id: str) -> bool:
    return cat.conn.execute("SELECT 1 FROM assets WHERE id = ?", (asset_id,)).fetchone() is not None
