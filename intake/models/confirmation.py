"""The page that confirms a sent request, kept for a short while so that a
reload (or Back, after the redirect) shows the reference and the status code
again. The address holds only a random key; the row holds the key's hash, so a
database reader cannot rebuild the address, and the status code encrypted. Rows
are deleted once expired (intake.public.screening.confirmations)."""

from datetime import datetime

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from intake.crypto import Encrypted
from intake.db import db


class Confirmation(db.Model):
    __tablename__ = "confirmation"

    key_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    request_id: Mapped[int] = mapped_column(
        ForeignKey("help_request.id", ondelete="CASCADE"), index=True
    )
    # Only for the page that stored the request: a retry finds the request, not its code.
    status_code: Mapped[str | None] = mapped_column(Encrypted)
    expires_at: Mapped[datetime] = mapped_column(index=True)
