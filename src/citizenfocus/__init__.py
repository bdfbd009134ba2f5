"""citizenfocus: victim satisfaction, public confidence and the gap between groups."""

__version__ = "0.1.0"
