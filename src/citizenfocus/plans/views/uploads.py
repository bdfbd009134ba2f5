"""An uploaded file as a path on disk, keeping its suffix (the importer reads the format from it)."""

import tempfile
from contextlib import contextmanager
from pathlib import Path


@contextmanager
def on_disk(upload):
    suffix = Path(upload.name).suffix.lower()
    with tempfile.TemporaryDirectory(prefix="citizenfocus-plan-") as folder:
        path = Path(folder) / f"upload{suffix}"
        with path.open("wb") as handle:
            for chunk in upload.chunks():
                handle.write(chunk)
        yield path
