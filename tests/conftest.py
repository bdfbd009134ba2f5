import os

os.environ.setdefault("CITIZENFOCUS_TESTING", "1")
os.environ.setdefault("AXES_FAILURE_LIMIT", "5")
