"""The one safe fetcher every source URL goes through.

Guarantees, whatever the server does: only http(s) (and local files, read with the same size
cap); no connection to private/loopback/link-local/metadata addresses unless allowed, checked
at connect time on every redirect hop (see transport.py: no DNS-rebinding window); a total
wall-clock deadline of `timeout_s` per fetch, redirects included; at most `max_bytes` read,
counted on the wire AND after decompression (see decode.py: bombs never inflate past the
cap); redirects followed by hand with loop detection; per-host politeness (politeness.py).

Error kinds (FetchError.kind): bad_scheme, bad_url, dns, blocked_address, unreachable,
timeout, protocol, too_large, bad_encoding, redirect_loop, too_many_redirects, gone (410),
rate_limited (429/503, with retry_after_s), http_404, http_4xx, http_5xx, not_found and
file_error (local files).

Residual gaps: a resolver call that outlives the deadline is abandoned, not cancelled (its
daemon thread ends when the system resolver gives up); Retry-After values are trusted as
sent (the monitor should clamp them).
"""

from __future__ import annotations

import email.utils
import os
import re
import time
from collections.abc import Iterable
from dataclasses import dataclass, replace
from types import TracebackType
from urllib.parse import unquote, urljoin, urlsplit

import httpcore
import httpx

from sources.addresses import AddressPolicy, Resolver, any_address, public_only, system_resolver
from sources.decode import BoundedDecoder
from sources.politeness import HostGate
from sources.records import FetchError, FetchResult, FetchSettings
from sources.transport import DeadlineClock, GuardedBackend, PerHostTransport, PoolKey

_REDIRECTS = frozenset({301, 302, 303, 307, 308})
_PERMANENT = frozenset({301, 308})
_ACCEPT = (
    "application/rss+xml, application/atom+xml, application/rdf+xml;q=0.9, "
    "application/xml;q=0.9, text/xml;q=0.9, */*;q=0.5"
)
# Parsed URLs kept per fetcher: sources poll the same URLs every cycle (a few thousand).
_TARGET_CACHE = 16_384


@dataclass(frozen=True)
class _Target:
    """A URL as httpx parses it (IDNA hosts, percent-encoded paths), parsed once and reused:
    parsing took a tenth of a 304's CPU."""

    host: str  # for the politeness gate and error messages
    pool: PoolKey
    url: httpcore.URL
    host_header: bytes


class _Headers:
    """Response headers by lower-case name; repeated ones joined with ", " as httpx does."""

    __slots__ = ("_values",)

    def __init__(self, raw: Iterable[tuple[bytes, bytes]]) -> None:
        values: dict[str, str] = {}
        for name, value in raw:
            key = name.decode("latin-1").lower()
            try:
                text = value.decode("utf-8")
            except UnicodeDecodeError:
                text = value.decode("latin-1")
            values[key] = f"{values[key]}, {text}" if key in values else text
        self._values = values

    def get(self, name: str, default: str | None = None) -> str | None:
        return self._values.get(name, default)


class Fetcher:
    """Fetch URLs safely; thread-safe, reuse one instance (it pools connections)."""

    def __init__(
        self,
        settings: FetchSettings,
        *,
        resolver: Resolver | None = None,
        address_policy: AddressPolicy | None = None,
    ) -> None:
        """`resolver` and `address_policy` default to the system resolver and to
        public-only (or anything, when settings.allow_private_addresses); tests inject them."""
        self._settings = settings
        self._clock = DeadlineClock()
        self._gate = HostGate(settings.per_host_concurrency, settings.per_host_min_gap_s)
        backend = GuardedBackend(
            policy=address_policy
            or (any_address if settings.allow_private_addresses else public_only),
            clock=self._clock,
            resolver=resolver or system_resolver,
        )
        ssl_context = httpx.create_ssl_context(trust_env=False)
        per_host = settings.per_host_concurrency

        def pool() -> httpcore.ConnectionPool:
            return httpcore.ConnectionPool(
                ssl_context=ssl_context,
                network_backend=backend,
                max_connections=per_host,
                max_keepalive_connections=per_host,
                keepalive_expiry=30.0,
            )

        # Enough pools that one poll's hosts all keep their connection (file descriptors
        # stay bounded: at most per_host_concurrency sockets per pool).
        self._transport = PerHostTransport(
            pool, max(64, min(256, settings.workers * 8)), ssl_context
        )
        # Requests go straight to the host's httpcore pool: httpx's client (URL merging,
        # cookies, auth and redirect layers, header objects) cost as much CPU as the HTTP
        # exchange itself. No proxy is ever used (one would bypass the address guard),
        # redirects are followed by _follow, and cookies are not kept (feeds need none).
        self._headers = [
            (b"Accept", _ACCEPT.encode()),
            (b"Accept-Encoding", b"gzip, deflate"),
            (b"Connection", b"keep-alive"),
            (b"User-Agent", settings.user_agent.encode()),
        ]
        timeout = settings.timeout_s
        self._extensions = {
            "timeout": {"connect": timeout, "read": timeout, "write": timeout, "pool": timeout}
        }
        self._targets: dict[str, _Target] = {}

    def __enter__(self) -> Fetcher:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    def close(self) -> None:
        self._transport.close()

    def fetch(
        self, url: str, *, etag: str | None = None, last_modified: str | None = None
    ) -> FetchResult:
        """GET url (conditionally when etag/last_modified are given); raise FetchError."""
        if url not in self._targets:  # a URL fetched before is http(s): skip re-splitting it
            try:
                scheme = urlsplit(url).scheme.lower()
            except ValueError:  # e.g. an unclosed IPv6 bracket
                raise FetchError("bad_url", "malformed URL") from None
            if scheme in ("", "file"):
                return self._read_file(url, last_modified)
            if scheme not in ("http", "https"):
                raise FetchError("bad_scheme", f"unsupported URL scheme {scheme!r}")
        deadline = time.monotonic() + self._settings.timeout_s
        self._clock.set(deadline)
        try:
            return self._follow(url, etag, last_modified, deadline)
        finally:
            self._clock.set(None)

    def _follow(
        self, url: str, etag: str | None, last_modified: str | None, deadline: float
    ) -> FetchResult:
        headers: list[tuple[bytes, bytes]] = []
        if etag:
            headers.append((b"If-None-Match", etag.encode()))
        if last_modified:
            headers.append((b"If-Modified-Since", last_modified.encode()))
        current, seen = url, {url}
        permanent: str | None = None
        only_permanent_so_far = True
        for hop in range(self._settings.max_redirects + 1):
            status, location, result = self._request(current, headers, deadline)
            if location is None:
                assert result is not None
                return _with(result, permanent)
            target = urljoin(current, location)
            if urlsplit(target).scheme.lower() not in ("http", "https"):
                raise FetchError("bad_scheme", "redirect to a non-http(s) URL", status=status)
            if target in seen:
                raise FetchError("redirect_loop", f"redirect loop after {hop + 1} hop(s)")
            if hop == self._settings.max_redirects:
                break
            if only_permanent_so_far and status in _PERMANENT:
                permanent = target
            else:
                only_permanent_so_far = False
            seen.add(target)
            current = target
        raise FetchError(
            "too_many_redirects", f"more than {self._settings.max_redirects} redirects"
        )

    def _target(self, url: str) -> _Target:
        """`url` parsed by httpx's rules, cached; FetchError bad_url when malformed."""
        target = self._targets.get(url)
        if target is not None:
            return target
        try:
            parsed = httpx.URL(url)
        except httpx.InvalidURL:
            raise FetchError("bad_url", "malformed URL") from None  # its text may hold the URL
        if not parsed.raw_host:
            raise FetchError("bad_url", "malformed URL")
        target = _Target(
            host=parsed.host,
            pool=(parsed.raw_scheme, parsed.raw_host, parsed.port),
            url=httpcore.URL(
                scheme=parsed.raw_scheme,
                host=parsed.raw_host,
                port=parsed.port,
                target=parsed.raw_path,
            ),
            host_header=parsed.netloc,
        )
        if len(self._targets) >= _TARGET_CACHE:
            self._targets.clear()
        self._targets[url] = target
        return target

    def _request(
        self, url: str, headers: list[tuple[bytes, bytes]], deadline: float
    ) -> tuple[int, str | None, FetchResult | None]:
        """One GET: (status, redirect location or None, result when not a redirect)."""
        target = self._target(url)
        host = target.host
        try:
            request = httpcore.Request(
                b"GET",
                target.url,
                headers=[(b"Host", target.host_header), *self._headers, *headers],
                extensions=self._extensions,
            )
            with self._gate.admit(host, deadline):
                response = self._transport.pool(target.pool).handle_request(request)
                try:
                    status = response.status
                    answer = _Headers(response.headers)
                    location = answer.get("location")
                    if status in _REDIRECTS and location:
                        return status, location, None
                    _raise_for_status(status, answer)
                    if status == 304:
                        # Read the (empty) rest of the answer: an unfinished response makes
                        # httpcore close the connection, and reconnecting cost most of a 304.
                        for _ in response.iter_stream():
                            pass
                        body = None
                    else:
                        body = self._read_body(answer, response.iter_stream())
                    return status, None, _result(url, status, answer, body)
                finally:
                    response.close()
        except httpcore.TimeoutException as exc:
            raise FetchError("timeout", f"no complete answer within {self._timeout_text}") from exc
        except httpcore.UnsupportedProtocol:
            raise FetchError("bad_url", "malformed URL") from None
        except httpcore.ProtocolError as exc:
            raise FetchError("protocol", f"bad HTTP answer from {host!r}") from exc
        except (httpcore.NetworkError, httpcore.ProxyError) as exc:
            raise FetchError("unreachable", f"cannot connect to {host!r}") from exc

    @property
    def _timeout_text(self) -> str:
        return f"{self._settings.timeout_s:g}s"

    def _read_body(self, headers: _Headers, stream: Iterable[bytes]) -> bytes:
        cap = self._settings.max_bytes
        declared = headers.get("content-length") or ""
        if declared.isdigit() and int(declared) > cap:
            raise FetchError("too_large", f"Content-Length {declared} exceeds {cap} bytes")
        decoder = BoundedDecoder(headers.get("content-encoding"))
        wire = size = 0
        pieces: list[bytes] = []
        for raw in stream:
            wire += len(raw)
            if wire > cap:
                raise FetchError("too_large", f"body exceeds {cap} bytes on the wire")
            for piece in decoder.feed(raw):
                size += len(piece)
                if size > cap:
                    raise FetchError("too_large", f"decoded body exceeds {cap} bytes")
                pieces.append(piece)
        return b"".join(pieces)

    def _read_file(self, url: str, last_modified: str | None) -> FetchResult:
        """Local path or file:// URL, for bundled sample feeds: same size cap, no network."""
        parts = urlsplit(url)
        if parts.scheme.lower() == "file":
            if parts.netloc not in ("", "localhost"):
                raise FetchError("bad_url", "file URL with a remote host")
            path = unquote(parts.path)
        else:
            path = url
        cap = self._settings.max_bytes
        try:
            with open(path, "rb") as handle:
                stamp = email.utils.formatdate(os.fstat(handle.fileno()).st_mtime, usegmt=True)
                if last_modified == stamp:
                    return FetchResult(url=url, status=304, body=None, last_modified=stamp)
                body = handle.read(cap + 1)
        except FileNotFoundError as exc:
            raise FetchError("not_found", "local feed file does not exist") from exc
        except OSError as exc:
            raise FetchError("file_error", f"cannot read local feed file: {exc.strerror}") from exc
        if len(body) > cap:
            raise FetchError("too_large", f"local file exceeds {cap} bytes")
        return FetchResult(url=url, status=200, body=body, last_modified=stamp)


def _raise_for_status(status: int, headers: _Headers) -> None:
    if status < 400 and status not in _REDIRECTS:
        return
    if status == 410:
        raise FetchError("gone", "source is gone (410)", status=status)
    if status in (429, 503):
        raise FetchError(
            "rate_limited",
            f"rate limited ({status})",
            status=status,
            retry_after_s=parse_retry_after(headers.get("retry-after")),
        )
    if status == 404:
        raise FetchError("http_404", "not found (404)", status=status)
    if status >= 500:
        raise FetchError("http_5xx", f"server error ({status})", status=status)
    if status >= 400:
        raise FetchError("http_4xx", f"client error ({status})", status=status)
    raise FetchError("protocol", f"redirect {status} without Location", status=status)


def parse_retry_after(value: str | None, *, now: float | None = None) -> float | None:
    """Seconds to wait from a Retry-After header (delta-seconds or HTTP-date), or None."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        return None
    return max(0.0, when.timestamp() - (time.time() if now is None else now))


def _result(url: str, status: int, headers: _Headers, body: bytes | None) -> FetchResult:
    return FetchResult(
        url=url,
        status=status,
        body=body,
        etag=headers.get("etag"),
        last_modified=headers.get("last-modified"),
        content_type=headers.get("content-type"),
        max_age_s=parse_max_age(headers.get("cache-control")),
    )


# The comma after a directive is only looked at: it also opens the next directive, and
# consuming it hid a repeated max-age.
_MAX_AGE = re.compile(r"(?:^|,)\s*max-age\s*=\s*\"?(\d{1,9})\"?\s*(?=,|$)", re.IGNORECASE)


def parse_max_age(value: str | None) -> float | None:
    """Seconds from Cache-Control max-age (the smallest if repeated), or None; a no-cache or
    no-store answer gives no hint."""
    if not value or re.search(r"no-(?:cache|store)", value, re.IGNORECASE):
        return None
    ages = [int(m) for m in _MAX_AGE.findall(value)]
    return float(min(ages)) if ages else None


def _with(result: FetchResult, permanent: str | None) -> FetchResult:
    return result if permanent is None else replace(result, permanent_redirect=permanent)
