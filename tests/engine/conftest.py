from .backends import (  # noqa: F401  (fixtures)
    labelled_csv_path,
    parquet_path,
    postgres_database,
    responses,
    sqlite_database,
)
