from datetime import date
from pathlib import Path

import pytest

FIXTURES = Path(__file__).with_name("fixtures")
AS_AT = date(2024, 3, 25)  # a Monday: the enhanced victim's arrest on Friday 22 March is due today


@pytest.fixture
def victims(small_force, users):
    """The fixture export imported; the officer is PC 101 and the supervisor leads North Team A."""
    from citizenfocus.victims.importing import victims_import
    from citizenfocus.victims.models import Officer, Team

    victims_import(paths=[FIXTURES / "crimes.csv", FIXTURES / "events.csv"], mapping=FIXTURES / "mapping.toml",
                   user_name="test", today=AS_AT)
    Officer.objects.filter(identifier="PC 101").update(user=users["officer"])
    Team.objects.filter(name="North Team A").update(supervisor=users["supervisor"])
    return users
