"""Hand a finished message to an SMTP server or to the outbox folder.

Failures are classified so the queue can decide: TemporaryMailError (retry later with
backoff) or PermanentMailError (the server refused this recipient for good).
"""

from __future__ import annotations

import os
import re
import smtplib
import ssl
import tempfile
from pathlib import Path
from types import TracebackType
from typing import Protocol

from monitor.config import MailSettings


class TemporaryMailError(Exception):
    pass


class PermanentMailError(Exception):
    pass


class Mailer(Protocol):
    def send(self, message: str, sender: str, recipient: str, message_id: str) -> None: ...

    def close(self) -> None: ...


class OutboxMailer:
    """Writes `<message-id>.eml`; the name makes a repeat overwrite, not duplicate."""

    def __init__(self, directory: Path) -> None:
        self.directory = directory

    def send(self, message: str, sender: str, recipient: str, message_id: str) -> None:
        name = re.sub(r"[^A-Za-z0-9._-]+", "_", message_id.strip("<>"))[:200] + ".eml"
        try:
            self.directory.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(dir=self.directory, prefix=".tmp-", suffix=".eml")
            with os.fdopen(fd, "w", encoding="utf-8", newline="") as handle:
                handle.write(message)
                handle.flush()
                os.fsync(handle.fileno())
            os.replace(tmp, self.directory / name)
        except OSError as exc:
            raise TemporaryMailError(f"outbox {self.directory} not writable: {exc}") from exc

    def close(self) -> None:
        pass


class SmtpMailer:
    """One SMTP session reused for a batch; reconnects when the server drops it."""

    def __init__(self, settings: MailSettings) -> None:
        self.settings = settings
        self._smtp: smtplib.SMTP | None = None

    def __enter__(self) -> SmtpMailer:
        return self

    def __exit__(self, *exc: tuple[type[BaseException], BaseException, TracebackType]) -> None:
        self.close()

    def _connect(self) -> smtplib.SMTP:
        s = self.settings
        assert s.smtp_host is not None
        try:
            smtp = smtplib.SMTP(s.smtp_host, s.smtp_port, timeout=s.timeout_s)
            if s.starttls:
                smtp.starttls(context=ssl.create_default_context())
            if s.smtp_user:
                smtp.login(s.smtp_user, s.password() or "")
        except smtplib.SMTPAuthenticationError as exc:
            raise TemporaryMailError(f"SMTP login refused ({exc.smtp_code})") from exc
        except (OSError, smtplib.SMTPException) as exc:
            raise TemporaryMailError(
                f"cannot reach SMTP server {s.smtp_host}:{s.smtp_port}: {exc}"
            ) from exc
        return smtp

    def send(self, message: str, sender: str, recipient: str, message_id: str) -> None:
        if self._smtp is None:
            self._smtp = self._connect()
        try:
            refused = self._smtp.sendmail(sender, [recipient], message.encode("utf-8"))
        except smtplib.SMTPRecipientsRefused as exc:
            code, reason = next(iter(exc.recipients.values()))
            self._raise(code, reason)
        except smtplib.SMTPSenderRefused as exc:
            # Our own From is refused: every alert would fail, so wait for a fix instead.
            self._drop()
            raise TemporaryMailError(f"sender refused: {exc.smtp_code} {exc.smtp_error!r}") from exc
        except smtplib.SMTPResponseException as exc:
            self._drop()
            self._raise(exc.smtp_code, exc.smtp_error)
        except (OSError, smtplib.SMTPException) as exc:
            self._drop()
            raise TemporaryMailError(f"SMTP session failed: {exc}") from exc
        if refused:
            code, reason = next(iter(refused.values()))
            self._raise(code, reason)

    @staticmethod
    def _raise(code: int, reason: bytes | str) -> None:
        text = reason.decode("utf-8", "replace") if isinstance(reason, bytes) else str(reason)
        detail = f"{code} {text}".strip()
        if 500 <= code < 600:
            raise PermanentMailError(detail)
        raise TemporaryMailError(detail)

    def _drop(self) -> None:
        smtp, self._smtp = self._smtp, None
        if smtp is not None:
            try:
                smtp.close()
            except OSError:
                pass

    def close(self) -> None:
        smtp, self._smtp = self._smtp, None
        if smtp is None:
            return
        try:
            smtp.quit()
        except (OSError, smtplib.SMTPException):
            smtp.close()


def make_mailer(settings: MailSettings) -> Mailer:
    if settings.smtp_host:
        return SmtpMailer(settings)
    return OutboxMailer(settings.outbox_dir)
