"""Bounded Content-Encoding decoders.

httpx's own decoders inflate each network chunk in one call, so a 64 KB chunk of a gzip bomb
becomes ~64 MB in memory before anyone can count it. These decoders hand out at most
`piece_size` bytes per step (zlib's max_length), so the caller's size cap stops a bomb after
at most one piece past the limit.
"""

from __future__ import annotations

import zlib
from collections.abc import Iterator

from sources.records import FetchError

PIECE_SIZE = 64 * 1024
SUPPORTED = ("gzip", "x-gzip", "deflate", "identity")


class _ZlibStage:
    """One gzip or deflate layer; handles multi-member gzip and raw (headerless) deflate."""

    def __init__(self, encoding: str, piece_size: int) -> None:
        self._gzip = encoding in ("gzip", "x-gzip")
        self._piece = piece_size
        self._first = True
        self._later_member = False
        self._obj = self._new()

    def _new(self, raw: bool = False) -> zlib._Decompress:
        if self._gzip:
            return zlib.decompressobj(16 + zlib.MAX_WBITS)
        return zlib.decompressobj(-zlib.MAX_WBITS if raw else zlib.MAX_WBITS)

    def feed(self, data: bytes) -> Iterator[bytes]:
        while data:
            try:
                out = self._obj.decompress(data, self._piece)
            except zlib.error as exc:
                if self._first and not self._gzip:
                    self._first = False  # servers often send raw deflate; retry once
                    self._obj = self._new(raw=True)
                    continue
                if self._later_member:
                    return  # trailing garbage after a complete gzip stream: ignore it
                raise FetchError("bad_encoding", "compressed body is corrupt") from exc
            self._first = False
            data = self._obj.unconsumed_tail
            if self._obj.eof and self._obj.unused_data:
                data = self._obj.unused_data  # next gzip member
                self._obj = self._new()
                self._later_member = True
            if out:
                yield out
            elif not self._obj.unconsumed_tail and not data:
                break


class BoundedDecoder:
    """Decode a Content-Encoding chain (e.g. "gzip") piece by piece."""

    def __init__(self, content_encoding: str | None, piece_size: int = PIECE_SIZE) -> None:
        names = [n.strip().lower() for n in (content_encoding or "").split(",") if n.strip()]
        unknown = [n for n in names if n not in SUPPORTED]
        if unknown:
            raise FetchError("bad_encoding", f"unsupported Content-Encoding {unknown[0]!r}")
        # Encodings are listed in the order applied, so decode in reverse.
        self._stages = [_ZlibStage(n, piece_size) for n in reversed(names) if n != "identity"]

    def feed(self, data: bytes) -> Iterator[bytes]:
        yield from self._through(data, 0)

    def _through(self, data: bytes, index: int) -> Iterator[bytes]:
        if index == len(self._stages):
            if data:
                yield data
            return
        for piece in self._stages[index].feed(data):
            yield from self._through(piece, index + 1)
