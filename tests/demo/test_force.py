"""The demo force's areas: the shape the rest of the system is tested against."""

import re
from dataclasses import FrozenInstanceError

import pytest

from citizenfocus.demo import demo_force


def _neighbourhoods(force):
    return [n for d in force.divisions for n in d.neighbourhoods]


def _wards(force):
    return [w for n in _neighbourhoods(force) for w in n.wards]


def test_it_has_three_divisions_and_about_sixty_neighbourhoods():
    force = demo_force()
    assert force.name == "Northvale Constabulary"
    assert [d.name for d in force.divisions] == ["Northern", "Central", "Southern"]
    assert 55 <= len(_neighbourhoods(force)) <= 65


def test_divisions_have_uneven_numbers_of_neighbourhoods_and_people():
    force = demo_force()
    counts = [len(d.neighbourhoods) for d in force.divisions]
    assert len(set(counts)) == len(counts)
    people = [n.population for n in _neighbourhoods(force)]
    assert max(people) > 3 * min(people)


def test_every_neighbourhood_has_two_to_five_wards_and_all_sizes_occur():
    sizes = [len(n.wards) for n in _neighbourhoods(demo_force())]
    assert set(sizes) == {2, 3, 4, 5}


def test_names_and_codes_are_unique_across_the_force():
    force = demo_force()
    for things in (force.divisions, _neighbourhoods(force), _wards(force)):
        assert len({t.name for t in things}) == len(things)
        assert len({t.code for t in things}) == len(things)


def test_codes_fit_the_stored_fields():
    force = demo_force()
    slug = re.compile(r"^[-a-zA-Z0-9_]+$")
    assert slug.match(force.code)
    assert all(slug.match(d.code) for d in force.divisions)
    assert all(slug.match(n.code) for n in _neighbourhoods(force))
    # Fake ONS ward codes, outside the range real wards use.
    assert all(re.fullmatch(r"E059\d{5}", w.code) for w in _wards(force))
    assert all(len(name) <= 120 for name in (w.name for w in _wards(force)))


def test_every_ward_has_people():
    assert all(w.population > 0 for w in _wards(demo_force()))


def test_it_is_the_same_immutable_force_every_time():
    assert demo_force() is demo_force()
    with pytest.raises(FrozenInstanceError):
        demo_force().name = "Somewhere else"


def test_a_division_is_found_by_name_and_an_unknown_one_is_refused():
    assert demo_force().division("Central").code == "central"
    with pytest.raises(KeyError, match="no division 'Western'"):
        demo_force().division("Western")
