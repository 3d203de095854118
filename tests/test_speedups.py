"""The ziamath speed-up must not change a single byte of the math SVG."""

import dataclasses

from generator import mathsvg, speedups

FORMULAS = [
    r"\frac{\partial L}{\partial w} = \sum_{t=1}^{T} h_{t-1}\, w^{T-t}",
    r"g_{\mathrm{clip}} = g \cdot \min\left(1, \frac{c}{|g|}\right)",
    r"\text{\textbf{bold}} \mathbf{W}^{\top} \odot \tilde{x}_{1}^{2}",
    r"\begin{cases} a & x > 0 \\ b & \text{else} \end{cases} \approx -2.125\times 10^{10}",
]


def test_patch_keeps_svg_identical():
    from ziamath import styles

    speedups.ziamath()
    assert styles.asdict is speedups._fields
    fast = [str(mathsvg.svg.__wrapped__(f)) for f in FORMULAS]
    styles.asdict = dataclasses.asdict
    try:
        slow = [str(mathsvg.svg.__wrapped__(f)) for f in FORMULAS]
    finally:
        styles.asdict = speedups._fields
    assert fast == slow
