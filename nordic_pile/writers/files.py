"""Output files that are byte-identical across runs and appear under their final name only when complete.

datatrove opens `.gz` outputs through fsspec, whose gzip header carries the current time, so two runs of the same
recipe differ in bytes. Here gzip streams get `mtime=0` and no file name; zstd has no timestamp. Every file is
written as `<name>.partial` and renamed on close, so a killed task never leaves a truncated file that looks done;
its rerun rewrites the same names.
"""

from __future__ import annotations

import gzip
import io
import re
import string

import zstandard
from datatrove.io import DataFolder, OutputFileManager

PARTIAL_SUFFIX = ".partial"


class _CompressedFile(io.RawIOBase):
    """A write-only binary stream that compresses into `raw` and closes both, then renames partial -> final."""

    def __init__(self, folder: DataFolder, filename: str, compression: str | None):
        super().__init__()
        self.folder, self.filename = folder, filename
        self.raw = folder.open(filename + PARTIAL_SUFFIX, "wb")
        if compression == "gzip":
            self.stream = gzip.GzipFile(filename="", mode="wb", fileobj=self.raw, mtime=0, compresslevel=6)
        elif compression == "zstd":
            self.stream = zstandard.ZstdCompressor(level=3).stream_writer(self.raw, closefd=False)
        else:
            self.stream = None
        self.position = 0  # uncompressed bytes written, for DiskWriter.max_file_size

    def writable(self) -> bool:
        return True

    def write(self, data) -> int:
        n = (self.stream or self.raw).write(data)
        self.position += len(data)
        return n

    def tell(self) -> int:
        return self.position

    def close(self) -> None:
        if self.closed:
            return
        if self.stream is not None:
            self.stream.close()
        self.raw.close()
        self.folder.mv(self.filename + PARTIAL_SUFFIX, self.filename)
        super().close()


def infer_compression(filename: str, compression: str | None) -> str | None:
    if compression != "infer":
        return compression
    if filename.endswith(".gz"):
        return "gzip"
    if filename.endswith(".zst"):
        return "zstd"
    return None


class ReproducibleFileManager(OutputFileManager):
    """datatrove's OutputFileManager with deterministic compression and atomic completion."""

    def __init__(self, folder: DataFolder, compression: str | None = "infer"):
        super().__init__(folder, mode="wb", compression=compression)
        self.folder = folder

    def get_file(self, filename):
        if filename not in self._output_files:
            compression = infer_compression(filename, self.compression)
            self._output_files[filename] = _CompressedFile(self.folder, filename, compression)
        return self._output_files[filename]


_UNSAFE = re.compile(r"[^A-Za-z0-9_.=-]+")


def safe_path_value(value) -> str:
    """A metadata value made safe to use as one path component (no '/', no '..')."""
    text = re.sub(r"\.{2,}", "_", _UNSAFE.sub("_", str(value)))
    return re.sub(r"_{2,}", "_", text).strip("._")[:100] or "_"


def partition_template(partition: str | None, filename: str) -> str:
    """`{language}/{category}` + `${rank}.jsonl.gz` -> `${language}/${category}/${rank}.jsonl.gz`."""
    if not partition:
        return filename
    fields = [name for _, name, _, _ in string.Formatter().parse(partition) if name]
    template = partition.strip("/")
    for name in fields:
        template = template.replace("{" + name + "}", "${" + name + "}")
    return f"{template}/{filename}"


def template_fields(template: str) -> list[str]:
    matches = string.Template.pattern.finditer(template)
    return [m.group("named") or m.group("braced") for m in matches if m.group("named") or m.group("braced")]
