"""The sidecar reader under arbitrary input (hypothesis): any bytes, any JSON document and any mutation of a
real sidecar end in a valid description or in the studio's "not a valid programme description" message —
never in another exception — and the reader agrees with the published JSON Schema about which is which.

The fixed examples of broken files are in ``test_sidecar.py``."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from studio.messages import StudioError
from studio.tags.sidecar import SIDECAR_INVALID, SIDECAR_TOO_LARGE, load_sidecar, sidecar_problems
from tests.unit.test_sidecar import VALIDATOR, sidecar

FIXTURES = [HealthCheck.function_scoped_fixture, HealthCheck.too_slow]

json_values = st.recursive(
    st.none() | st.booleans() | st.integers(min_value=-(2**70), max_value=2**70)
    | st.floats(allow_nan=False, allow_infinity=False) | st.text(max_size=20),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=12), children, max_size=4),
    max_leaves=20,
)


def read(path: Path, content: bytes) -> dict[str, Any] | StudioError:
    path.write_bytes(content)
    try:
        return load_sidecar(path)
    except StudioError as error:
        assert error.text in (SIDECAR_INVALID, SIDECAR_TOO_LARGE)
        assert str(path) in str(error)  # the message names the file
        return error


@settings(max_examples=300, deadline=None, suppress_health_check=FIXTURES)
@given(content=st.binary(max_size=2000))
@example(content=b"[" * 100_000 + b"]" * 100_000)  # nesting deeper than the parser's recursion limit
@example(content=b'{"a":' * 50_000 + b"1" + b"}" * 50_000)
@example(content=b"\xef\xbb\xbf{}")  # a BOM
@example(content=b"1e999999")
@example(content=b'"\\ud800"')  # a lone surrogate escape
def test_any_bytes_are_a_description_or_the_studios_message(content: bytes, tmp_path: Path) -> None:
    result = read(tmp_path / "x.json", content)
    if not isinstance(result, StudioError):
        assert sidecar_problems(result) == []


@settings(max_examples=300, deadline=None, suppress_health_check=FIXTURES)
@given(document=json_values)
def test_any_json_document_is_judged_without_raising(document: Any, tmp_path: Path) -> None:
    problems = sidecar_problems(document)
    assert isinstance(problems, list) and all(isinstance(p, str) and p for p in problems)
    result = read(tmp_path / "x.json", json.dumps(document).encode("utf-8"))
    assert isinstance(result, StudioError) == bool(problems)
    assert bool(problems) == (not VALIDATOR.is_valid(document))


def _paths(value: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    """Every place in a JSON document: object keys and list indexes, depth first."""
    found = [prefix] if prefix else []
    if isinstance(value, dict):
        for key, child in value.items():
            found += _paths(child, (*prefix, key))
    elif isinstance(value, list):
        for index, child in enumerate(value):
            found += _paths(child, (*prefix, index))
    return found


VALID = sidecar()
PLACES = _paths(VALID)


@settings(max_examples=400, deadline=None, suppress_health_check=FIXTURES)
@given(changes=st.lists(st.tuples(st.sampled_from(PLACES), st.one_of(st.just("delete"), json_values)),
                        min_size=1, max_size=3))
def test_a_mutated_sidecar_is_read_exactly_when_the_schema_accepts_it(
        changes: list[tuple[tuple[Any, ...], Any]], tmp_path: Path) -> None:
    """Replace or delete members of a real sidecar: the studio's reader and the published schema (which a
    controller's integrator validates with) give the same verdict, and a refusal is the studio's message."""
    data = copy.deepcopy(VALID)
    for place, value in changes:  # an earlier change may have replaced or removed the way there: then skip
        parent: Any = data
        for step in place[:-1]:
            if not _has(parent, step):
                break
            parent = parent[step]
        else:
            if _has(parent, place[-1]):
                if value == "delete":
                    del parent[place[-1]]
                else:
                    parent[place[-1]] = value
    result = read(tmp_path / "x.json", json.dumps(data, ensure_ascii=False).encode("utf-8"))
    refused, schema_accepts = isinstance(result, StudioError), VALIDATOR.is_valid(data)
    if refused and schema_accepts:  # JSON Schema's "integer" takes 2.0; the studio writes and reads 2 only
        assert all(p.endswith("must be a whole number") for p in sidecar_problems(data)) and _integral_float(data)
    else:
        assert refused == (not schema_accepts), sidecar_problems(data)


def _has(parent: Any, step: Any) -> bool:
    if isinstance(parent, dict):
        return step in parent
    return isinstance(parent, list) and isinstance(step, int) and step < len(parent)


def _integral_float(value: Any) -> bool:
    if isinstance(value, float):
        return value.is_integer()
    if isinstance(value, dict):
        return any(_integral_float(child) for child in value.values())
    return isinstance(value, list) and any(_integral_float(child) for child in value)


@pytest.mark.parametrize("depth", [10_000, 400_000])
def test_a_deeply_nested_file_is_refused_with_the_message(depth: int, tmp_path: Path) -> None:
    content = (b"[" * depth + b"]" * depth)[: 1024 * 1024]  # at most the size limit: it must be parsed
    result = read(tmp_path / "deep.json", content)
    assert isinstance(result, StudioError) and result.text == SIDECAR_INVALID
