"""Signing and checking feedback links: round trip, every kind of tampering, replay keys."""

from __future__ import annotations

import pytest

from monitor.feedback.links import (
    VOTE_LABELS,
    VoteError,
    cli_token,
    links_for,
    make_link,
    normalise_vote,
    parse_path,
    token,
)
from monitor.store.models import FEEDBACK_VOTES

SECRET = b"s3cret-s3cret-s3cret-s3cret-s3cret"
BASE = "https://monitor.example.com"


def path_of(url: str) -> str:
    return url.removeprefix(BASE)


def test_a_link_verifies_for_its_recipient_only() -> None:
    url = make_link(BASE, SECRET, 12, "useful", "Alice@Example.com")
    parts = parse_path(path_of(url))
    assert parts is not None
    assert (parts.alert_id, parts.vote) == (12, "useful")
    assert parts.verify(SECRET, "alice@example.com")  # case of the address does not matter
    assert not parts.verify(SECRET, "bob@example.com")
    assert not parts.verify(b"another-secret-another-secret-xx", "alice@example.com")


@pytest.mark.parametrize("field", ["alert", "vote", "nonce", "signature"])
def test_changing_any_part_breaks_the_signature(field: str) -> None:
    url = make_link(BASE, SECRET, 12, "useful", "alice@example.com")
    _, alert, vote, rest = path_of(url).rsplit("/", 3)
    nonce, sig = rest.split(".")
    if field == "alert":
        alert = "13"
    elif field == "vote":
        vote = "not_a_trigger"
    elif field == "nonce":
        nonce = ("B" if nonce[0] != "B" else "C") + nonce[1:]
    else:
        sig = sig[:-1] + ("A" if sig[-1] != "A" else "B")
    parts = parse_path(f"/feedback/{alert}/{vote}/{nonce}.{sig}")
    assert parts is not None
    assert not parts.verify(SECRET, "alice@example.com")


def test_each_link_has_its_own_nonce_and_replay_token() -> None:
    first = parse_path(path_of(make_link(BASE, SECRET, 1, "useful", "a@example.com")))
    second = parse_path(path_of(make_link(BASE, SECRET, 1, "useful", "a@example.com")))
    assert first is not None and second is not None
    assert first.nonce != second.nonce and first.token != second.token
    assert first.token == token(1, "useful", first.nonce)  # stable: a second use collides
    assert len(first.token) == 64 and len(cli_token()) == 64 and cli_token() != cli_token()


@pytest.mark.parametrize(
    "path",
    [
        "/",
        "/feedback/",
        "/feedback/12/useful",
        "/feedback/x/useful/AAAAAAAAAAAAAAAAAAAAAA.AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
        "/feedback/12/great/AAAAAAAAAAAAAAAAAAAAAA.AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
        "/feedback/12/useful/AAAA.AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
        "/feedback/12/useful/AAAAAAAAAAAAAAAAAAAAAA.AAAA",
        "/feedback/12/useful/AAAAAAAAAAAAAAAAAAAAAA.AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA<",
        "/other/12/useful/AAAAAAAAAAAAAAAAAAAAAA.AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
    ],
)
def test_anything_but_a_link_path_is_not_parsed(path: str) -> None:
    assert parse_path(path) is None


def test_entries_offer_talk_track_helped_only_with_a_track() -> None:
    with_track = links_for(BASE, SECRET, 5, "a@example.com", talk_track=True)
    without = links_for(BASE, SECRET, 5, "a@example.com", talk_track=False)
    assert [label for label, _ in with_track] == list(VOTE_LABELS.values())
    assert "Talk track helped" not in [label for label, _ in without]
    assert len(without) == len(FEEDBACK_VOTES) - 1
    for label, url in with_track:
        parts = parse_path(path_of(url))
        assert parts is not None and VOTE_LABELS[parts.vote] == label
        assert parts.verify(SECRET, "a@example.com")


def test_vote_names_are_forgiving_but_closed() -> None:
    assert normalise_vote("wrong-company") == "wrong_company"
    assert normalise_vote("wrong_company") == "wrong_company"
    assert normalise_vote(" Talk track helped ") == "talk_track_helped"
    with pytest.raises(VoteError, match=r"unknown vote 'great'.*wrong-company"):
        normalise_vote("great")
