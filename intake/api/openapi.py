"""The API's OpenAPI 3.1 document: served at /api/v1/openapi.json and kept in
docs/openapi.json (a test holds the two equal and both to the routes). Write
the copy again after a change with ``python -m intake.api.openapi > docs/openapi.json``.
"""

import json

from intake.api import keys
from intake.models.outcome import Outcome

VERSION = "1.0.0"
REFERENCE = {
    "name": "reference",
    "in": "path",
    "required": True,
    "description": "The case's reference, with or without its dashes (K7QM-4XPD-2H).",
    "schema": {"type": "string", "maxLength": 20},
}


def _error(description: str) -> dict:
    return {
        "description": description,
        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}},
    }


UNAUTHORISED = _error("No key, or an unknown or revoked one.")
NOT_FOUND = _error("No case with this reference was accepted by your organisation.")
TOO_MANY = _error("Too many requests with this key; try again later.")


def document() -> dict:
    summary_properties = {
        "referral_id": {"type": "integer"},
        "reference": {"type": "string"},
        "referred_on": {"type": "string", "format": "date"},
        "accepted_on": {"type": ["string", "null"], "format": "date"},
        "accepted_at": {
            "type": "string",
            "format": "date-time",
            "description": "When your organisation accepted the case (UTC); the list's order.",
        },
        "name": {"type": "string", "description": "As the person gave it."},
        "preferred_language": {"type": "string"},
        "detained": {"type": "boolean"},
    }
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "Intake API for case-management systems",
            "version": VERSION,
            "description": (
                "Read the cases your organisation accepted from our referrals, with "
                "their referral packet, and write what became of them. Every call "
                "but this document needs your integration's key. See "
                "docs/integrators.md."
            ),
        },
        "servers": [{"url": "/api/v1"}],
        "security": [{"key": []}],
        "paths": {
            "/openapi.json": {
                "get": {
                    "operationId": "openapi",
                    "summary": "This document",
                    "security": [],
                    "responses": {
                        "200": {
                            "description": "The OpenAPI document.",
                            "content": {"application/json": {"schema": {"type": "object"}}},
                        }
                    },
                }
            },
            "/cases": {
                "get": {
                    "operationId": "listCases",
                    "summary": "The cases your organisation accepted, in the order accepted",
                    "description": (
                        "Ordered by the moment of acceptance, then referral id. A case "
                        "accepted after you passed the end comes after everything you "
                        "have seen, however early it was referred: keep resume_cursor "
                        "and list from it later to get exactly the cases accepted "
                        "since, each once. An acceptance is listed a few seconds after "
                        "it is made."
                    ),
                    "parameters": [
                        {
                            "name": "cursor",
                            "in": "query",
                            "required": False,
                            "description": (
                                "next_cursor from the page before, or a stored "
                                "resume_cursor; none to list from the start."
                            ),
                            "schema": {"type": "string"},
                        },
                        {
                            "name": "limit",
                            "in": "query",
                            "required": False,
                            "description": "Cases per page (default 50).",
                            "schema": {"type": "integer", "minimum": 1, "maximum": 100},
                        },
                        {
                            "name": "accepted_since",
                            "in": "query",
                            "required": False,
                            "description": "Only cases accepted on or after this day.",
                            "schema": {"type": "string", "format": "date"},
                        },
                    ],
                    "responses": {
                        "200": {
                            "description": "One page.",
                            "content": {
                                "application/json": {
                                    "schema": {"$ref": "#/components/schemas/CasePage"}
                                }
                            },
                        },
                        "400": _error("A cursor, limit or date this API cannot read."),
                        "401": UNAUTHORISED,
                        "429": TOO_MANY,
                    },
                }
            },
            "/cases/{reference}": {
                "get": {
                    "operationId": "getCase",
                    "summary": "One accepted case with its referral packet and outcomes",
                    "parameters": [REFERENCE],
                    "responses": {
                        "200": {
                            "description": "The case.",
                            "content": {
                                "application/json": {
                                    "schema": {"$ref": "#/components/schemas/Case"}
                                }
                            },
                        },
                        "401": UNAUTHORISED,
                        "404": NOT_FOUND,
                        "429": TOO_MANY,
                    },
                }
            },
            "/cases/{reference}/outcomes": {
                "post": {
                    "operationId": "addOutcome",
                    "summary": "Record what became of an accepted case",
                    "parameters": [REFERENCE],
                    "requestBody": {
                        "required": True,
                        "content": {
                            "application/json": {
                                "schema": {"$ref": "#/components/schemas/NewOutcome"}
                            }
                        },
                    },
                    "responses": {
                        "201": {
                            "description": "Recorded.",
                            "content": {
                                "application/json": {
                                    "schema": {"$ref": "#/components/schemas/Outcome"}
                                }
                            },
                        },
                        "400": _error("Not a JSON object."),
                        "401": UNAUTHORISED,
                        "404": NOT_FOUND,
                        "422": _error("A kind or date the rules refuse."),
                        "429": TOO_MANY,
                    },
                }
            },
        },
        "components": {
            "securitySchemes": {
                "key": {
                    "type": "http",
                    "scheme": "bearer",
                    "description": (
                        f"The integration's key ({keys.PREFIX}...), shown once when an "
                        "admin makes it. Scopes: " + ", ".join(keys.SCOPES) + "."
                    ),
                }
            },
            "schemas": {
                "Error": {
                    "type": "object",
                    "required": ["error"],
                    "properties": {"error": {"type": "string"}},
                },
                "CaseSummary": {
                    "type": "object",
                    "required": list(summary_properties),
                    "properties": summary_properties,
                },
                "CasePage": {
                    "type": "object",
                    "required": ["data", "next_cursor", "resume_cursor"],
                    "properties": {
                        "data": {
                            "type": "array",
                            "items": {"$ref": "#/components/schemas/CaseSummary"},
                        },
                        "next_cursor": {
                            "type": ["string", "null"],
                            "description": "The next page; null on the last page.",
                        },
                        "resume_cursor": {
                            "type": ["string", "null"],
                            "description": (
                                "Where this listing ended, also on the last page: "
                                "store it and list from it later for the cases "
                                "accepted since. Null only when nothing was listed "
                                "and no cursor given."
                            ),
                        },
                    },
                },
                "Case": {
                    "allOf": [
                        {"$ref": "#/components/schemas/CaseSummary"},
                        {
                            "type": "object",
                            "required": ["packet", "outcomes"],
                            "properties": {
                                "packet": {
                                    "type": "object",
                                    "description": (
                                        "The referral packet, version 1.x: docs/referral-packet.md."
                                    ),
                                    "required": ["schema", "version"],
                                    "properties": {
                                        "schema": {"const": "intake-referral-packet"},
                                        "version": {"type": "string"},
                                    },
                                },
                                "outcomes": {
                                    "type": "array",
                                    "items": {"$ref": "#/components/schemas/Outcome"},
                                },
                            },
                        },
                    ]
                },
                "NewOutcome": {
                    "type": "object",
                    "required": ["kind", "happened_on"],
                    "properties": {
                        "kind": {"type": "string", "enum": [o.value for o in Outcome]},
                        "happened_on": {"type": "string", "format": "date"},
                    },
                },
                "Outcome": {
                    "type": "object",
                    "required": ["id", "kind", "label", "happened_on"],
                    "properties": {
                        "id": {"type": "integer"},
                        "kind": {"type": "string", "enum": [o.value for o in Outcome]},
                        "label": {"type": "string"},
                        "happened_on": {"type": "string", "format": "date"},
                    },
                },
            },
        },
    }


def as_text() -> str:
    return json.dumps(document(), indent=2, ensure_ascii=False) + "\n"


if __name__ == "__main__":
    print(as_text(), end="")
