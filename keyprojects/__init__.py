"""keyprojects: the platform a city runs its key investment projects on."""
