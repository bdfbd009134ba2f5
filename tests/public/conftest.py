from tests.performance.conftest import demo_data  # noqa: F401 - the demo force, committed once per module
