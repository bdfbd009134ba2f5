"""The survey import pipeline: read (CSV, XLSX, Parquet) → check every row → store in one transaction.

    from citizenfocus.surveys.importing import survey_import, ImportRefused, ImportSummary
"""

from .errors import ImportError_, ImportRefused
from .readers import SUPPORTED_SUFFIXES
from .service import ImportSummary, survey_import
from .store import row_hash

__all__ = ["ImportError_", "ImportRefused", "ImportSummary", "SUPPORTED_SUFFIXES", "row_hash", "survey_import"]
