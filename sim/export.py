"""Results as IAMC long tables (``model, scenario, region, variable, unit, year, value``) and files."""

from __future__ import annotations

import io
import json
import os
from collections.abc import Sequence

import pandas as pd

from . import MODEL_NAME, __version__
from .atomic import atomic_write
from .engine import PERCENT_VARS, UNITS, Result
from .scenario import Scenario
from .views import fmt as number_format

IAMC_COLUMNS = ["model", "scenario", "region", "variable", "unit", "year", "value"]
FORMATS = ("csv", "xlsx", "json")


def model_label() -> str:
    return f"{MODEL_NAME} {__version__}"


def long_frame(runs: Sequence[tuple[Scenario, Result]], draw: int = 0, lang: str = "en") -> pd.DataFrame:
    """IAMC long format for one or more scenario runs; percent variables are in percent."""
    frames = []
    for scen, res in runs:
        years = res.years
        for var, arr in res.variables.items():
            vals = arr[draw] * (100.0 if var in PERCENT_VARS else 1.0)
            frames.append(
                pd.DataFrame(
                    {
                        "model": model_label(),
                        "scenario": scen.name(lang),
                        "region": scen.region,
                        "variable": var,
                        "unit": UNITS[var],
                        "year": years.astype(int),
                        "value": vals,
                    }
                )
            )
    return pd.concat(frames, ignore_index=True)[IAMC_COLUMNS]


def to_bytes(df: pd.DataFrame, fmt: str, sheet: str = "data") -> bytes:
    """Serialise a table as CSV (UTF-8 with BOM, so Excel reads Vietnamese), XLSX or JSON records."""
    if fmt == "csv":
        # float noise (129568.98240000002) is rounded here, in the writer, not in the model
        return df.to_csv(index=False, float_format=number_format.machine).encode("utf-8-sig")
    if fmt == "json":
        records = [{k: number_format.tidy(v) for k, v in r.items()} for r in df.to_dict(orient="records")]
        return json.dumps(records, ensure_ascii=False, indent=1).encode("utf-8")
    if fmt == "xlsx":
        buf = io.BytesIO()
        with pd.ExcelWriter(buf, engine="openpyxl") as xw:
            df.to_excel(xw, sheet_name=sheet[:31], index=False)
        return buf.getvalue()
    raise ValueError(f"unknown format {fmt!r} (use {', '.join(FORMATS)})")


def write(df: pd.DataFrame, path: str | os.PathLike[str], fmt: str) -> None:
    """Write a table to a file atomically: never a partial file."""
    atomic_write(path, to_bytes(df, fmt))
