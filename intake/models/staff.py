"""Staff accounts: roles, password, second factor, and a session epoch that ends
every session of the person when it changes; invitations to enrol."""

from datetime import datetime

from flask_login import UserMixin
from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from intake.crypto import Encrypted
from intake.db import db
from intake.timeutil import column_now

# analyst: the reports only, never a person (no name, contact, free text or reference).
ROLES = ("admin", "reviewer", "volunteer", "editor", "analyst")


class StaffUser(UserMixin, db.Model):
    __tablename__ = "staff_user"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)  # stored lower-case
    role: Mapped[str] = mapped_column(String(20))
    active: Mapped[bool] = mapped_column(default=True)
    password_hash: Mapped[str | None] = mapped_column(String(200))  # Argon2id; None until enrolled
    totp_secret: Mapped[str | None] = mapped_column(Encrypted)
    # The last TOTP time step accepted: a code cannot be used twice.
    last_totp_step: Mapped[int | None]
    # Part of the Flask-Login id: bumping it (logout, password change,
    # deactivation) makes every cookie of this person stop working.
    session_epoch: Mapped[int] = mapped_column(default=0)
    failed_logins: Mapped[int] = mapped_column(default=0)
    created_at: Mapped[datetime] = mapped_column(default=column_now)
    last_login_at: Mapped[datetime | None]

    @property
    def is_active(self) -> bool:
        return self.active

    @property
    def enrolled(self) -> bool:
        return self.password_hash is not None and self.totp_secret is not None

    def get_id(self) -> str:
        return f"{self.id}:{self.session_epoch}"

    def end_all_sessions(self) -> None:
        self.session_epoch += 1

    def __repr__(self) -> str:
        return f"<StaffUser {self.id} {self.role}>"


class Invitation(db.Model):
    """A one-time enrolment link. Only the SHA-256 of the token is stored, so a
    copy of the database does not hold usable links."""

    __tablename__ = "staff_invitation"

    id: Mapped[int] = mapped_column(primary_key=True)
    staff_user_id: Mapped[int] = mapped_column(ForeignKey("staff_user.id"), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(default=column_now)
    expires_at: Mapped[datetime]
    used_at: Mapped[datetime | None]
    # The TOTP secret offered on the enrolment page, kept here (encrypted) until
    # the person confirms it with a code; then it moves to the account.
    pending_totp_secret: Mapped[str | None] = mapped_column(Encrypted)
