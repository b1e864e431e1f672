"""Key management commands: ``generate-key`` and ``rotate-keys``.

Rotation re-encrypts every stored token under the newest key of
``ENCRYPTION_KEYS`` so the older keys can then be removed. It works on the raw
tokens with Core statements (``MultiFernet.rotate``): plaintext never passes
through the ORM, and a column added to any model later is covered because the
columns are found by their type (``Encrypted``) on the metadata.

The same command then recomputes the duplicate-lookup hashes
(``phone_hash``, ``email_hash``) under the current ``LOOKUP_KEY``, from the
decrypted phone and email normalised by ``intake.cases.contact``. There is only one
lookup key at a time: after it changes, requests stored before the change are
not matched as duplicates of new ones until ``rotate-keys`` has run. Rows whose
hashes are already right are not written, so running it after an encryption
key rotation alone changes no hash.

Last it rebuilds the conflict index under the current ``CONFLICT_KEY`` (and
``CONFLICT_HASH_COST``) from the encrypted names and dates of birth on file
(``intake.cases.conflicts.rehash_index``). To rotate that key: set the new
``CONFLICT_KEY`` and run ``rotate-keys`` at once; until it ends, people indexed
under the old key are not found.
"""

from dataclasses import dataclass

import click
from cryptography.fernet import Fernet
from flask import Flask
from sqlalchemy import Column, Table, Text, bindparam, select, type_coerce

from intake.cases import conflicts
from intake.cases.contact import lookup_hashes
from intake.crypto import Encrypted, KeyUnavailable, keyring
from intake.db import db
from intake.models import HelpRequest

BATCH_SIZE = 500


@dataclass(frozen=True)
class EncryptedColumns:
    table: Table
    columns: tuple[Column, ...]


def encrypted_columns(metadata=None) -> list[EncryptedColumns]:
    """Every table with at least one ``Encrypted`` column, and those columns."""
    metadata = metadata if metadata is not None else db.metadata
    found = []
    for table in metadata.sorted_tables:
        columns = tuple(c for c in table.columns if isinstance(c.type, Encrypted))
        if columns:
            found.append(EncryptedColumns(table, columns))
    return found


def rotate_table(group: EncryptedColumns, batch_size: int = BATCH_SIZE) -> int:
    """Re-encrypt every non-null token of the table's encrypted columns under the
    newest key, one committed batch at a time (a crash leaves every row readable:
    old and new keys are both configured while this runs). Returns rows changed."""
    ring = keyring()
    raw = [type_coerce(c, Text).label(c.name) for c in group.columns]

    def new_tokens(values) -> dict:
        return {
            c.name: None if values[c.name] is None else ring.rotate(values[c.name])
            for c in group.columns
        }

    return _rewrite(group.table, group.columns, raw, new_tokens, batch_size)


def rehash_lookups(batch_size: int = BATCH_SIZE, connection=None) -> int:
    """Recompute ``phone_hash`` and ``email_hash`` of every request with a phone
    or an email under the current ``LOOKUP_KEY``, one committed batch at a time;
    returns the rows whose hashes changed (the others are not written).

    ``connection``: run on it instead of the session, committing nothing (a
    migration, inside its own transaction: the one that moved the hashes to the
    E.164 form of each phone)."""
    ring = keyring()
    table = HelpRequest.__table__
    c = table.c
    raw = [type_coerce(c.phone, Text).label("phone"), type_coerce(c.email, Text).label("email")]

    def new_hashes(values) -> dict | None:
        phone, email = (
            None if values[n] is None else ring.decrypt(values[n]) for n in ("phone", "email")
        )
        hashes = lookup_hashes(ring, phone, email)
        if hashes == (values["phone_hash"], values["email_hash"]):
            return None
        return {"phone_hash": hashes[0], "email_hash": hashes[1]}

    return _rewrite(
        table,
        (c.phone_hash, c.email_hash),
        [*raw, c.phone_hash, c.email_hash],
        new_hashes,
        batch_size,
        where=(c.phone.is_not(None)) | (c.email.is_not(None)),
        connection=connection,
    )


def _rewrite(
    table: Table, targets, read, compute, batch_size: int, where=None, connection=None
) -> int:
    """Walk ``table`` in primary-key order, ``batch_size`` rows per committed
    batch, reading the ``read`` columns and writing the ``targets`` columns with
    what ``compute(row)`` returns (None: leave the row alone). Returns rows written.

    Columns with an ``onupdate`` (updated_at) keep their value: this is key
    housekeeping, not a change, and retention counts from the last real change.
    ``connection``: execute there and leave committing to its owner."""
    run = connection.execute if connection is not None else db.session.execute
    (pk,) = table.primary_key.columns  # every table here has a single-column key
    untouched = {col.name: col for col in table.columns if col.onupdate is not None}
    update = (
        table.update()
        .where(pk == bindparam("_pk"))
        .values(untouched | {t.name: bindparam(f"_new_{t.name}", type_=Text) for t in targets})
    )
    changed, last = 0, None
    while True:
        query = select(pk.label("_pk"), *read).order_by(pk).limit(batch_size)
        if where is not None:
            query = query.where(where)
        if last is not None:
            query = query.where(pk > last)
        rows = run(query).all()
        if not rows:
            return changed
        params = []
        for row in rows:
            new = compute(row._mapping)
            if new is not None:
                params.append({"_pk": row._pk} | {f"_new_{n}": v for n, v in new.items()})
        if params:
            run(update, params)
        if connection is None:
            db.session.commit()
        changed += len(params)
        last = rows[-1]._pk


def init_app(app: Flask) -> None:
    @app.cli.command("generate-key")
    def generate_key():
        """Print a new Fernet key for INTAKE_ENCRYPTION_KEYS."""
        click.echo(Fernet.generate_key().decode("ascii"))

    @app.cli.command("rotate-keys")
    @click.option("--batch-size", default=BATCH_SIZE, show_default=True)
    def rotate_keys(batch_size: int):
        """Re-encrypt every encrypted value under the newest key (the first one
        in INTAKE_ENCRYPTION_KEYS), then recompute the duplicate-lookup hashes
        under INTAKE_LOOKUP_KEY. Afterwards the older keys can be removed."""
        total = 0
        for group in encrypted_columns():
            try:
                changed = rotate_table(group, batch_size)
            except KeyUnavailable as exc:
                db.session.rollback()
                raise click.ClickException(
                    f"{group.table.name}: {exc}. Earlier batches are already rotated; "
                    "configure the key that can read the rest, then run rotate-keys again."
                ) from exc
            names = ", ".join(c.name for c in group.columns)
            click.echo(f"{group.table.name}: {changed} rows re-encrypted ({names})")
            total += changed
        click.echo(f"Done: {total} rows re-encrypted under the newest key.")
        try:
            rehashed = rehash_lookups(batch_size)
        except KeyUnavailable as exc:
            db.session.rollback()
            raise click.ClickException(
                f"lookup hashes: {exc}. Earlier batches are already recomputed; "
                "configure the keys, then run rotate-keys again."
            ) from exc
        click.echo(f"help_request: {rehashed} rows with new lookup hashes (phone_hash, email_hash)")
        try:
            reindexed = conflicts.rehash_index()
        except KeyUnavailable as exc:
            db.session.rollback()
            raise click.ClickException(f"conflict index: {exc}.") from exc
        click.echo(f"conflict_key: {reindexed} entries with new hashes")
