"""The indicator engine: Ibis expressions that turn responses into sufficient statistics.

One code path for SQLite, PostgreSQL, DuckDB (CSV / Parquet files) and, through a connection URL
(engine.connections), Spark, Trino or BigQuery:

    source = open_file_source("uss.parquet", get_definition("uss"))   # or open_db_source("uss")
    rows = indicator_rows(source, measure="whole_experience", by=("division",), period="rolling12:2014-03")
    gaps = gap_rows(source, measure="whole_experience", by=("division",), period="rolling12:2014-03")

The database runs one GROUP BY (month × groups × stratum → n, Σw, Σwy, Σw², Σw²y: sums.py); its result
is an engine cube (cube.py), which every reader slices: the CLI's rows, the board suite, the dashboard's
pages. The dashboard's standard cube is kept in the database at each import (stored.py). Windows,
roll-ups, intervals and gaps are numpy over those sums (statistics.md §1; docs/engine.md).
"""

from .columns import ETHNIC_GROUPS, canonical_columns, with_derived_columns
from .connections import is_connection, open_connection_source
from .cube import Cube, CubeKey
from .indicators import Request, gap_rows, indicator_rows
from .sources import Source, SourceError, open_db_source, open_file_source, open_table_source
from .suite import BoardSuite, board_suite
from .sums import MonthlySums, sums_by

__all__ = [
    "ETHNIC_GROUPS",
    "BoardSuite",
    "Cube",
    "CubeKey",
    "MonthlySums",
    "Request",
    "Source",
    "SourceError",
    "board_suite",
    "canonical_columns",
    "gap_rows",
    "indicator_rows",
    "is_connection",
    "open_connection_source",
    "open_db_source",
    "open_file_source",
    "open_table_source",
    "sums_by",
    "with_derived_columns",
]
