"""One connection pool per host: a 304 reuses its connection, idle hosts are let go."""

from __future__ import annotations

from collections.abc import Iterator

import httpcore
import httpx
import pytest

from sources.fetch import Fetcher
from sources.records import FetchSettings
from sources.transport import PerHostTransport
from tests.bench.feeds import CorpusItem
from tests.bench.servers import FeedServer as KeepAliveServer


@pytest.fixture(scope="module")
def farm() -> Iterator[KeepAliveServer]:
    """The bench's keep-alive feed server: 4 feeds on 2 loopback hosts, ETags, 304s."""
    corpus = [CorpusItem(f"Item {n}", "text", f"https://example.com/{n}") for n in range(20)]
    server = KeepAliveServer(corpus, 4, latency_s=0.0, host_count=2)
    yield server
    server.close()


def pools(fetcher: Fetcher) -> dict[bytes, list[httpcore.Connection]]:
    transport = fetcher._transport
    assert isinstance(transport, PerHostTransport)
    return {key[1]: list(t._pool.connections) for key, t in transport._pools.items()}


def test_conditional_gets_reuse_one_connection_per_host(farm: KeepAliveServer) -> None:
    with Fetcher(FetchSettings(allow_private_addresses=True)) as fetcher:
        etags = {url: fetcher.fetch(url).etag for url in farm.urls}
        first = {host: [id(c) for c in conns] for host, conns in pools(fetcher).items()}
        for _ in range(3):
            for url in farm.urls:
                assert fetcher.fetch(url, etag=etags[url]).status == 304
        after = {host: [id(c) for c in conns] for host, conns in pools(fetcher).items()}
    assert set(first) == {b"127.0.1.1", b"127.0.1.2"}
    assert all(len(conns) == 1 for conns in first.values())
    assert after == first  # the same connection answered every 304


def test_least_recently_used_idle_host_pools_are_closed(farm: KeepAliveServer) -> None:
    opened: list[httpcore.ConnectionPool] = []

    def pool() -> httpcore.ConnectionPool:
        opened.append(httpcore.ConnectionPool(max_connections=2))
        return opened[-1]

    transport = PerHostTransport(pool, 1, httpx.create_ssl_context())
    with httpx.Client(transport=transport) as client:
        for url in farm.urls[:2]:  # feed 0 on host 1, feed 1 on host 2
            assert client.get(url).status_code == 200
        assert [key[1] for key in transport._pools] == [b"127.0.1.2"]
        assert opened[0].connections == []  # host 1's pool was closed, its socket too
