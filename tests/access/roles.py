"""The one list of roles every access-matrix test runs through: attributes of the `city` fixture
(root conftest.py), anonymous first."""

ROLES = [
    None,
    "admin",
    "security_admin",
    "audit_admin",
    "city_admin",
    "leader",
    "county",
    "other_county",
    "department_officer",
    "owner",
    "other_owner",
    "province_officer",
]


def user_of(city, role):
    """The `city` fixture's user for a role of `ROLES` (None: nobody signed in)."""
    return getattr(city, role) if role else None
