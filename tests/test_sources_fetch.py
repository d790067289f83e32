"""The safe fetcher against a loopback server that misbehaves in every way we know of."""

from __future__ import annotations

import ipaddress
import itertools
import threading
import time
import tracemalloc
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from sources.addresses import (
    IPAddress,
    is_public_address,
    public_only,
    system_resolver,
    vetted_addresses,
)
from sources.feeds import parse_feed
from sources.fetch import Fetcher, parse_retry_after
from sources.records import FetchError, FetchSettings
from tests.sources_helpers import (
    ETAG,
    FIXTURES,
    LAST_MODIFIED,
    FeedServer,
    Handler,
    running_server,
)

FEED = (FIXTURES / "TechCrunch.xml").read_bytes()


@pytest.fixture(scope="module")
def server() -> Iterator[FeedServer]:
    with running_server() as srv:
        yield srv


def settings(**overrides: object) -> FetchSettings:
    values: dict[str, object] = {"timeout_s": 5.0, "allow_private_addresses": True}
    values.update(overrides)
    return FetchSettings(**values)  # type: ignore[arg-type]


@pytest.fixture
def fetcher() -> Iterator[Fetcher]:
    with Fetcher(settings()) as f:
        yield f


def fetch_error(fetcher: Fetcher, url: str, **kwargs: str) -> FetchError:
    with pytest.raises(FetchError) as caught:
        fetcher.fetch(url, **kwargs)
    return caught.value


# --- ordinary fetching -----------------------------------------------------------------


def test_fetch_returns_body_validators_and_sends_user_agent(
    server: FeedServer, fetcher: Fetcher
) -> None:
    result = fetcher.fetch(server.url("/feed.xml"))
    assert result.status == 200 and result.body == FEED
    assert result.etag == ETAG and result.last_modified == LAST_MODIFIED
    assert result.content_type == "application/rss+xml"
    assert result.permanent_redirect is None and not result.not_modified
    headers = server.seen[-1][1]
    assert headers["user-agent"].startswith("trigger-monitor/")
    assert "gzip" in headers["accept-encoding"]


@pytest.mark.parametrize(
    "validators", [{"etag": ETAG}, {"last_modified": LAST_MODIFIED}], ids=["etag", "date"]
)
def test_conditional_get_gives_304_without_body(
    server: FeedServer, fetcher: Fetcher, validators: dict[str, str]
) -> None:
    result = fetcher.fetch(server.url("/feed.xml"), **validators)
    assert result.status == 304 and result.not_modified and result.body is None
    sent = server.seen[-1][1]
    assert sent.get("if-none-match") == validators.get("etag")
    assert sent.get("if-modified-since") == validators.get("last_modified")


@pytest.mark.parametrize("path", ["/feed.xml.gz", "/feed.deflate"])
def test_compressed_bodies_are_decoded(server: FeedServer, fetcher: Fetcher, path: str) -> None:
    assert fetcher.fetch(server.url(path)).body == FEED


def test_html_page_is_fetched_then_reported_as_not_a_feed(
    server: FeedServer, fetcher: Fetcher
) -> None:
    result = fetcher.fetch(server.url("/page.html"))
    assert result.body is not None
    parsed = parse_feed(result.body, source="acme", content_type=result.content_type)
    assert not parsed.is_feed and parsed.items == []
    assert parsed.problem == "not a feed: HTML page (<title>Acme & Co - Home)"


def test_repeated_headers_are_joined_and_a_url_is_parsed_once(
    server: FeedServer, fetcher: Fetcher
) -> None:
    """The fetcher reads httpcore's raw headers itself: a repeated header is joined as httpx
    joins it (the smallest max-age wins), a non-UTF-8 value still decodes, and the cached
    parse of a URL serves every later fetch of it."""

    def twice(h: Handler) -> None:
        h.send_response(200)
        h.send_header("Cache-Control", "public, max-age=600")
        h.send_header("Cache-control", "max-age=60")
        h.send_header("ETag", '"caf\xe9"')  # latin-1 on the wire, not valid UTF-8
        h.send_header("Content-Length", "3")
        h.end_headers()
        h.wfile.write(b"abc")

    server.routes["/twice"] = twice
    url = server.url("/twice?a b=\u00fc")
    for _ in range(2):
        result = fetcher.fetch(url)
        assert (result.status, result.body, result.max_age_s) == (200, b"abc", 60.0)
        assert result.etag == '"caf\xe9"'
        assert server.seen[-1][0] == "/twice?a%20b=%C3%BC"  # percent-encoded as httpx does
    assert list(fetcher._targets) == [url]


@pytest.mark.parametrize("url", ["http:///feed.xml", "http://exa\u0000mple.com/", "https://[::1/"])
def test_malformed_urls_are_bad_urls(fetcher: Fetcher, url: str) -> None:
    assert fetch_error(fetcher, url).kind == "bad_url"


# --- HTTP errors -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("path", "kind", "status"),
    [
        ("/missing", "http_404", 404),
        ("/gone", "gone", 410),
        ("/broken", "http_5xx", 500),
        ("/busy", "rate_limited", 429),
        ("/down", "rate_limited", 503),
    ],
)
def test_error_statuses_map_to_kinds(
    server: FeedServer, fetcher: Fetcher, path: str, kind: str, status: int
) -> None:
    error = fetch_error(fetcher, server.url(path))
    assert (error.kind, error.status) == (kind, status)


def test_rate_limit_carries_retry_after(server: FeedServer, fetcher: Fetcher) -> None:
    assert fetch_error(fetcher, server.url("/busy")).retry_after_s == 120.0
    later = fetch_error(fetcher, server.url("/down")).retry_after_s
    assert later is not None and later > 365 * 24 * 3600  # an HTTP-date in 2099


def test_parse_retry_after_forms() -> None:
    assert parse_retry_after("30") == 30.0
    assert parse_retry_after("Thu, 01 Jan 1970 00:01:40 GMT", now=40.0) == 60.0
    assert parse_retry_after("Thu, 01 Jan 1970 00:00:10 GMT", now=40.0) == 0.0
    assert parse_retry_after("soon") is None and parse_retry_after(None) is None


def test_errors_do_not_leak_credentials_or_query(server: FeedServer, fetcher: Fetcher) -> None:
    url = f"http://alice:hunter2@127.0.0.1:{server.port}/missing?token=s3cr3t"
    error = fetch_error(fetcher, url)
    assert "hunter2" not in str(error) and "s3cr3t" not in str(error)


# --- time and size limits --------------------------------------------------------------


@pytest.mark.parametrize("path", ["/drip", "/header-drip"])
def test_slow_drip_is_cut_at_the_total_deadline(server: FeedServer, path: str) -> None:
    with Fetcher(settings(timeout_s=1.5)) as fetcher:
        started = time.monotonic()
        error = fetch_error(fetcher, server.url(path))
        elapsed = time.monotonic() - started
    assert error.kind == "timeout"
    assert 1.4 <= elapsed < 2.5


def test_slow_dns_is_cut_at_the_deadline(server: FeedServer) -> None:
    def slow_resolver(host: str, port: int) -> list[str]:
        time.sleep(3)
        return ["127.0.0.1"]

    with Fetcher(settings(timeout_s=1.0), resolver=slow_resolver) as fetcher:
        started = time.monotonic()
        assert fetch_error(fetcher, server.url("/feed.xml", host="slow.test")).kind == "timeout"
    assert time.monotonic() - started < 2.9  # the resolver alone takes 3 s


def test_gzip_bomb_stops_at_max_bytes_without_inflating(server: FeedServer) -> None:
    server.bomb()  # build the 100 MB bomb before measuring
    cap = 1024 * 1024
    with Fetcher(settings(max_bytes=cap)) as fetcher:
        tracemalloc.start()
        try:
            error = fetch_error(fetcher, server.url("/bomb"))
            _, peak = tracemalloc.get_traced_memory()
        finally:
            tracemalloc.stop()
    assert error.kind == "too_large"
    # The cap plus one bounded piece; httpx's own gzip decoding would hold ~64 MB at once.
    assert peak < 4 * cap, f"peak traced memory {peak} bytes"


def test_endless_body_stops_at_max_bytes(server: FeedServer) -> None:
    with Fetcher(settings(max_bytes=256 * 1024)) as fetcher:
        started = time.monotonic()
        assert fetch_error(fetcher, server.url("/endless")).kind == "too_large"
    assert time.monotonic() - started < 10


# --- redirects -------------------------------------------------------------------------


def test_redirect_loop_is_detected(server: FeedServer, fetcher: Fetcher) -> None:
    assert fetch_error(fetcher, server.url("/loop-a")).kind == "redirect_loop"


def test_redirect_hops_are_capped(server: FeedServer) -> None:
    with Fetcher(settings(max_redirects=3)) as fetcher:
        assert fetcher.fetch(server.url("/chain/3")).body == FEED
        assert fetch_error(fetcher, server.url("/chain/4")).kind == "too_many_redirects"


def test_permanent_redirects_are_reported(server: FeedServer, fetcher: Fetcher) -> None:
    result = fetcher.fetch(server.url("/moved"))  # 301 then 308 then the feed
    assert result.body == FEED and result.url == server.url("/feed.xml")
    assert result.permanent_redirect == server.url("/feed.xml")


def test_temporary_hops_stop_the_permanent_chain(server: FeedServer, fetcher: Fetcher) -> None:
    assert fetcher.fetch(server.url("/temporary")).permanent_redirect is None
    mixed = fetcher.fetch(server.url("/moved-then-temporary"))
    assert mixed.permanent_redirect == server.url("/temporary")


def test_redirect_to_a_file_url_is_refused(server: FeedServer, fetcher: Fetcher) -> None:
    assert fetch_error(fetcher, server.url("/to-file")).kind == "bad_scheme"


@pytest.mark.parametrize("url", ["ftp://example.com/feed", "gopher://x/", "javascript:alert(1)"])
def test_only_http_schemes(fetcher: Fetcher, url: str) -> None:
    assert fetch_error(fetcher, url).kind == "bad_scheme"


# --- the address guard -----------------------------------------------------------------

BLOCKED = [
    "127.0.0.1",
    "127.8.9.10",
    "10.1.2.3",
    "172.16.0.1",
    "192.168.1.1",
    "169.254.169.254",
    "100.64.0.1",
    "0.0.0.0",
    "224.0.0.1",
    "240.0.0.1",
    "255.255.255.255",
    "::1",
    "::",
    "fe80::1",
    "fd00:ec2::254",
    "ff02::1",
    "::ffff:127.0.0.1",
    "::ffff:169.254.169.254",
    "::127.0.0.1",
    "64:ff9b::a9fe:a9fe",  # NAT64 form of 169.254.169.254
    "2002:7f00:1::1",  # 6to4 form of 127.0.0.1
    "2002:a9fe:a9fe::1",  # 6to4 form of 169.254.169.254
    "2001:0:4136:e378:8000:63bf:f5ff:fffe",  # Teredo with client 10.0.0.1
]
PUBLIC = ["93.184.216.34", "8.8.8.8", "2606:4700:4700::1111", "::ffff:8.8.8.8"]


@pytest.mark.parametrize("address", BLOCKED)
def test_non_public_addresses_are_refused(address: str) -> None:
    assert not is_public_address(ipaddress.ip_address(address))


@pytest.mark.parametrize("address", PUBLIC)
def test_public_addresses_are_allowed(address: str) -> None:
    assert is_public_address(ipaddress.ip_address(address))


def test_any_private_answer_blocks_the_host() -> None:
    def resolver(host: str, port: int) -> list[str]:
        return ["93.184.216.34", "10.0.0.7"]

    with pytest.raises(FetchError) as caught:
        vetted_addresses("mixed.test", 80, resolver=resolver)
    assert caught.value.kind == "blocked_address"
    assert vetted_addresses("mixed.test", 80, resolver=lambda h, p: ["8.8.8.8"]) == ["8.8.8.8"]


def test_unresolvable_host_is_a_dns_error() -> None:
    with pytest.raises(FetchError) as caught:
        system_resolver("no-such-host.invalid", 80)
    assert caught.value.kind == "dns"


def test_loopback_is_blocked_by_default_and_never_contacted(server: FeedServer) -> None:
    before = len(server.seen)
    with Fetcher(settings(allow_private_addresses=False)) as fetcher:
        for host in ("127.0.0.1", "localhost", "[::ffff:127.0.0.1]", "2130706433", "0x7f.1"):
            error = fetch_error(fetcher, server.url("/feed.xml", host=host))
            assert error.kind == "blocked_address", host
    assert len(server.seen) == before


@pytest.fixture
def guarded(server: FeedServer) -> Iterator[Fetcher]:
    """Private addresses disallowed; only the name feeds.test may reach the loopback server.

    The fake resolver also proves the fetcher connects to the address it vetted: the system
    resolver cannot resolve feeds.test at all.
    """
    answers = {"feeds.test": ["127.0.0.1"], "rebind.test": ["93.184.216.34", "127.0.0.1"]}

    def resolver(host: str, port: int) -> list[str]:
        if host not in answers:
            raise FetchError("dns", "unknown test host")
        return answers[host]

    def policy(host: str, address: IPAddress) -> bool:
        return host == "feeds.test" or public_only(host, address)

    with Fetcher(
        settings(allow_private_addresses=False), resolver=resolver, address_policy=policy
    ) as fetcher:
        yield fetcher


def test_vetted_address_is_used_and_host_header_kept(server: FeedServer, guarded: Fetcher) -> None:
    result = guarded.fetch(server.url("/host", host="feeds.test"))
    assert result.body == f"feeds.test:{server.port}".encode()


@pytest.mark.parametrize(
    "target", ["http://127.0.0.1:{port}/feed.xml", "http://rebind.test:{port}/feed.xml"]
)
def test_every_redirect_hop_is_checked(server: FeedServer, guarded: Fetcher, target: str) -> None:
    location = target.format(port=server.port)
    server.routes["/hop"] = lambda h: h.redirect(302, location)
    before = len(server.seen)
    assert fetch_error(guarded, server.url("/hop", host="feeds.test")).kind == "blocked_address"
    assert [path for path, _ in server.seen[before:]] == ["/hop"]


def test_redirect_to_cloud_metadata_is_blocked(server: FeedServer, guarded: Fetcher) -> None:
    error = fetch_error(guarded, server.url("/to-metadata", host="feeds.test"))
    assert error.kind == "blocked_address" and "169.254.169.254" in str(error)


# --- local files -----------------------------------------------------------------------


def test_local_paths_and_file_urls(tmp_path: Path, fetcher: Fetcher) -> None:
    path = tmp_path / "feed.xml"
    path.write_bytes(FEED)
    for url in (str(path), path.as_uri()):
        result = fetcher.fetch(url)
        assert result.status == 200 and result.body == FEED
        assert fetcher.fetch(url, last_modified=result.last_modified or "").not_modified
    assert fetch_error(fetcher, str(tmp_path / "nope.xml")).kind == "not_found"
    with Fetcher(settings(max_bytes=1000)) as small:
        assert fetch_error(small, str(path)).kind == "too_large"


# --- politeness and threads ------------------------------------------------------------


@pytest.mark.parametrize("limit", [1, 2])
def test_per_host_concurrency_limit(server: FeedServer, limit: int) -> None:
    server.max_active = 0
    with Fetcher(settings(per_host_concurrency=limit)) as fetcher:
        threads = [
            threading.Thread(target=fetcher.fetch, args=(server.url("/slow"),)) for _ in range(5)
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    assert server.max_active == limit


def test_min_gap_between_requests_to_one_host(server: FeedServer) -> None:
    server.starts.clear()
    with Fetcher(settings(per_host_concurrency=4, per_host_min_gap_s=0.25)) as fetcher:
        threads = [
            threading.Thread(target=fetcher.fetch, args=(server.url("/slow"),)) for _ in range(3)
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    starts = sorted(server.starts)
    assert len(starts) == 3
    assert all(b - a >= 0.2 for a, b in itertools.pairwise(starts))


def test_deadlines_are_per_fetch_across_threads(server: FeedServer) -> None:
    """A drip timing out in one thread must not cut, or extend, fetches in the others."""
    with Fetcher(settings(timeout_s=1.5, per_host_concurrency=8)) as fetcher:

        def run(path: str) -> str:
            time.sleep(0.0 if path == "/drip" else 1.0)  # start after the drip's deadline is set
            try:
                return str(len(fetcher.fetch(server.url(path)).body or b""))
            except FetchError as error:
                return error.kind

        with ThreadPoolExecutor(max_workers=4) as pool:
            results = list(pool.map(run, ["/drip", "/feed.xml", "/feed.xml.gz", "/feed.xml"]))
    assert results == ["timeout", str(len(FEED)), str(len(FEED)), str(len(FEED))]
