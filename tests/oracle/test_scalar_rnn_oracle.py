"""Autograd oracle for scalar-rnn: JAX (CPU, float64) against the exact solver.

JAX builds h_t = w*h_{t-1} with ``lax.scan`` and differentiates it. Every value
the answer key shows is compared with the solver's exact value
(``oraclekit.RTOL`` = 1e-9 relative, ``oraclekit.ABS_FLOOR`` absolute):

- forward: h_0 .. h_T (Part.extra["h"] and every Recurrence step), L;
- gradient: each BPTT term, from ``jax.grad`` w.r.t. per-step copies
  w_1..w_T of w (term_t = dL/dw_t); the Sum; the closed form; the total, from
  ``jax.grad`` w.r.t. the one shared w;
- regime: |w| vs 1, the verdict (from JAX's dh_T/dh_0 = w^T: above 1 explodes,
  below 1 vanishes), the growth table dL/dw for every listed T (a JAX run of
  that length each);
- sgd: w - eta*g; clip: clip-by-norm written in JAX as optax's
  ``clip_by_global_norm`` does it (norm, triggered, g_clip), then w - eta*g_clip.

A step kind the oracle does not know fails the check, so a new step in the
solver cannot go unchecked.
"""

from __future__ import annotations

from functools import lru_cache

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import oraclekit as ok
from generator import bank

FAMILY = "scalar-rnn"


N_MAX = 256  # longest run: T <= 60, growth table up to 4T = 240


@lru_cache(maxsize=None)
def _fns():
    """Jitted once: runs are padded to N_MAX steps with w_t = 1 after step n
    (h stays h_n), so one compiled program serves every T."""
    jax = ok.jax()
    jnp = jax.numpy
    idx = jnp.arange(N_MAX)

    def run(ws, h0):
        def step(h, w):
            h = w * h
            return h, h

        return jax.lax.scan(step, h0, ws)

    def shared(w, n):
        return jnp.where(idx < n, w, 1.0)  # the one w in the first n steps

    def loss(w, h0, n):
        return run(shared(w, n), h0)[0]

    @jax.jit
    def core(w, h0, n, ns):
        ws = shared(w, n)
        _, hs = run(ws, h0)
        terms = jax.grad(lambda ws: run(ws, h0)[0])(ws)  # dL/dw_t for per-step copies
        g = jax.grad(loss)(w, h0, n)  # dL/dw for the shared w
        dh0 = jax.grad(lambda h0: run(ws, h0)[0])(h0)  # dh_n/dh_0 = w^n
        table = jax.vmap(lambda m: jax.grad(loss)(w, h0, m))(ns)  # dL/dw for T = m
        return hs, terms, g, dh0, table

    @jax.jit
    def sgd_and_clip(w, g, eta, c):
        # optax.clip_by_global_norm, for a one-leaf tree: keep g when its norm
        # is below max_norm, else g / norm * max_norm
        norm = jnp.sqrt(jnp.sum(jnp.square(g)))
        g_clip = jnp.where(norm < c, g, g / norm * c)
        return w - eta * g, norm, norm > c, g_clip, w - eta * g_clip

    return core, sgd_and_clip


def _f(x) -> float:
    return float(ok.exact_fraction(x))


def check_variant(variant) -> int:
    """Compare every value of one scalar-rnn key with JAX; return how many were compared."""
    import numpy as np

    core, sgd_and_clip = _fns()
    chk = ok.Checker(variant)
    p = variant.params
    w, h0, T, eta, c = _f(p["w"]), _f(p["h0"]), int(p["T"]), _f(p["eta"]), _f(p["c"])

    table_ts = [int(n) for n in next(s for s in variant.part("regime").steps if s.kind == "growth_table").Ts]
    ns = (table_ts + [1, 1, 1, 1])[:4]  # fixed length: one compiled program
    hs, terms, g, dh0, table = (np.asarray(a).tolist() for a in core(w, h0, T, np.array(ns)))
    table = dict(zip(table_ts, table))
    h = [h0] + hs[:T]
    w_new, norm, trig, g_clip, w_clip = (np.asarray(a).item() for a in sgd_and_clip(w, g, eta, c))
    eta_g = abs(eta * g)

    seen = set()
    for part in variant.parts:
        for step in part.steps:
            kind = step.kind
            seen.add(kind)
            if kind == "recurrence":
                chk.close(f"h_{step.t - 1} in step h_{step.t}", step.prev, h[step.t - 1])
                chk.close(f"h_{step.t}", step.result, h[step.t])
            elif kind == "bptt_term":
                chk.close(f"BPTT term t={step.t}", step.result, terms[step.t - 1])
                chk.close(f"h_{step.t - 1} in term t={step.t}", step.h_prev, h[step.t - 1])
            elif kind == "sum":
                for i, term in enumerate(step.terms):
                    chk.close(f"term {i + 1} of the sum", term, terms[i])
                chk.close("dL/dw (sum of terms)", step.result, g)
            elif kind == "closed_form":
                chk.close("dL/dw (closed form)", step.result, g)
            elif kind == "abs_compare":
                mine = "greater" if abs(w) > 1 else "less" if abs(w) < 1 else "equal"
                chk.equal("|w| vs 1", step.result, mine)
            elif kind == "growth_table":
                for n, val in zip(step.Ts, step.result):
                    chk.close(f"dL/dw for T={n}", val, table[int(n)])
            elif kind == "sgd_update":
                if step.name == "w_new":
                    chk.close("g in the SGD step", step.g, g)
                    chk.close("w' = w - eta*g", step.result, w_new, scale=max(abs(w), eta_g))
                else:
                    chk.close("g_clip in the clipped step", step.g, g_clip)
                    chk.close("w' with g_clip", step.result, w_clip, scale=max(abs(w), abs(eta * g_clip)))
            elif kind == "clip_by_norm":
                chk.close("|g|", step.norm, norm)
                # the float norm decides `triggered` only away from |g| = c
                if not ok.close(c, norm, rtol=1e-12):
                    chk.equal("clipping triggered", step.triggered, bool(trig))
                chk.close("g_clip", step.result, g_clip)
            else:
                raise ok.Disagreement(f"{chk.where()}: the oracle does not know step kind '{kind}' (extend check_variant)")

        if part.id == "forward":
            for t, val in enumerate(part.extra["h"]):
                chk.close(f"h_{t} (shown)", val, h[t])
            chk.close("L = h_T", part.answer, h[T])
        elif part.id == "gradient":
            chk.close("dL/dw (answer)", part.answer, g)
        elif part.id == "regime":
            grows = abs(float(dh0))  # |dh_T/dh_0| = |w|^T
            mine = "exploding" if grows > 1 else "vanishing" if grows < 1 else "neither"
            chk.equal("verdict", part.answer, mine)
        elif part.id == "sgd":
            chk.close("w' (answer)", part.answer, w_new, scale=max(abs(w), eta_g))
        elif part.id == "clip":
            chk.close("w'_clip (answer)", part.answer, w_clip, scale=max(abs(w), abs(eta * g_clip)))
    missing = {"recurrence", "bptt_term", "sum", "closed_form", "abs_compare", "growth_table", "sgd_update", "clip_by_norm"} - seen
    if missing:
        raise ok.Disagreement(f"{chk.where()}: steps missing from the key: {sorted(missing)}")
    return chk.compared


# --- tests ----------------------------------------------------------------------

FAM = bank.get(FAMILY)
SETTINGS = dict(deadline=None, suppress_health_check=[HealthCheck.too_slow], derandomize=True, database=None)


@settings(max_examples=ok.examples(50), **SETTINGS)
@given(params=ok.params_strategy(FAM))
def test_full_declared_ranges(params):
    """Any h0, w in [-10, 10] (denominators up to 12, 0 included), T in [1, 60],
    eta in (0, 1], c in (0, 1000]."""
    assert check_variant(ok.variant_for(FAM, params)) > 0


@settings(max_examples=ok.examples(20), **SETTINGS)
@given(seed=st.integers(0, 10**9))
def test_drawn_variants(seed):
    """What students get: the solver's own draws."""
    assert check_variant(FAM.variant(seed)) > 0


@pytest.mark.parametrize("fixed", [{"w": "1", "T": "7"}, {"w": "-1", "T": "4"}, {"w": "0", "T": "1"}, {"h0": "0"}])
def test_edge_values(fixed):
    """|w| = 1 ('neither'), w = 0 with T = 1 (0^0 = 1), h0 = 0 (zero gradient, no clipping)."""
    assert check_variant(FAM.variant(3, FAM.parse_fixed(fixed))) > 0


def test_oracle_catches_a_wrong_value(monkeypatch):
    """A solver that is off by one in the last BPTT term is caught."""
    import sympy as sp

    solver = FAM.solver
    real = solver.solve

    def off_by_one(params):
        parts = real(params)
        grad = next(p for p in parts if p.id == "gradient")
        term = grad.steps[-3]  # the last BpttTerm
        grad.steps[-3] = type(term)(t=term.t, T=term.T, h_prev=term.h_prev, w=term.w, result=term.result + sp.Integer(1))
        return parts

    monkeypatch.setattr(solver, "solve", off_by_one)
    with pytest.raises(ok.Disagreement, match="BPTT term"):
        check_variant(FAM.variant(5))
