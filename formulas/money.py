"""The rounding contract (PRODUCT.md section 3): every contribution rounded half-up to 0.01.

Half-up is symmetric: 2.505 -> 2.51 and -2.505 -> -2.51. Floats carry binary noise (2.675 is
2.67499999…), so a tiny tolerance is added before flooring; money here never needs more than
about 15 significant digits, so the tolerance never changes a value that is not a tie.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

_TOLERANCE = 1e-6  # in hundredths of a rouble


def round_half_up(values: pd.Series | np.ndarray | float) -> pd.Series | np.ndarray | float:
    """Round to 0.01, halves away from zero, vectorised over Series and arrays."""
    array = np.asarray(values, dtype="float64")
    rounded = np.sign(array) * np.floor(np.abs(array) * 100.0 + 0.5 + _TOLERANCE) / 100.0
    rounded = rounded + 0.0  # turn -0.0 into 0.0 so totals never print as "-0.00"
    if isinstance(values, pd.Series):
        return pd.Series(rounded, index=values.index)
    if np.ndim(rounded) == 0:
        return float(rounded)
    return rounded


def cents(values: pd.Series) -> pd.Series:
    """Money as whole kopecks (int64), so sums are exact; divide by 100 when writing."""
    return (round_half_up(values) * 100).round().astype("int64")
