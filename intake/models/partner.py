"""A partner: another website allowed to frame the call to action and the form.

Only the origins registered here ever appear in ``frame-ancestors``; the public
``key`` in embed URLs names the partner and says nothing about the visitor.
"""

import base64
import secrets
from datetime import datetime

from sqlalchemy import String, Text
from sqlalchemy.orm import Mapped, mapped_column

from intake.db import db
from intake.timeutil import column_now


def new_partner_key() -> str:
    """16 lower-case base32 characters (80 random bits): unguessable, URL-safe."""
    return base64.b32encode(secrets.token_bytes(10)).decode("ascii").lower()


class Partner(db.Model):
    __tablename__ = "partner"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(120))
    key: Mapped[str] = mapped_column(String(32), unique=True, default=new_partner_key)
    # Normalised origins ("https://press.example.org"), separated by one space;
    # written only through intake.staff.admin.partners, which validates every one.
    origins: Mapped[str] = mapped_column(Text, default="")
    active: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime] = mapped_column(default=column_now)
    updated_at: Mapped[datetime] = mapped_column(default=column_now, onupdate=column_now)

    @property
    def origin_list(self) -> list[str]:
        return self.origins.split()

    def __repr__(self) -> str:
        return f"<Partner {self.id} {self.key}>"
