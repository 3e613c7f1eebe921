"""Decompressing input streams that notice truncation: a `.zst` file cut short raises EOFError like .gz and .bz2.

python-zstandard's `stream_reader` ends quietly when its input stops inside a frame, so a truncated .zst file
reads as a shorter, valid one (measured with zstandard 0.25: 2.88 of 3.0 MB returned, no error). Here each frame
is decoded with a `decompressobj`, whose `eof` tells whether the frame was complete.
"""

from __future__ import annotations

import bz2
import gzip
import io

import zstandard

_READ = 1 << 14  # compressed bytes fed at a time: keeps each decompressed piece small


class CheckedZstdReader(io.RawIOBase):
    """A raw binary stream of every frame of a zstd file; EOFError if the file ends inside a frame."""

    def __init__(self, raw):
        super().__init__()
        self.raw = raw
        self._frame = zstandard.ZstdDecompressor().decompressobj()
        self._in_frame = False
        self._pending = b""
        self._offset = 0  # of the first unread byte in _pending
        self._done = False

    def readable(self) -> bool:
        return True

    def _feed(self, chunk: bytes) -> None:
        pieces = []
        while chunk:
            self._in_frame = True
            pieces.append(self._frame.decompress(chunk))
            if not self._frame.eof:
                break
            chunk = self._frame.unused_data  # the next frame starts in this chunk
            self._frame = zstandard.ZstdDecompressor().decompressobj()
            self._in_frame = False
        self._pending = self._pending[self._offset :] + b"".join(pieces)
        self._offset = 0

    def readinto(self, buffer) -> int:
        while self._offset == len(self._pending) and not self._done:
            chunk = self.raw.read(_READ)
            if chunk:
                self._feed(chunk)
            elif self._in_frame:
                raise EOFError("the zstd stream ends inside a frame (truncated file)")
            else:
                self._done = True
        n = min(len(buffer), len(self._pending) - self._offset)
        buffer[:n] = self._pending[self._offset : self._offset + n]
        self._offset += n
        return n

    def close(self) -> None:
        if not self.closed:
            self.raw.close()
        super().close()


def open_binary(folder, filepath: str):
    """Open `filepath` of a datatrove DataFolder as a buffered binary stream, decompressing .gz/.zst/.bz2; a
    truncated file of any of them raises EOFError (or a format error) when the reader reaches the cut."""
    raw = folder.open(filepath, "rb")
    if filepath.endswith(".gz"):
        return io.BufferedReader(gzip.GzipFile(fileobj=raw, mode="rb"))
    if filepath.endswith(".zst"):
        return io.BufferedReader(CheckedZstdReader(raw))
    if filepath.endswith(".bz2"):
        return io.BufferedReader(bz2.BZ2File(raw, mode="rb"))
    return raw
