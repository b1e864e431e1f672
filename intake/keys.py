"""Key management commands: ``generate-key`` and ``rotate-keys``.

Rotation re-encrypts every stored token under the newest key of
``ENCRYPTION_KEYS`` so the older keys can then be removed. It works on the raw
tokens with Core statements (``MultiFernet.rotate``): plaintext never passes
through the ORM, and a column added to any model later is covered because the
columns are found by their type (``Encrypted``) on the metadata.
"""

from dataclasses import dataclass

import click
from cryptography.fernet import Fernet
from flask import Flask
from sqlalchemy import Column, Table, Text, bindparam, select, type_coerce

from .crypto import Encrypted, KeyUnavailable, keyring
from .db import db

BATCH_SIZE = 500


@dataclass(frozen=True)
class EncryptedColumns:
    table: Table
    columns: tuple[Column, ...]

    @property
    def key(self) -> Column:
        (pk,) = self.table.primary_key.columns  # every table here has a single-column key
        return pk


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
    pk = group.key
    raw = [type_coerce(c, Text).label(c.name) for c in group.columns]
    # Columns with an ``onupdate`` (updated_at) keep their value: re-encryption
    # is not a change, and retention counts from the last real change.
    untouched = {c.name: c for c in group.table.columns if c.onupdate is not None}
    update = (
        group.table.update()
        .where(pk == bindparam("_pk"))
        .values(
            untouched | {c.name: bindparam(f"_new_{c.name}", type_=Text) for c in group.columns}
        )
    )
    changed, last = 0, None
    while True:
        query = select(pk, *raw).order_by(pk).limit(batch_size)
        if last is not None:
            query = query.where(pk > last)
        rows = db.session.execute(query).all()
        if not rows:
            return changed
        params = []
        for row in rows:
            values = row._mapping
            params.append(
                {"_pk": values[pk.name]}
                | {
                    f"_new_{c.name}": None
                    if values[c.name] is None
                    else ring.rotate(values[c.name])
                    for c in group.columns
                }
            )
        db.session.execute(update, params)
        db.session.commit()
        changed += len(rows)
        last = rows[-1][0]


def init_app(app: Flask) -> None:
    @app.cli.command("generate-key")
    def generate_key():
        """Print a new Fernet key for INTAKE_ENCRYPTION_KEYS."""
        click.echo(Fernet.generate_key().decode("ascii"))

    @app.cli.command("rotate-keys")
    @click.option("--batch-size", default=BATCH_SIZE, show_default=True)
    def rotate_keys(batch_size: int):
        """Re-encrypt every encrypted value under the newest key (the first one
        in INTAKE_ENCRYPTION_KEYS). Afterwards the older keys can be removed."""
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
