"""Hypothesis strategy over a family's own draw(): any seed of the family's
random generator, so examples cover exactly the declared draw ranges."""

from hypothesis import strategies as st

from generator import bank


def seeds():
    return st.integers(min_value=0, max_value=10**9)


def variant(fid: str, seed: int):
    return bank.get(fid).variant(seed)
