"""The one list of roles every access-matrix test runs through: attributes of the `city` fixture
(root conftest.py), anonymous first."""

ROLES = [
    None,
    "admin",
    "city_admin",
    "leader",
    "county",
    "other_county",
    "department_officer",
    "owner",
    "other_owner",
    "province_officer",
]

# the whole platform's matrix (tests/access/test_matrix.py) runs the other two administrators as well; the apps'
# own tables of expected answers name the roles above
ADMINISTRATORS = ["security_admin", "audit_admin"]
EVERY_ROLE = [*ROLES, *ADMINISTRATORS]


def user_of(city, role):
    """The `city` fixture's user for a role of `ROLES` (None: nobody signed in)."""
    return getattr(city, role) if role else None
