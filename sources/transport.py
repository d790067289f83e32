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

import ipaddress
import ssl
import threading
import time
import typing

import httpcore

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
