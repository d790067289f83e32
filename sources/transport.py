"""An httpcore network backend that connects only to vetted addresses, within a deadline.

Why a backend and not a check before the request: checking a host name and then letting the
HTTP library resolve it again leaves a DNS-rebinding window (first answer public, second one
127.0.0.1). Here the name is resolved once, every answer is vetted, and the socket connects
to a vetted IP. httpcore still does TLS with the URL's host name (SNI and certificate
checks) and httpx still sends the original Host header, because only the TCP connect moves.

The same wrapper enforces the per-fetch wall-clock deadline: every socket read and write gets
at most the time left, so a server dripping one byte a second is cut off on time.
"""

from __future__ import annotations

import collections
import ipaddress
import itertools
import ssl
import threading
import time
import typing

import httpcore
import httpx

from sources.addresses import AddressPolicy, Resolver, system_resolver, vetted_addresses
from sources.records import FetchError


class DeadlineClock:
    """Per-thread deadline of the fetch in progress (requests run in the caller's thread)."""

    def __init__(self) -> None:
        self._local = threading.local()

    def set(self, deadline: float | None) -> None:
        self._local.deadline = deadline

    def cap(self, timeout: float | None, what: type[Exception]) -> float | None:
        """Shorten timeout to the time left; raise `what` when none is left."""
        deadline: float | None = getattr(self._local, "deadline", None)
        if deadline is None:
            return timeout
        left = deadline - time.monotonic()
        if left <= 0:
            raise what("fetch deadline reached")
        return left if timeout is None else min(timeout, left)


class _DeadlineStream(httpcore.NetworkStream):
    def __init__(self, inner: httpcore.NetworkStream, clock: DeadlineClock) -> None:
        self._inner = inner
        self._clock = clock

    def read(self, max_bytes: int, timeout: float | None = None) -> bytes:
        return self._inner.read(max_bytes, self._clock.cap(timeout, httpcore.ReadTimeout))

    def write(self, buffer: bytes, timeout: float | None = None) -> None:
        if buffer:  # h11 hands over b"" for the end of a GET: nothing to send or time
            self._inner.write(buffer, self._clock.cap(timeout, httpcore.WriteTimeout))

    def close(self) -> None:
        self._inner.close()

    def start_tls(
        self,
        ssl_context: ssl.SSLContext,
        server_hostname: str | None = None,
        timeout: float | None = None,
    ) -> httpcore.NetworkStream:
        timeout = self._clock.cap(timeout, httpcore.ConnectTimeout)
        return _DeadlineStream(
            self._inner.start_tls(ssl_context, server_hostname, timeout), self._clock
        )

    def get_extra_info(self, info: str) -> typing.Any:
        return self._inner.get_extra_info(info)


class GuardedBackend(httpcore.NetworkBackend):
    """Resolve, vet, then connect to the vetted IP (never re-resolving the name)."""

    def __init__(
        self,
        *,
        policy: AddressPolicy,
        clock: DeadlineClock,
        resolver: Resolver = system_resolver,
    ) -> None:
        self._policy = policy
        self._clock = clock
        self._resolver = resolver
        self._inner = httpcore.SyncBackend()

    def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: typing.Iterable[typing.Any] | None = None,
    ) -> httpcore.NetworkStream:
        answers = self._resolve(host, port, self._clock.cap(timeout, httpcore.ConnectTimeout))
        addresses = vetted_addresses(
            host, port, policy=self._policy, resolver=lambda _host, _port: answers
        )
        last_error: Exception | None = None
        for address in addresses:
            try:
                stream = self._inner.connect_tcp(
                    address,
                    port,
                    timeout=self._clock.cap(timeout, httpcore.ConnectTimeout),
                    local_address=local_address,
                    socket_options=socket_options,
                )
            except (httpcore.ConnectError, httpcore.ConnectTimeout) as exc:
                last_error = exc
                continue
            return _DeadlineStream(stream, self._clock)
        assert last_error is not None
        raise last_error

    def _resolve(self, host: str, port: int, timeout: float | None) -> list[str]:
        """Run the (blocking, untimed) resolver in a helper thread so the deadline holds.

        A resolver stuck past the deadline is left to finish in its daemon thread.
        """
        if _is_ip_literal(host):
            return [host.strip("[]")]
        box: dict[str, list[str] | BaseException] = {}

        def run() -> None:
            try:
                box["answers"] = self._resolver(host, port)
            except BaseException as exc:  # handed to the caller below
                box["error"] = exc

        worker = threading.Thread(target=run, name="resolve", daemon=True)
        worker.start()
        worker.join(timeout)
        if worker.is_alive():
            raise FetchError("timeout", f"resolving {host!r} took longer than the deadline")
        error = box.get("error")
        if isinstance(error, BaseException):
            raise error
        answers = box["answers"]
        assert isinstance(answers, list)
        return answers

    def connect_unix_socket(
        self,
        path: str,
        timeout: float | None = None,
        socket_options: typing.Iterable[typing.Any] | None = None,
    ) -> httpcore.NetworkStream:
        raise httpcore.ConnectError("unix sockets are not used by the fetcher")

    def sleep(self, seconds: float) -> None:
        time.sleep(seconds)


def _is_ip_literal(host: str) -> bool:
    try:
        ipaddress.ip_address(host.strip("[]"))
    except ValueError:
        return False
    return True


# An origin: (scheme, host, port) as httpx.URL gives them (raw_scheme, raw_host, port).
PoolKey = tuple[bytes, bytes, int | None]


class PerHostTransport(httpx.BaseTransport):
    """One small connection pool per origin, at most `max_hosts` pools (least recently
    used idle ones are closed).

    httpcore's single pool scans every connection on every request: with one connection
    per worker over hundreds of hosts, a 304 cost 3 ms of CPU at 32 connections and 22 ms
    at 256, and the full pool kept closing idle connections to open new ones. A pool per
    origin holds at most the per-host concurrency, so finding a connection is O(1) and it
    is reused on the next poll.
    """

    def __init__(
        self,
        make_pool: typing.Callable[[], httpcore.ConnectionPool],
        max_hosts: int,
        ssl_context: ssl.SSLContext,
    ) -> None:
        self._make_pool = make_pool
        self._ssl_context = ssl_context
        self._max_hosts = max(1, max_hosts)
        self._lock = threading.Lock()
        self._pools: collections.OrderedDict[PoolKey, httpx.HTTPTransport]
        self._pools = collections.OrderedDict()

    def pool(self, key: PoolKey) -> httpcore.ConnectionPool:
        """The connection pool of one origin (scheme, host, port), made on first use.

        The fetcher sends its requests straight to this pool (see fetch.py: httpx's client
        layers cost as much CPU as the HTTP exchange itself on a 304).
        """
        return self._transport(key)._pool

    def _transport(self, key: PoolKey) -> httpx.HTTPTransport:
        idle: list[httpx.HTTPTransport] = []
        with self._lock:
            transport = self._pools.get(key)
            if transport is None:
                # The shared context: building one per host would load the CA bundle again.
                transport = httpx.HTTPTransport(verify=self._ssl_context, trust_env=False)
                # httpx has no public hook for the network backend: swap in our pool.
                transport._pool = self._make_pool()
                self._pools[key] = transport
            self._pools.move_to_end(key)
            excess = len(self._pools) - self._max_hosts
            if excess > 0:  # listing every key on every request cost O(hosts) per fetch
                for old_key in list(itertools.islice(self._pools, excess)):
                    old = self._pools[old_key]
                    if all(c.is_idle() for c in old._pool.connections):
                        idle.append(self._pools.pop(old_key))
        for old in idle:
            old.close()
        return transport

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        url = request.url
        return self._transport((url.raw_scheme, url.raw_host, url.port)).handle_request(request)

    def close(self) -> None:
        with self._lock:
            pools, self._pools = list(self._pools.values()), collections.OrderedDict()
        for transport in pools:
            transport.close()
