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
