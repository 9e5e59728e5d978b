"""Periods: timestamps as UTC, whatever their pandas dtype."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pyarrow as pa
from hypothesis import given, settings
from hypothesis import strategies as st

from analysis.periods import FREQUENCIES, period_start, utc_times

_MICROS = st.one_of(st.none(), st.integers(-(2**55), 2**55))


@settings(max_examples=200)
@given(st.lists(_MICROS, max_size=30), st.sampled_from([None, "UTC", "Europe/Paris", "Asia/Tokyo"]))
def test_arrow_backed_timestamps_are_as_pandas_casts_them(micros, tz):
    kind = pa.timestamp("us", tz)
    published = pd.Series(
        pa.array(micros, kind), dtype=pd.ArrowDtype(kind), index=np.arange(3, len(micros) + 3), name="published"
    )
    expected = published.astype("datetime64[us, UTC]")
    got = utc_times(published)
    assert got.dtype == expected.dtype
    pd.testing.assert_series_equal(got, expected)
    for period, frequency in FREQUENCIES.items():
        pd.testing.assert_series_equal(
            period_start(published, period), expected.dt.tz_localize(None).dt.to_period(frequency).dt.start_time
        )


def test_other_dtypes_go_through_pandas():
    nanos = pd.Series(pd.to_datetime(["2024-01-01 00:00:00.000000001", None], utc=True))
    pd.testing.assert_series_equal(utc_times(nanos), nanos.astype("datetime64[us, UTC]"))
    arrow_nanos = nanos.astype(pd.ArrowDtype(pa.timestamp("ns", "UTC")))
    pd.testing.assert_series_equal(utc_times(arrow_nanos), arrow_nanos.astype("datetime64[us, UTC]"))
