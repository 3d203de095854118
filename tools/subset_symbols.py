"""Build generator/fonts/NotoSansMath-Symbols.ttf: the symbols Noto Sans lacks.

Plain-text answers and words can hold math signs (2√3 ≈ 3.464, ≤, →) that
neither Noto Sans nor Noto Sans Bengali has; without a bundled font for them
WeasyPrint would borrow a system font. This keeps, from Noto Sans Math
(OFL-1.1, Debian's fonts-noto-core), every character from U+2000 to U+2BFF
that Noto Sans does not have, and nothing else (~220 KB instead of 590 KB).
The output is committed; run this only to rebuild it:

    .venv/bin/python tools/subset_symbols.py /usr/share/fonts/truetype/noto/NotoSansMath-Regular.ttf
"""

import sys
from pathlib import Path

from fontTools import subset
from fontTools.ttLib import TTFont

FONTS = Path(__file__).resolve().parent.parent / "generator" / "fonts"


def main(source: str) -> None:
    have = set(TTFont(FONTS / "NotoSans-Regular.ttf").getBestCmap())
    cmap = TTFont(source).getBestCmap()
    keep = sorted(c for c in cmap if 0x2000 <= c < 0x2C00 and c not in have)
    options = subset.Options()
    options.layout_features = ["*"]
    options.name_IDs = ["*"]
    options.notdef_outline = True
    options.drop_tables += ["MATH"]
    font = subset.load_font(source, options)
    sub = subset.Subsetter(options)
    sub.populate(unicodes=keep)
    sub.subset(font)
    out = FONTS / "NotoSansMath-Symbols.ttf"
    # no timestamps: the same source gives the same bytes
    font["head"].modified = font["head"].created
    subset.save_font(font, str(out), options)
    print(f"{out}: {len(keep)} characters, {out.stat().st_size} bytes")


if __name__ == "__main__":
    main(sys.argv[1])
