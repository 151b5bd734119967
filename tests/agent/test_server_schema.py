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
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

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


def test_any_text_in_a_well_formed_chat_request_is_answered_or_refused(make_app: AppFactory) -> None:
    """Generated schema input rarely forms a valid conversation; this reaches the whole turn."""
    client = TestClient(make_app())
    statuses: Counter[int] = Counter()
    roles = st.sampled_from(["system", "developer", "user", "assistant"])
    # control characters are refused (400) in a message and a user id, and hypothesis draws
    # them often; without them most requests reach a whole turn
    plain = st.characters(blacklist_categories=("Cs", "Cc"))

    @given(
        earlier=st.lists(st.tuples(roles, st.text(max_size=200)), max_size=4),
        last=st.text(plain, max_size=300),
        user=st.text(plain, min_size=1, max_size=40),
        n=st.integers(min_value=1, max_value=3),
        stream=st.booleans(),
        temperature=st.none() | st.floats(min_value=0, max_value=2),
    )
    @settings(max_examples=40, deadline=None, database=None, suppress_health_check=list(HealthCheck))
    def call(
        earlier: list[tuple[str, str]], last: str, user: str, n: int, stream: bool, temperature: float | None
    ) -> None:
        messages = [{"role": role, "content": text} for role, text in earlier]
        messages.append({"role": "user", "content": last})
        body = {"model": "m", "messages": messages, "user": user, "n": n, "stream": stream}
        if temperature is not None:
            body["temperature"] = temperature
        response = client.post("/v1/chat/completions", json=body)
        statuses[response.status_code] += 1
        assert response.status_code in (200, 400), response.text
        if response.status_code == 200 and stream:
            assert response.text.rstrip().endswith("data: [DONE]")

    call()
    assert statuses[200] > 10
