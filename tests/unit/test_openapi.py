"""The published OpenAPI document is what an integrator builds a controller from: it must load, be
internally consistent, and describe exactly the endpoints and errors the reference receiver has."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import jsonschema  # type: ignore[import-untyped]  # test-only oracle, no stubs installed

from studio.controller import receiver, store
from studio.controller.receiver import ROUTES
from studio.tags.sidecar import SCHEMA_PATH

ROOT = Path(__file__).resolve().parents[2]
OPENAPI_PATH = ROOT / "docs" / "controller-api.openapi.json"
METHODS = ("get", "put", "post", "delete", "patch", "head", "options", "trace")


def openapi() -> dict[str, Any]:
    document: dict[str, Any] = json.loads(OPENAPI_PATH.read_text(encoding="utf-8"))
    return document


def operations(document: dict[str, Any]) -> dict[tuple[str, str], dict[str, Any]]:
    return {(method.upper(), path): item[method]
            for path, item in document["paths"].items() for method in METHODS if method in item}


def test_document_is_openapi_3_1_json() -> None:
    document = openapi()
    assert document["openapi"].startswith("3.1.")
    assert document["security"] == [{"bearerAuth": []}]
    scheme = document["components"]["securitySchemes"]["bearerAuth"]
    assert (scheme["type"], scheme["scheme"]) == ("http", "bearer")


def test_documents_exactly_the_routes_the_receiver_serves() -> None:
    assert set(operations(openapi())) == set(ROUTES)


def test_every_operation_is_authenticated_and_answers_401() -> None:
    for key, operation in operations(openapi()).items():
        assert "security" not in operation, key  # no operation opts out of the bearer token
        assert "401" in operation["responses"], key
        assert operation.get("operationId"), key


def test_every_local_reference_resolves() -> None:
    document = openapi()
    text = OPENAPI_PATH.read_text(encoding="utf-8")
    for pointer in set(re.findall(r'"\$ref": "#/([^"]+)"', text)):
        node: Any = document
        for part in pointer.split("/"):
            node = node[part]
        assert isinstance(node, dict), pointer
    # the one external reference is the sidecar schema the lead publishes beside this file
    assert set(re.findall(r'"\$ref": "([^#"][^"]*)"', text)) == {"sidecar.schema.json"}


def test_component_schemas_are_valid_json_schema_2020_12() -> None:
    document = openapi()
    for name, schema in document["components"]["schemas"].items():
        try:
            jsonschema.Draft202012Validator.check_schema(schema)
        except jsonschema.SchemaError as exc:
            raise AssertionError(f"{name}: {exc.message}") from exc


def test_programme_id_pattern_matches_the_receiver_and_the_sidecar() -> None:
    document = openapi()
    pattern = document["components"]["parameters"]["ProgrammeId"]["schema"]["pattern"]
    sidecar_schema = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
    assert pattern == sidecar_schema["properties"]["id"]["pattern"] == f"^{store.PROGRAMME_ID.pattern}$"
    assert document["components"]["schemas"]["Status"]["properties"]["id"]["pattern"] == pattern


def test_every_problem_kind_the_receiver_raises_is_documented() -> None:
    sources = Path(receiver.__file__).read_text(encoding="utf-8") + Path(store.__file__).read_text(encoding="utf-8")
    raised = set(re.findall(r'Problem\(\s*\d{3}, "([a-z-]+)"', sources))
    assert {"unauthorized", "invalid-sidecar", "offset-mismatch", "checksum-mismatch", "insufficient-storage"} <= raised
    description = openapi()["components"]["schemas"]["Problem"]["properties"]["type"]["description"]
    documented = set(re.findall(r"[a-z]+(?:-[a-z]+)*", description.split("kinds:", 1)[1]))
    assert raised <= documented, raised - documented


def test_every_status_code_the_receiver_raises_is_documented() -> None:
    sources = Path(receiver.__file__).read_text(encoding="utf-8") + Path(store.__file__).read_text(encoding="utf-8")
    raised = {int(code) for code in re.findall(r"Problem\(\s*(\d{3}),", sources)}
    documented = {int(code) for operation in operations(openapi()).values() for code in operation["responses"]}
    # 405 (a method a path does not have) and 500 (a receiver bug) are generic and described in the guide
    assert raised - {405, 500} <= documented, raised - documented
