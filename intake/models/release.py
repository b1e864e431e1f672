"""A published press release."""

from datetime import date, datetime

from sqlalchemy import String, Text
from sqlalchemy.orm import Mapped, mapped_column

from intake.db import db
from intake.timeutil import column_now


class Release(db.Model):
    __tablename__ = "release"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(160), unique=True)
    title: Mapped[str] = mapped_column(String(300))
    # Sanitised HTML (intake.safe_html.clean_body), cleaned again when rendered.
    body_html: Mapped[str] = mapped_column(Text)
    section: Mapped[str] = mapped_column(String(60), default="Press")
    published_on: Mapped[date] = mapped_column(index=True)
    is_published: Mapped[bool] = mapped_column(default=True)
    show_call_to_action: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime] = mapped_column(default=column_now)
    updated_at: Mapped[datetime] = mapped_column(default=column_now, onupdate=column_now)

    def __repr__(self) -> str:
        return f"<Release {self.slug}>"
