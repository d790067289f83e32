"""Signed feedback links: a rep clicks one, no login, and the vote can be trusted.

A link names the alert, the vote and a random nonce, and carries
HMAC-SHA256(secret, "alert|vote|recipient|nonce"). The recipient is not in the URL (no
email address travels in links); the server takes it from the alert row, so a link only
verifies for the rep the alert was mailed to. The stored `token` of a vote is a digest of
alert, vote and nonce: it is unique in the database, so the same link counts once.

    {base_url}/feedback/{alert_id}/{vote}/{nonce}.{signature}

Links are rendered once, when the email is composed, and stored inside the message.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import re
import secrets
from dataclasses import dataclass

from monitor.store.models import FEEDBACK_VOTES

PATH_PREFIX = "/feedback/"
NONCE_BYTES = 16
# What a rep reads next to each link, in the order the email shows them.
VOTE_LABELS: dict[str, str] = {
    "useful": "Useful",
    "wrong_company": "Wrong company",
    "not_a_trigger": "Not a trigger",
    "already_knew": "Already knew",
    "talk_track_helped": "Talk track helped",
}
assert tuple(VOTE_LABELS) == FEEDBACK_VOTES
_B64 = r"[A-Za-z0-9_-]"
_PATH = re.compile(
    rf"^{re.escape(PATH_PREFIX)}(\d{{1,12}})/([a-z_]{{1,40}})/({_B64}{{16,64}})\.({_B64}{{43}})$"
)


class VoteError(ValueError):
    """A vote name that is not one of FEEDBACK_VOTES."""


def normalise_vote(raw: str) -> str:
    """'wrong-company', 'Wrong company' and 'wrong_company' are the same vote."""
    vote = re.sub(r"[\s-]+", "_", raw.strip().lower())
    if vote not in FEEDBACK_VOTES:
        known = ", ".join(v.replace("_", "-") for v in FEEDBACK_VOTES)
        raise VoteError(f"unknown vote {raw!r} (known: {known})")
    return vote


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def signature(secret: bytes, alert_id: int, vote: str, recipient: str, nonce: str) -> str:
    """HMAC-SHA256 over alert|vote|recipient|nonce, url-safe base64 without padding."""
    message = f"{alert_id}|{vote}|{recipient.strip().lower()}|{nonce}".encode()
    return _b64(hmac.new(secret, message, hashlib.sha256).digest())


def token(alert_id: int, vote: str, nonce: str) -> str:
    """The replay key stored with a link vote (64 hex characters, unique in `feedback`)."""
    return hashlib.sha256(f"{alert_id}|{vote}|{nonce}".encode()).hexdigest()


def cli_token() -> str:
    """A fresh unique token for a vote given on the command line (no link, no replay)."""
    return hashlib.sha256(b"cli|" + secrets.token_bytes(32)).hexdigest()


def new_nonce() -> str:
    return _b64(secrets.token_bytes(NONCE_BYTES))


def make_link(base_url: str, secret: bytes, alert_id: int, vote: str, recipient: str) -> str:
    nonce = new_nonce()
    sig = signature(secret, alert_id, vote, recipient, nonce)
    return f"{base_url.rstrip('/')}{PATH_PREFIX}{alert_id}/{vote}/{nonce}.{sig}"


def links_for(
    base_url: str, secret: bytes, alert_id: int, recipient: str, *, talk_track: bool
) -> tuple[tuple[str, str], ...]:
    """(label, url) for every vote an entry offers; 'talk track helped' only with a track."""
    votes = [v for v in FEEDBACK_VOTES if talk_track or v != "talk_track_helped"]
    return tuple(
        (VOTE_LABELS[v], make_link(base_url, secret, alert_id, v, recipient)) for v in votes
    )


@dataclass(frozen=True)
class LinkParts:
    alert_id: int
    vote: str
    nonce: str
    signature: str

    @property
    def token(self) -> str:
        return token(self.alert_id, self.vote, self.nonce)

    def verify(self, secret: bytes, recipient: str) -> bool:
        expected = signature(secret, self.alert_id, self.vote, recipient, self.nonce)
        return hmac.compare_digest(expected.encode(), self.signature.encode())


def parse_path(path: str) -> LinkParts | None:
    """The parts of a link path, or None when it is not one (the server answers 404).

    The vote must be a known name; whether the signature is right is `verify`'s job.
    """
    match = _PATH.match(path.split("?", 1)[0])
    if not match or match.group(2) not in FEEDBACK_VOTES:
        return None
    return LinkParts(int(match.group(1)), match.group(2), match.group(3), match.group(4))
