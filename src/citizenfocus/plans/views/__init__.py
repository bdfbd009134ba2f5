"""The plan pages: thin views over selectors and services; every page has a JSON twin and table downloads."""
