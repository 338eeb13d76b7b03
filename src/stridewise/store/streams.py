"""Per-second streams as one compressed columnar blob per activity.

Format ``arrow-ipc-zstd``: an Arrow IPC stream of float64 columns (lossless: the reader gets
back exactly the arrays the ingest layer produced) with zstd buffer compression. Measured in
bench/bench_import.py against the raw FIT size.
"""

from __future__ import annotations

import numpy as np
import pyarrow as pa

from stridewise.activity import FloatArray

CODEC = "arrow-ipc-zstd"


def encode_records(records: dict[str, FloatArray]) -> bytes:
    """Serialise record columns (all of one length) to a compressed Arrow IPC stream."""
    table = pa.table({name: pa.array(col, type=pa.float64()) for name, col in records.items()})
    sink = pa.BufferOutputStream()
    options = pa.ipc.IpcWriteOptions(compression="zstd")
    with pa.ipc.new_stream(sink, table.schema, options=options) as writer:
        writer.write_table(table)
    return bytes(sink.getvalue().to_pybytes())


def decode_records(data: bytes, codec: str = CODEC) -> dict[str, FloatArray]:
    """Inverse of :func:`encode_records`: columns as writable float64 NumPy arrays."""
    if codec != CODEC:
        raise ValueError(f"unknown stream codec {codec!r}")
    table = pa.ipc.open_stream(pa.py_buffer(data)).read_all()
    return {
        name: np.array(table.column(name).to_numpy(), dtype=np.float64)
        for name in table.column_names
    }
