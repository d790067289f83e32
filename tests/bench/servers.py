"""Loopback servers: a many-connection asyncio feed server in its own process, and SMTP.

The feed server runs in a separate process so its CPU does not share the daemon's GIL (the
machine has 2 cores; a real feed host costs the daemon nothing). It listens on many
loopback addresses (127.0.1.x, all the same port) because the fetcher's politeness gate
allows 2 requests in flight per host: 5,000 feeds on one host would measure the gate, not
the daemon. Every answer waits `latency_s` first, like a remote server; If-None-Match
with the current ETag gets a 304.
"""

from __future__ import annotations

import asyncio
import multiprocessing
import socket
import threading
from dataclasses import dataclass
from multiprocessing.connection import Connection
from typing import Any

from tests.bench.feeds import CorpusItem, FeedFarm


@dataclass
class Hits:
    requests: int = 0
    ok: int = 0
    not_modified: int = 0
    distinct: int = 0


def _free_port(host: str) -> int:
    with socket.socket() as sock:
        sock.bind((host, 0))
        return int(sock.getsockname()[1])


def _hosts(count: int) -> list[str]:
    return [f"127.0.{1 + n // 250}.{1 + n % 250}" for n in range(count)]


async def _serve(
    conn: Connection, farm: FeedFarm, hosts: list[str], port: int, latency_s: float
) -> None:
    hits = Hits()
    seen: set[int] = set()

    async def handle(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            while True:
                head = await reader.readuntil(b"\r\n\r\n")
                lines = head.decode("latin-1").split("\r\n")
                path = lines[0].split(" ")[1] if len(lines[0].split(" ")) > 1 else "/"
                headers = {}
                for line in lines[1:]:
                    if ":" in line:
                        key, value = line.split(":", 1)
                        headers[key.strip().lower()] = value.strip()
                await asyncio.sleep(latency_s)
                hits.requests += 1
                close = headers.get("connection", "").lower() == "close"
                try:
                    i = int(path.split("/f/")[1].split(".")[0])
                    etag = farm.etag(i)
                except (IndexError, ValueError):
                    i, etag = -1, ""
                if i < 0 or i >= len(farm.count):
                    status, body, extra = "404 Not Found", b"", ""
                elif headers.get("if-none-match") == etag:
                    hits.not_modified += 1
                    status, body, extra = "304 Not Modified", b"", f"ETag: {etag}\r\n"
                else:
                    hits.ok += 1
                    body = farm.body(i)
                    status = "200 OK"
                    extra = f"ETag: {etag}\r\nContent-Type: application/rss+xml\r\n"
                if i >= 0:
                    seen.add(i)
                length = "" if status.startswith("304") else f"Content-Length: {len(body)}\r\n"
                writer.write(
                    f"HTTP/1.1 {status}\r\n{extra}{length}"
                    f"Connection: {'close' if close else 'keep-alive'}\r\n\r\n".encode()
                    + body
                )
                await writer.drain()
                if close:
                    break
        except (asyncio.IncompleteReadError, ConnectionError, asyncio.LimitOverrunError):
            pass
        finally:
            writer.close()

    servers = [
        await asyncio.start_server(handle, host, port, backlog=1024, limit=1 << 16)
        for host in hosts
    ]
    loop = asyncio.get_running_loop()
    conn.send("ready")
    while True:
        command = await loop.run_in_executor(None, conn.recv)
        if command == "advance":
            conn.send(farm.advance())
        elif command == "hits":
            hits.distinct = len(seen)
            conn.send(hits)
        elif command == "reset":
            hits, seen = Hits(), set()
            conn.send("ok")
        elif command == "stop":
            for server in servers:
                server.close()
            conn.send("ok")
            return


def _main(
    conn: Connection,
    corpus: list[CorpusItem],
    feeds: int,
    hosts: list[str],
    port: int,
    latency_s: float,
    nonce: str,
) -> None:
    farm = FeedFarm(corpus, feeds, nonce)
    asyncio.run(_serve(conn, farm, hosts, port, latency_s))


class FeedServer:
    """The feed server process; `urls` lists one URL per feed, spread over the hosts."""

    def __init__(
        self,
        corpus: list[CorpusItem],
        feeds: int,
        *,
        latency_s: float = 0.05,
        host_count: int = 200,
        nonce: str = "x",
    ) -> None:
        self.hosts = _hosts(min(host_count, feeds))
        self.port = _free_port(self.hosts[0])
        ctx = multiprocessing.get_context("spawn")
        self._conn, child = ctx.Pipe()
        self._lock = threading.Lock()
        self.process = ctx.Process(
            target=_main,
            args=(child, corpus, feeds, self.hosts, self.port, latency_s, nonce),
            daemon=True,
            name="bench-feed-server",
        )
        self.process.start()
        if not self._conn.poll(60) or self._conn.recv() != "ready":
            self.process.kill()
            raise RuntimeError("feed server did not start")
        self.urls = [
            f"http://{self.hosts[i % len(self.hosts)]}:{self.port}/f/{i}.xml" for i in range(feeds)
        ]

    def _ask(self, command: str) -> Any:
        with self._lock:
            self._conn.send(command)
            return self._conn.recv()

    def advance(self) -> int:
        """Publish 1-3 new items in every feed; returns the number of new items."""
        return int(self._ask("advance"))

    def hits(self) -> Hits:
        return self._ask("hits")

    def reset(self) -> None:
        self._ask("reset")

    def close(self) -> None:
        try:
            self._ask("stop")
        except (EOFError, OSError):
            pass
        self.process.join(timeout=5)
        if self.process.is_alive():
            self.process.kill()
