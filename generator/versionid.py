"""Short version IDs that say exactly which paper was printed.

An ID packs what determines a paper's content: the class seed, the student's
number, the families (by their stable numeric ``code``) with any fixed
parameters, the language and the digits. Bytes are varints, written in
Crockford base32 (no I, L, O, U; case-insensitive) with one check character,
in groups of four: ``2J5K-0Q8A-1C``. ``decode`` accepts the ID as typed by a
person (lower case, O for 0, I/L for 1, dashes anywhere).

Format 1 (still written when nothing below is needed, so old IDs stay valid):
``1, lang|digits, seed, student, count, (code, len, fixed)*``.
Format 2 adds a kind varint after the lang/digits byte:

- kind 0, a quiz: as format 1, plus a flags varint after each family
  (bit 0: asked as multiple choice);
- kind 1, a paper from an exam spec: ``seed, student`` and the spec's short
  hash (``SPEC_HASH_BYTES`` bytes); the families are in the spec itself.
"""

from __future__ import annotations

import zlib

from .errors import VersionIdError

ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
FORMAT = 2  # written when a family has flags or the paper comes from a spec
FORMATS = (1, 2)
SPEC_HASH_BYTES = 5
FLAG_MCQ = 1
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


def _finish(payload: bytes) -> str:
    body = _b32(bytes(payload))
    body += ALPHABET[zlib.crc32(body.encode()) % 32]
    return "-".join(body[i : i + 4] for i in range(0, len(body), 4))


def encode(seed: int, student: int, families: list, lang: str, digits: str | None) -> str:
    """families: [(code, "name=value;name=value" or "")] or [(code, fixed, flags)].

    Without flags the ID is written in format 1, byte for byte as before."""
    fams = [(f[0], f[1], f[2] if len(f) > 2 else 0) for f in families]
    flagged = any(flags for _, _, flags in fams)
    head = LANGS.index(lang) | (DIGITS.index(digits) << 2)
    payload = bytearray([FORMAT if flagged else 1, head])
    if flagged:
        payload += _varint(0)
    payload += _varint(seed) + _varint(student) + _varint(len(fams))
    for code, fixed, flags in fams:
        raw = fixed.encode("utf-8")
        payload += _varint(code) + _varint(len(raw)) + raw
        if flagged:
            payload += _varint(flags)
    return _finish(payload)


def encode_spec(seed: int, student: int, spec_hash: bytes, lang: str, digits: str | None) -> str:
    """A paper made from an exam spec: the spec is named by its short hash."""
    if len(spec_hash) != SPEC_HASH_BYTES:
        raise ValueError("spec hash has the wrong length")
    payload = bytearray([FORMAT, LANGS.index(lang) | (DIGITS.index(digits) << 2)])
    payload += _varint(1) + _varint(seed) + _varint(student) + spec_hash
    return _finish(payload)


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
    if not data or data[0] not in FORMATS:
        raise VersionIdError(f"'{text}' comes from an unknown version-ID format")
    if len(data) < 2:
        raise VersionIdError("version ID is truncated")
    fmt, flags = data[0], data[1]
    if (flags & 3) >= len(LANGS) or (flags >> 2) >= len(DIGITS):
        raise VersionIdError("version ID is malformed")
    pos = 2
    kind = 0
    if fmt == 2:
        kind, pos = _read_varint(data, pos)
        if kind not in (0, 1):
            raise VersionIdError(f"'{text}' comes from an unknown version-ID format")
    seed, pos = _read_varint(data, pos)
    student, pos = _read_varint(data, pos)
    out = {
        "seed": seed,
        "student": student,
        "families": [],  # [(code, fixed)], as in format 1
        "family_flags": [],  # one flags int per family (0 in format 1)
        "lang": LANGS[flags & 3],
        "digits": DIGITS[flags >> 2],
        "spec_hash": None,
    }
    if kind == 1:
        raw = data[pos : pos + SPEC_HASH_BYTES]
        if len(raw) != SPEC_HASH_BYTES:
            raise VersionIdError("version ID is truncated")
        if pos + SPEC_HASH_BYTES != len(data):
            raise VersionIdError("version ID is malformed")
        out["spec_hash"] = bytes(raw)
        return out
    count, pos = _read_varint(data, pos)
    fams, fam_flag_list = [], []
    for _ in range(count):
        code, pos = _read_varint(data, pos)
        size, pos = _read_varint(data, pos)
        raw = data[pos : pos + size]
        if len(raw) != size:
            raise VersionIdError("version ID is truncated")
        pos += size
        fam_flags = 0
        if fmt == 2:
            fam_flags, pos = _read_varint(data, pos)
        try:
            fams.append((code, raw.decode("utf-8", errors="strict")))
        except UnicodeDecodeError:
            raise VersionIdError("version ID is malformed") from None
        fam_flag_list.append(fam_flags)
    if pos != len(data):
        raise VersionIdError("version ID is malformed")
    out["families"] = fams
    out["family_flags"] = fam_flag_list
    return out
