"""The API for case-management systems (``/api/v1/``): an organisation we refer
people to reads the cases it accepted and writes what became of them, with a
key of its own. Documented as OpenAPI (``openapi``), served and in docs/."""
