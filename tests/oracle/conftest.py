"""Autograd oracle tests (see README.md here). The shared helpers live in
``oraclekit.py`` (a plain module, so tools/oracle_long.py can use them too);
this file only makes them importable and sets JAX up once."""

import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
if str(HERE) not in sys.path:
    sys.path.insert(0, str(HERE))

import oraclekit  # noqa: E402
from oraclekit import (  # noqa: E402,F401 - re-exported for `from conftest import ...`
    ABS_FLOOR,
    RTOL,
    Checker,
    Disagreement,
    close,
    examples,
    params_strategy,
    random_params,
    variant_for,
)

oraclekit.jax()  # float64 on CPU before any test builds arrays
