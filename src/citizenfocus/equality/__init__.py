"""Equality data: census community profiles, boundaries, stop and search and the scrutiny panel."""
