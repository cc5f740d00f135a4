"""PMTiles (version 3) archives made in the tests, byte for byte as the specification lays them out: the 127-byte
header, the root directory (uncompressed), the JSON metadata, then the tiles. Tiles are solid-colour PNG images.

Tile IDs follow the Hilbert curve as the `pmtiles` JavaScript package computes them (zxyToTileId), so that the
browser test's map finds the tiles this module wrote.
"""

import json
import struct
import zlib

HEADER = struct.Struct("<7sB11Q6B4iB2i")
PNG, JPEG, WEBP, MVT = 2, 3, 4, 1
NONE, GZIP, BROTLI = 1, 2, 3
E7 = 10_000_000
PADANG = (100.30, -1.00, 100.50, -0.85)  # west, south, east, north


def tile_id(z: int, x: int, y: int) -> int:
    """The Hilbert tile ID of z/x/y (the pmtiles package's zxyToTileId)."""
    acc = ((1 << z) * (1 << z) - 1) // 3
    a = z - 1
    tx, ty = x, y
    s = 1 << a if z else 0
    while s > 0:
        rx, ry = tx & s, ty & s
        acc += ((3 * rx) ^ ry) * (1 << a)
        if ry == 0:
            tx, ty = (s - 1 - ty, s - 1 - tx) if rx else (ty, tx)
        s >>= 1
        a -= 1
    return acc


def varint(value: int) -> bytes:
    out = bytearray()
    while True:
        byte = value & 0x7F
        value >>= 7
        if value:
            out.append(byte | 0x80)
        else:
            out.append(byte)
            return bytes(out)


def directory(entries: list[tuple[int, int, int]]) -> bytes:
    """Entries (tile ID, offset, length), sorted, each a run of one tile."""
    out = bytearray(varint(len(entries)))
    last = 0
    for tid, _offset, _length in entries:
        out += varint(tid - last)
        last = tid
    out += b"".join(varint(1) for _ in entries)
    out += b"".join(varint(length) for _tid, _offset, length in entries)
    out += b"".join(varint(offset + 1) for _tid, offset, _length in entries)
    return bytes(out)


def png(rgb: tuple[int, int, int], size: int = 256) -> bytes:
    """A solid-colour PNG image."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    row = b"\x00" + bytes(rgb) * size
    ihdr = struct.pack(">IIBBBBB", size, size, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", zlib.compress(row * size)) + chunk(b"IEND", b"")


def lon_to_x(lon: float, z: int) -> int:
    return int((lon + 180) / 360 * (1 << z))


def lat_to_y(lat: float, z: int) -> int:
    import math

    rad = math.radians(lat)
    return int((1 - math.log(math.tan(rad) + 1 / math.cos(rad)) / math.pi) / 2 * (1 << z))


def covering_tiles(bounds=PADANG, zooms=range(10, 14)) -> list[tuple[int, int, int]]:
    west, south, east, north = bounds
    return [
        (z, x, y)
        for z in zooms
        for x in range(lon_to_x(west, z), lon_to_x(east, z) + 1)
        for y in range(lat_to_y(north, z), lat_to_y(south, z) + 1)
    ]


def archive(
    tiles: dict[tuple[int, int, int], bytes] | None = None,
    *,
    tile_type: int = PNG,
    bounds=PADANG,
    internal: int = NONE,
    version: int = 3,
) -> bytes:
    """A whole PMTiles archive of `tiles` ({(z, x, y): bytes}; by default a few tiles over Padang at zoom 10-13)."""
    if tiles is None:
        tiles = {zxy: png((200, 220 - 10 * zxy[0], 200)) for zxy in covering_tiles(bounds)}
    ordered = sorted((tile_id(*zxy), data) for zxy, data in tiles.items())
    entries, data, offset = [], bytearray(), 0
    for tid, content in ordered:
        entries.append((tid, offset, len(content)))
        data += content
        offset += len(content)
    root = directory(entries)
    metadata = json.dumps({"name": "test", "attribution": "test"}).encode()
    root_at = HEADER.size
    meta_at = root_at + len(root)
    data_at = meta_at + len(metadata)
    zooms = [z for z, _x, _y in tiles]
    west, south, east, north = (round(v * E7) for v in bounds)
    header = HEADER.pack(
        b"PMTiles", version,
        root_at, len(root), meta_at, len(metadata), data_at, 0, data_at, len(data),
        len(entries), len(entries), len(entries),
        1, internal, NONE, tile_type, min(zooms), max(zooms),
        west, south, east, north,
        min(zooms), (west + east) // 2, (south + north) // 2,
    )  # fmt: skip
    return header + root + metadata + bytes(data)
