#!/usr/bin/env python3
"""Nightly-size autograd oracle run: many variants per family, on every core.

    .venv/bin/python tools/oracle_long.py                 # 10,000 variants per family
    .venv/bin/python tools/oracle_long.py --n 2000 --family scalar-rnn --jobs 2

Finds every oracle module ``tests/oracle/test_*_oracle.py`` that defines
``check_variant(variant)`` (see tests/oracle/README.md) and, per family,
checks n variants: even-numbered ones are the solver's own draws
(``family.variant(seed)``, what students get), odd-numbered ones have every
parameter drawn from the family's declared ranges (the module's
``random_params(family, rng)`` if it has one, else
``oraclekit.random_params(family, rng, NARROW)``). Prints per family: variants
checked, values compared, disagreements, errors, time; exits 1 when any
disagreement or error was found.
"""

from __future__ import annotations

import argparse
import importlib.util
import multiprocessing as mp
import os
import random
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ORACLE_DIR = ROOT / "tests" / "oracle"
SHOW = 5  # disagreements printed per family

_modules: dict[str, object] = {}


def _setup_path() -> None:
    for p in (str(ORACLE_DIR), str(ROOT)):
        if p not in sys.path:
            sys.path.insert(0, p)


def load(path: str):
    """Import an oracle module by file path (once per process)."""
    if path not in _modules:
        _setup_path()
        name = Path(path).stem
        spec = importlib.util.spec_from_file_location(name, path)
        module = importlib.util.module_from_spec(spec)
        sys.modules[name] = module
        spec.loader.exec_module(module)
        _modules[path] = module
    return _modules[path]


def family_of(module, path: Path) -> str:
    fam = getattr(module, "FAMILY", None)
    if fam:
        return fam
    return path.stem[len("test_") : -len("_oracle")].replace("_", "-")


def discover(only: list[str] | None = None) -> list[tuple[str, Path]]:
    """(family id, module path) for every oracle module with check_variant."""
    found = []
    for path in sorted(ORACLE_DIR.glob("test_*_oracle.py")):
        module = load(str(path))
        if not callable(getattr(module, "check_variant", None)):
            print(f"oracle_long: {path.name} has no check_variant(variant); skipped", file=sys.stderr)
            continue
        fam = family_of(module, path)
        if only and fam not in only:
            continue
        found.append((fam, path))
    return found


def run_chunk(task):
    """Check variants start..start+count-1 of one family; return the tallies."""
    path, family_id, seed, start, count = task
    import oraclekit as ok
    from generator import bank

    module = load(path)
    fam = bank.get(family_id)
    from generator.errors import ParameterError

    out = {"checked": 0, "drawn": 0, "ranged": 0, "refused": 0, "compared": 0, "disagreements": [], "errors": [], "seconds": 0.0}
    ok.STATS["worst_rel"] = 0.0
    t0 = time.perf_counter()
    for i in range(start, start + count):
        s = seed + i
        try:
            if i % 2 == 0:
                variant = fam.variant(s)
                out["drawn"] += 1
            else:
                rng = random.Random(f"oracle-long/{family_id}/{s}")
                if callable(getattr(module, "random_params", None)):
                    params = module.random_params(fam, rng)
                else:
                    params = ok.random_params(fam, rng, getattr(module, "NARROW", None))
                variant = fam.variant(s, params)
                out["ranged"] += 1
        except ParameterError:
            out["refused"] += 1  # a combination the family refuses with a reason (e.g. |w| <= 1 cannot overflow)
            continue
        except Exception as exc:  # noqa: BLE001 - a solver crash is a finding
            out["errors"].append(f"variant {i} (seed {s}): solve: {type(exc).__name__}: {exc}")
            continue
        try:
            out["compared"] += int(module.check_variant(variant) or 0)
            out["checked"] += 1
        except AssertionError as exc:
            out["checked"] += 1
            out["disagreements"].append(f"variant {i}: {exc}")
        except Exception as exc:  # noqa: BLE001
            out["errors"].append(f"variant {i} (seed {s}): oracle: {type(exc).__name__}: {exc}")
    out["seconds"] = time.perf_counter() - t0
    out["worst_rel"] = ok.STATS["worst_rel"]
    return out


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--n", type=int, default=10_000, help="variants per family (default 10000)")
    ap.add_argument("--family", action="append", help="only this family (repeat for more)")
    ap.add_argument("--seed", type=int, default=0, help="first seed (default 0)")
    ap.add_argument("--jobs", type=int, default=os.cpu_count() or 1, help="worker processes (default: all cores)")
    ap.add_argument("--chunk", type=int, default=200, help="variants per task")
    args = ap.parse_args(argv)

    # one thread per worker: the workers use the cores, not XLA's thread pools
    os.environ.setdefault("JAX_PLATFORMS", "cpu")
    os.environ.setdefault("XLA_FLAGS", "--xla_cpu_multi_thread_eigen=false intra_op_parallelism_threads=1")
    _setup_path()
    families = discover(args.family)
    if not families:
        print("oracle_long: no oracle module found", file=sys.stderr)
        return 2

    ctx = mp.get_context("spawn")  # JAX is not fork-safe
    bad = 0
    print(f"{'family':<22} {'variants':>8} {'drawn':>6} {'ranged':>6} {'values':>10} {'disagree':>8} {'errors':>6} {'time':>8}")
    with ctx.Pool(args.jobs, initializer=_setup_path) as pool:
        for fam, path in families:
            tasks = [(str(path), fam, args.seed, start, min(args.chunk, args.n - start)) for start in range(0, args.n, args.chunk)]
            t0 = time.perf_counter()
            worst = 0.0
            total = {"checked": 0, "drawn": 0, "ranged": 0, "compared": 0, "disagreements": [], "errors": []}
            for res in pool.imap_unordered(run_chunk, tasks):
                for k in ("checked", "drawn", "ranged", "compared"):
                    total[k] += res[k]
                total["disagreements"] += res["disagreements"]
                total["errors"] += res["errors"]
                worst = max(worst, res["worst_rel"])
            wall = time.perf_counter() - t0
            nd, ne = len(total["disagreements"]), len(total["errors"])
            checked = total["checked"]
            print(
                f"{fam:<22} {checked:>8} {total['drawn']:>6} {total['ranged']:>6} {total['compared']:>10} "
                f"{nd:>8} {ne:>6} {wall:>7.1f}s   worst rel. error {worst:.1e} (tolerance 1e-9)",
                flush=True,
            )
            for line in (total["disagreements"] + total["errors"])[:SHOW]:
                print(f"  {line}")
            bad += nd + ne
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
