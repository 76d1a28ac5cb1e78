"""Load the lexicons and gazetteers under ``warta/data/``.

Every table is UTF-8 TSV with a header row; YAML is used where a table would not fit. Files are read
through :mod:`importlib.resources`, so an installed package finds them wherever it lives.
"""

from __future__ import annotations

import csv
import functools
from importlib import resources
from typing import Any

import yaml

from .errors import BadLexicon


def data_path(name: str):
    """Return the resource path of ``warta/data/<name>``."""
    return resources.files("warta") / "data" / name


@functools.cache
def read_tsv(name: str) -> tuple[dict[str, str], ...]:
    """Return the rows of ``warta/data/<name>`` as dicts keyed by the header (lines starting ``#`` skipped).

    :raises BadLexicon: when a row has more cells than the header.
    """
    with data_path(name).open(encoding="utf-8", newline="") as handle:
        lines = (line for line in handle if line.strip() and not line.startswith("#"))
        reader = csv.DictReader(lines, delimiter="\t", quoting=csv.QUOTE_NONE)
        rows = []
        for row in reader:
            if None in row:
                raise BadLexicon(f"{name}, line {reader.line_num}: more cells than the header has.")
            rows.append({k: (v or "").strip() for k, v in row.items()})
    return tuple(rows)


@functools.cache
def read_yaml(name: str) -> Any:
    """Return the parsed content of ``warta/data/<name>``."""
    with data_path(name).open(encoding="utf-8") as handle:
        return yaml.safe_load(handle)
