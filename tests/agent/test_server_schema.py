"""The OpenAPI document, fuzzed: no generated input may make the server fail (5xx).

Schemathesis generates requests from the document for every operation, a few dozen per
operation, so the test stays within seconds; the app answers chat requests without a user
for a default user, so generated chat bodies reach the whole turn (recall, rank, store).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable

import schemathesis
from fastapi import FastAPI
from hypothesis import HealthCheck, given, settings

from prefmem import Memory

AppFactory = Callable[..., FastAPI]
EXAMPLES_PER_OPERATION = 25


def test_no_generated_request_makes_the_server_fail(make_app: AppFactory, server_memory: Memory) -> None:
    app = make_app(default_user="fuzz")
    schema = schemathesis.openapi.from_asgi("/openapi.json", app)
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) >= 12
    statuses: Counter[int] = Counter()
    for operation in operations:

        @given(case=operation.as_strategy())
        @settings(
            max_examples=EXAMPLES_PER_OPERATION,
            deadline=None,
            database=None,
            suppress_health_check=list(HealthCheck),
        )
        def call(case: schemathesis.Case) -> None:
            response = case.call()
            statuses[response.status_code] += 1
            assert response.status_code < 500, f"{case.method} {case.formatted_path}: {response.text}"
            if response.status_code >= 400:
                assert set(response.json()["error"]) == {"message", "type", "param", "code"}

        call()
    assert statuses[200] > 0  # generated input did reach the handlers, not only the validation
    assert sum(statuses.values()) >= len(operations) * 5
