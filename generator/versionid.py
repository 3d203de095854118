"""Short version IDs that say exactly which paper was printed.

An ID packs what determines a paper's content: the class seed, the student's
number, the families (by their stable numeric ``code``) with any fixed
parameters, the language and the digits. Bytes are varints, written in
Crockford base32 (no I, L, O, U; case-insensitive) with one check character,
in groups of four: ``2J5K-0Q8A-1C``. ``decode`` accepts the ID as typed by a
person (lower case, O for 0, I/L for 1, dashes anywhere).
"""

from __future__ import annotations

import zlib

from .errors import VersionIdError

ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
FORMAT = 1
LANGS = ("bn", "en", "both")
DIGITS = (None, "latin", "bangla")


def _varint(n: int) -> bytes:
    if n < 0:
        raise ValueError("negative")
    out = bytearray()
    while True:
        b = n & 0x7F
        n >>= 7
        out.append(b | (0x80 if n else 0))
        if not n:
            return bytes(out)


def _read_varint(data: bytes, pos: int) -> tuple[int, int]:
    shift = value = 0
    while True:
        if pos >= len(data):
            raise VersionIdError("version ID is truncated")
        b = data[pos]
        pos += 1
        value |= (b & 0x7F) << shift
        shift += 7
        if not b & 0x80:
            return value, pos
        if shift > 70:
            raise VersionIdError("version ID is malformed")


def _b32(data: bytes) -> str:
    n = int.from_bytes(b"\x01" + data, "big")  # leading 1 keeps leading zero bytes
    out = []
    while n:
        n, r = divmod(n, 32)
        out.append(ALPHABET[r])
    return "".join(reversed(out))


def _unb32(text: str) -> bytes:
    n = 0
    for ch in text:
        n = n * 32 + ALPHABET.index(ch)
    raw = n.to_bytes((n.bit_length() + 7) // 8, "big")
    if not raw or raw[0] != 1:
        raise VersionIdError("not a gradex version ID")
    return raw[1:]


def encode(seed: int, student: int, families: list[tuple[int, str]], lang: str, digits: str | None) -> str:
    """families: [(code, "name=value;name=value" or "")]."""
    payload = bytearray([FORMAT, LANGS.index(lang) | (DIGITS.index(digits) << 2)])
    payload += _varint(seed) + _varint(student) + _varint(len(families))
    for code, fixed in families:
        raw = fixed.encode("utf-8")
        payload += _varint(code) + _varint(len(raw)) + raw
    body = _b32(bytes(payload))
    body += ALPHABET[zlib.crc32(body.encode()) % 32]
    return "-".join(body[i : i + 4] for i in range(0, len(body), 4))


def normalize(text: str) -> str:
    t = text.strip().upper().replace("-", "").replace(" ", "")
    return t.translate(str.maketrans({"O": "0", "I": "1", "L": "1"}))


def decode(text: str) -> dict:
    from .limits import MAX_VERSION_ID_CHARS

    if len(text) > MAX_VERSION_ID_CHARS:
        raise VersionIdError(f"not a gradex version ID (longer than {MAX_VERSION_ID_CHARS} characters)")
    body = normalize(text)
    if len(body) < 4 or any(ch not in ALPHABET for ch in body):
        raise VersionIdError(f"'{text}' is not a gradex version ID")
    body, check = body[:-1], body[-1]
    if ALPHABET[zlib.crc32(body.encode()) % 32] != check:
        raise VersionIdError(f"'{text}' is not a valid version ID (check character wrong: mistyped?)")
    data = _unb32(body)
    if not data or data[0] != FORMAT:
        raise VersionIdError(f"'{text}' comes from an unknown version-ID format")
    if len(data) < 2:
        raise VersionIdError("version ID is truncated")
    flags = data[1]
    if (flags & 3) >= len(LANGS) or (flags >> 2) >= len(DIGITS):
        raise VersionIdError("version ID is malformed")
    pos = 2
    seed, pos = _read_varint(data, pos)
    student, pos = _read_varint(data, pos)
    count, pos = _read_varint(data, pos)
    fams = []
    for _ in range(count):
        code, pos = _read_varint(data, pos)
        size, pos = _read_varint(data, pos)
        raw = data[pos : pos + size]
        if len(raw) != size:
            raise VersionIdError("version ID is truncated")
        pos += size
        try:
            fams.append((code, raw.decode("utf-8", errors="strict")))
        except UnicodeDecodeError:
            raise VersionIdError("version ID is malformed") from None
    if pos != len(data):
        raise VersionIdError("version ID is malformed")
    return {
        "seed": seed,
        "student": student,
        "families": fams,
        "lang": LANGS[flags & 3],
        "digits": DIGITS[flags >> 2],
    }
