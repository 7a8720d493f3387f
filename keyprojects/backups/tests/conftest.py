import pytest

from .instance import drop, new_instance, seeded

OWNERS = 120


@pytest.fixture(scope="session")
def migrated_template(tmp_path_factory):
    """An instance migrated once (`migrate` alone takes most of a minute) and holding nothing else."""
    template = new_instance(
        tmp_path_factory.mktemp("durability"), "keyprojects_durability_migrated", migrate=True
    )
    yield template
    drop(template)


@pytest.fixture(scope="session")
def seeded_template(tmp_path_factory, migrated_template):
    """A copy of the migrated instance seeded with the city and its owners, copied by each test: the
    instance and its owners."""
    template = new_instance(
        tmp_path_factory.mktemp("durability"), "keyprojects_durability_seeded", like=migrated_template
    )
    owners = seeded(template, OWNERS)
    yield template, owners
    drop(template)
