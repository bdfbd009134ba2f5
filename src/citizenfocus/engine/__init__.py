"""The indicator engine: Ibis expressions that turn responses into sufficient statistics.

One code path for SQLite, PostgreSQL, DuckDB (CSV / Parquet files) and, through a connection URL
(engine.connections), Spark, Trino or BigQuery:

    source = open_file_source("uss.parquet", get_definition("uss"))   # or open_db_source("uss")
    rows = indicator_rows(source, measure="whole_experience", by=("division",), period="rolling12:2014-03")
    gaps = gap_rows(source, measure="whole_experience", by=("division",), period="rolling12:2014-03")

The database runs one GROUP BY (month × groups × stratum → n, Σw, Σwy, Σw², Σw²y);
windows, roll-ups, intervals and gaps are numpy over those sums (statistics.md §1).
"""

from .columns import ETHNIC_GROUPS, canonical_columns, with_derived_columns
from .connections import is_connection, open_connection_source
from .indicators import Request, gap_rows, indicator_rows
from .sources import Source, SourceError, open_db_source, open_file_source, open_table_source
from .suite import BoardSuite, board_suite
from .sums import MonthlySums, sums_by

__all__ = [
    "ETHNIC_GROUPS",
    "BoardSuite",
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
