"""Draws the favicon's PNG and ICO from the same shapes as leadtracker/static/favicon.svg (a blue
rounded square with a white L and an orange dot), with the standard library only, so the icons
need no image tool and no network. Run: python scripts/make_favicon.py"""

import struct
import zlib
from pathlib import Path

STATIC = Path(__file__).resolve().parent.parent / "leadtracker" / "static"
BLUE, WHITE, ORANGE = (31, 111, 235), (255, 255, 255), (255, 159, 28)
SIDE, RADIUS = 64.0, 14.0  # the SVG's viewBox and corner radius


def colour_at(x: float, y: float, rounded: bool = True):
    """The SVG's colour at (x, y) in its 64 × 64 box, or None outside the rounded square."""
    cx = min(max(x, RADIUS), SIDE - RADIUS)
    cy = min(max(y, RADIUS), SIDE - RADIUS)
    if rounded and (x - cx) ** 2 + (y - cy) ** 2 > RADIUS**2:
        return None
    if (x - 46) ** 2 + (y - 18) ** 2 <= 7**2:
        return ORANGE
    if 18 <= x <= 28 and 12 <= y <= 52 or 18 <= x <= 48 and 42 <= y <= 52:
        return WHITE
    return BLUE


def render(size: int, rounded: bool) -> bytes:
    """RGBA rows, 4 × 4 samples a pixel so the edges are smooth."""
    rows = []
    for py in range(size):
        row = bytearray([0])  # PNG filter: none
        for px in range(size):
            r = g = b = a = 0
            for sy in range(4):
                for sx in range(4):
                    x, y = (px + (sx + 0.5) / 4) * SIDE / size, (py + (sy + 0.5) / 4) * SIDE / size
                    c = colour_at(x, y, rounded)
                    if c:
                        r, g, b, a = r + c[0], g + c[1], b + c[2], a + 1
            row += bytes([r // a, g // a, b // a, a * 255 // 16] if a else [0, 0, 0, 0])
        rows.append(bytes(row))
    return b"".join(rows)


def png(size: int, rounded: bool = True) -> bytes:
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", size, size, 8, 6, 0, 0, 0)  # 8-bit RGBA
    pixels = zlib.compress(render(size, rounded), 9)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", pixels) + chunk(b"IEND", b"")


def ico(image: bytes, size: int) -> bytes:
    """An ICO holding one PNG image, which every current browser reads."""
    directory = struct.pack("<HHH", 0, 1, 1)  # reserved, type 1 (icon), one image
    entry = struct.pack("<BBBBHHII", size, size, 0, 0, 1, 32, len(image), 6 + 16)
    return directory + entry + image


if __name__ == "__main__":
    small = png(32)
    (STATIC / "favicon-32.png").write_bytes(small)
    # iOS rounds the corners itself and shows transparent ones black: a full square there.
    (STATIC / "apple-touch-icon.png").write_bytes(png(180, rounded=False))
    (STATIC / "favicon.ico").write_bytes(ico(small, 32))
