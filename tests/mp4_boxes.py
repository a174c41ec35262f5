"""Edit an MP4 file's boxes the way phones and damaged copies leave them, without re-encoding.

Tests make their odd videos from the licensed clips in tests/data (or from frames they write with
OpenCV): a display matrix that turns the picture (phones store the sensor's frames sideways and say
how to turn them), per-frame durations that vary (phones drop the frame rate in dim light), and a
file cut off in the middle of its picture data with its index at the front (a copy that stopped).
"""

from __future__ import annotations

import struct
from dataclasses import dataclass, field

# Boxes that hold boxes (ISO/IEC 14496-12), as far as the edits below need to look inside.
CONTAINERS = frozenset({b"moov", b"trak", b"mdia", b"minf", b"stbl", b"edts", b"dinf"})
_ONE = 1 << 16  # 16.16 fixed point


@dataclass
class Box:
    kind: bytes
    payload: bytes = b""
    children: list[Box] = field(default_factory=list)

    def to_bytes(self) -> bytes:
        body = b"".join(child.to_bytes() for child in self.children) if self.kind in CONTAINERS else self.payload
        size = 8 + len(body)
        if size >= 1 << 32:
            return struct.pack(">I4sQ", 1, self.kind, size + 8) + body
        return struct.pack(">I4s", size, self.kind) + body

    def find(self, *path: bytes) -> list[Box]:
        """Every descendant box along `path` of box types."""
        found = [self]
        for kind in path:
            found = [child for box in found for child in box.children if child.kind == kind]
        return found

    def one(self, *path: bytes) -> Box:
        (box,) = self.find(*path)
        return box


def parse(data: bytes) -> list[Box]:
    boxes, pos = [], 0
    while pos + 8 <= len(data):
        size, kind = struct.unpack(">I4s", data[pos : pos + 8])
        header = 8
        if size == 1:
            size, header = struct.unpack(">Q", data[pos + 8 : pos + 16])[0], 16
        elif size == 0:
            size = len(data) - pos
        body = data[pos + header : pos + size]
        boxes.append(Box(kind, body, parse(body) if kind in CONTAINERS else []))
        pos += size
    return boxes


def serialize(boxes: list[Box]) -> bytes:
    return b"".join(box.to_bytes() for box in boxes)


def _top(boxes: list[Box], kind: bytes) -> Box:
    (box,) = [b for b in boxes if b.kind == kind]
    return box


def video_track(moov: Box) -> Box:
    for trak in moov.find(b"trak"):
        if trak.one(b"mdia", b"hdlr").payload[8:12] == b"vide":
            return trak
    raise ValueError("no video track")


def with_rotation(data: bytes, degrees: int) -> bytes:
    """The file with its video track's display matrix saying: turn the stored frames `degrees`
    clockwise to show them (what a phone's `rotate` tag says; 90 for a phone held upright)."""
    a, b, c, d = {0: (1, 0, 0, 1), 90: (0, 1, -1, 0), 180: (-1, 0, 0, -1), 270: (0, -1, 1, 0)}[degrees % 360]
    boxes = parse(data)
    tkhd = video_track(_top(boxes, b"moov")).one(b"tkhd")
    at = 4 + (32 if tkhd.payload[0] == 1 else 20) + 16  # after version/flags, times and ids, layer..volume
    matrix = struct.pack(">9i", a * _ONE, b * _ONE, 0, c * _ONE, d * _ONE, 0, 0, 0, 1 << 30)
    tkhd.payload = tkhd.payload[:at] + matrix + tkhd.payload[at + 36 :]
    return serialize(boxes)


def media_timescale(data: bytes) -> int:
    mdhd = video_track(_top(parse(data), b"moov")).one(b"mdia", b"mdhd").payload
    return struct.unpack(">I", mdhd[20:24] if mdhd[0] == 1 else mdhd[12:16])[0]


def with_frame_durations(data: bytes, durations: list[int]) -> bytes:
    """The file with each video frame lasting `durations[i]` units of its track's timescale: a
    variable frame rate. The edit list goes (it would hold the old length); the lengths follow."""
    boxes = parse(data)
    moov = _top(boxes, b"moov")
    trak = video_track(moov)
    stbl = trak.one(b"mdia", b"minf", b"stbl")
    if len(durations) != _sample_count(stbl):
        raise ValueError(f"{len(durations)} durations for {_sample_count(stbl)} frames")
    runs: list[list[int]] = []
    for duration in durations:
        if runs and runs[-1][1] == duration:
            runs[-1][0] += 1
        else:
            runs.append([1, duration])
    stts = stbl.one(b"stts")
    stts.payload = struct.pack(">4sI", stts.payload[:4], len(runs)) + b"".join(struct.pack(">II", *r) for r in runs)
    trak.children = [child for child in trak.children if child.kind != b"edts"]
    total = sum(durations)
    mdhd = trak.one(b"mdia", b"mdhd")
    media_scale = media_timescale(data)
    mvhd = moov.one(b"mvhd")
    movie_scale = struct.unpack(">I", mvhd.payload[20:24] if mvhd.payload[0] == 1 else mvhd.payload[12:16])[0]
    movie_total = round(total * movie_scale / media_scale)
    _set_duration(mdhd, total, at_v0=16, at_v1=24)
    _set_duration(mvhd, movie_total, at_v0=16, at_v1=24)
    tkhd = trak.one(b"tkhd")
    _set_duration(tkhd, movie_total, at_v0=20, at_v1=28)
    return serialize(boxes)


def _set_duration(box: Box, value: int, *, at_v0: int, at_v1: int) -> None:
    if box.payload[0] == 1:
        box.payload = box.payload[:at_v1] + struct.pack(">Q", value) + box.payload[at_v1 + 8 :]
    else:
        box.payload = box.payload[:at_v0] + struct.pack(">I", value) + box.payload[at_v0 + 4 :]


def _sample_count(stbl: Box) -> int:
    return struct.unpack(">I", stbl.one(b"stsz").payload[8:12])[0]


def _sample_offsets(stbl: Box) -> list[int]:
    """The byte offset in the file of each sample (frame) of a track."""
    stsz = stbl.one(b"stsz").payload
    fixed, count = struct.unpack(">II", stsz[4:12])
    sizes = [fixed] * count if fixed else list(struct.unpack(f">{count}I", stsz[12 : 12 + 4 * count]))
    stco = stbl.find(b"stco") or stbl.find(b"co64")
    wide = stco[0].kind == b"co64"
    chunks = struct.unpack(">I", stco[0].payload[4:8])[0]
    chunk_offsets = struct.unpack(f">{chunks}{'Q' if wide else 'I'}", stco[0].payload[8:])
    stsc = stbl.one(b"stsc").payload
    entries = [struct.unpack(">III", stsc[8 + 12 * i : 20 + 12 * i]) for i in range(struct.unpack(">I", stsc[4:8])[0])]
    offsets: list[int] = []
    for chunk, start in enumerate(chunk_offsets, start=1):
        per_chunk = next(n for first, n, _ in reversed(entries) if first <= chunk)
        for _ in range(per_chunk):
            if len(offsets) == count:
                return offsets
            offsets.append(start)
            start += sizes[len(offsets) - 1]
    return offsets


def cut_after_frames(data: bytes, frames: int) -> bytes:
    """The file as a copy that stopped after `frames` video frames: its index (moov) moved to the
    front, as phones and streaming tools write it, so the index still lists every frame while the
    picture data ends early."""
    boxes = parse(data)
    moov = _top(boxes, b"moov")
    rest = [box for box in boxes if box.kind != b"moov"]
    ftyp_end = 1 if rest and rest[0].kind == b"ftyp" else 0
    shift = len(moov.to_bytes())
    kinds = [box.kind for box in boxes]
    if kinds.index(b"mdat") < kinds.index(b"moov"):  # the picture data moves back by the index's length
        if moov.find(b"trak", b"mdia", b"minf", b"stbl", b"co64"):
            raise ValueError("64-bit chunk offsets are not handled")
        for table in moov.find(b"trak", b"mdia", b"minf", b"stbl", b"stco"):
            count = struct.unpack(">I", table.payload[4:8])[0]
            offsets = struct.unpack(f">{count}I", table.payload[8 : 8 + 4 * count])
            table.payload = table.payload[:8] + struct.pack(f">{count}I", *(o + shift for o in offsets))
    moved = [*rest[:ftyp_end], moov, *rest[ftyp_end:]]
    whole = serialize(moved)
    cut_at = _sample_offsets(video_track(moov).one(b"mdia", b"minf", b"stbl"))[frames]
    return whole[:cut_at]
