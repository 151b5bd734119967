"""POST /v1/chat/completions over a scripted upstream: replies, streams, best-of-N, traces, users."""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from typing import Any

from fastapi import FastAPI
from fastapi.testclient import TestClient

from prefmem import Memory
from prefmem.agent.llm.base import ChatMessage
from prefmem.agent.llm.scripted import ScriptedChatModel

AppFactory = Callable[..., FastAPI]


def _ask(text: str, user: str | None = "ana", **fields: Any) -> dict[str, Any]:
    body: dict[str, Any] = {"model": "anything", "messages": [{"role": "user", "content": text}], **fields}
    if user is not None:
        body["user"] = user
    return body


def _events(raw: str) -> list[str]:
    """The data of each server-sent event, in order."""
    return [line[len("data: ") :] for line in raw.splitlines() if line.startswith("data: ")]


def test_a_reply_has_openai_fields_and_the_exchange_is_stored(
    client: TestClient, server_memory: Memory
) -> None:
    response = client.post("/v1/chat/completions", json=_ask("I grow tomatoes on my balcony"))
    assert response.status_code == 200
    body = response.json()
    assert body["object"] == "chat.completion" and body["id"].startswith("chatcmpl-")
    assert body["model"] == "prefmem" and isinstance(body["created"], int)
    [choice] = body["choices"]
    assert choice["index"] == 0 and choice["finish_reason"] == "stop"
    assert choice["message"] == {
        "role": "assistant",
        "content": "You said: I grow tomatoes on my balcony",
        "refusal": None,
    }
    assert "prefmem_trace" not in body and "x-prefmem-trace-id" not in response.headers
    [episode] = server_memory.recall("ana", None)
    assert episode.interaction.user_text == "I grow tomatoes on my balcony"
    assert episode.interaction.assistant_text == choice["message"]["content"]
    assert episode.interaction.metadata["completion_id"] == body["id"]


def test_memory_of_earlier_requests_reaches_the_prompt(make_app: AppFactory) -> None:
    upstream = ScriptedChatModel()
    client = TestClient(make_app(llm=upstream))
    client.post("/v1/chat/completions", json=_ask("I grow tomatoes on my balcony"))
    client.post("/v1/chat/completions", json=_ask("any tips for my tomatoes?", user="bob"))
    client.post("/v1/chat/completions", json=_ask("what should I do with my tomatoes this week?"))
    system, memory = upstream.prompts[-1][:2]
    assert system.role == "system" and "tomatoes" not in system.content
    assert memory.role == "user" and "I grow tomatoes on my balcony" in memory.content
    assert "any tips" not in memory.content  # another user's memory stays out
    assert all("balcony" not in message.content for message in upstream.prompts[1])


def test_the_clients_conversation_and_system_prompt_are_kept(make_app: AppFactory) -> None:
    upstream = ScriptedChatModel()
    client = TestClient(make_app(llm=upstream))
    messages = [
        {"role": "system", "content": "You answer like a ship's captain."},
        {"role": "user", "content": "Name a knot."},
        {"role": "assistant", "content": "The bowline."},
        {"role": "user", "content": [{"type": "text", "text": "And another?"}]},
    ]
    response = client.post("/v1/chat/completions", json={"model": "m", "messages": messages, "user": "ana"})
    assert response.status_code == 200
    sent = upstream.prompts[-1]
    assert sent[0].role == "system" and sent[0].content.startswith("You answer like a ship's captain.")
    assert [(m.role, m.content) for m in sent[1:]] == [
        ("user", "Name a knot."),
        ("assistant", "The bowline."),
        ("user", "And another?"),
    ]


def test_streamed_reply_is_openai_chunks_ending_with_done(client: TestClient, server_memory: Memory) -> None:
    response = client.post("/v1/chat/completions", json=_ask("tell me about kites", stream=True))
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/event-stream")
    events = _events(response.text)
    assert events[-1] == "[DONE]"
    chunks = [json.loads(e) for e in events[:-1]]
    assert all(c["object"] == "chat.completion.chunk" for c in chunks)
    assert len({c["id"] for c in chunks}) == 1
    assert chunks[0]["choices"][0]["delta"] == {"role": "assistant", "content": ""}
    assert chunks[-1]["choices"][0]["finish_reason"] == "stop"
    text = "".join(c["choices"][0]["delta"].get("content", "") for c in chunks)
    assert text == "You said: tell me about kites"
    assert len(chunks) > 4  # streamed in pieces, not one block
    [episode] = server_memory.recall("ana", None)
    assert episode.interaction.assistant_text == text


def test_single_sample_streams_live_without_reranking(make_app: AppFactory, server_memory: Memory) -> None:
    """With stream_rerank off, n = 1 forwards one upstream sample as it is written."""
    upstream = ScriptedChatModel(["first sample", "second sample"])
    client = TestClient(make_app(llm=upstream, stream_rerank=False))
    events = _events(client.post("/v1/chat/completions", json=_ask("hi", stream=True)).text)
    text = "".join(json.loads(e)["choices"][0]["delta"].get("content", "") for e in events[:-1] if e)
    assert text == "first sample"
    assert len(upstream.prompts) == 1  # one sample: no candidates generated


def test_n_returns_choices_best_first_and_the_best_is_stored(
    make_app: AppFactory, server_memory: Memory
) -> None:
    replies = ["Paris.", "The capital of France is Paris.", "Maybe Lyon?", "France's capital: Paris."]
    client = TestClient(make_app(llm=ScriptedChatModel(replies)))
    body = client.post(
        "/v1/chat/completions",
        json=_ask("What is the capital of France?", n=3, prefmem={"trace": True}),
    ).json()
    texts = [c["message"]["content"] for c in body["choices"]]
    assert [c["index"] for c in body["choices"]] == [0, 1, 2]
    candidates = body["prefmem_trace"]["candidates"]
    assert len(candidates) == 4  # max(n, assistant.candidates) samples
    scores = [c["score"] for c in candidates]
    assert scores == sorted(scores, reverse=True)
    assert texts == [c["text"] for c in candidates[:3]]
    assert all(c["terms"] for c in candidates)
    [episode] = server_memory.recall("ana", None)
    assert episode.interaction.assistant_text == texts[0]


def test_streamed_n_sends_every_choice(make_app: AppFactory) -> None:
    client = TestClient(make_app(llm=ScriptedChatModel(["one reply", "another reply", "third", "fourth"])))
    events = _events(client.post("/v1/chat/completions", json=_ask("hello", stream=True, n=2)).text)
    texts: dict[int, str] = {}
    for event in events[:-1]:
        for choice in json.loads(event)["choices"]:
            texts[choice["index"]] = texts.get(choice["index"], "") + (choice["delta"].get("content") or "")
    assert sorted(texts) == [0, 1] and all(texts.values()) and texts[0] != texts[1]


def test_trace_is_opt_in_and_can_be_fetched_by_id(client: TestClient) -> None:
    client.post("/v1/chat/completions", json=_ask("I play the cello every morning"))
    plain = client.post("/v1/chat/completions", json=_ask("hello", user="bob"))
    assert "prefmem_trace" not in plain.json()
    assert client.get(f"/v1/traces/{plain.json()['id']}").status_code == 404
    traced = client.post(
        "/v1/chat/completions", json=_ask("what should I play on the cello?", prefmem={"trace": True})
    )
    trace = traced.json()["prefmem_trace"]
    assert traced.headers["x-prefmem-trace-id"] == traced.json()["id"]
    assert [e["interaction"]["user_text"] for e in trace["recalled"]] == ["I play the cello every morning"]
    assert trace["interaction_id"] and trace["candidates"] and trace["prompt"][-1]["role"] == "user"
    assert client.get(f"/v1/traces/{traced.json()['id']}").json() == trace


def test_streamed_trace_comes_in_the_last_chunk(client: TestClient) -> None:
    events = _events(
        client.post("/v1/chat/completions", json=_ask("hi", stream=True, prefmem={"trace": True})).text
    )
    last = json.loads(events[-2])
    assert last["choices"][0]["finish_reason"] == "stop"
    assert last["prefmem_trace"]["completion_id"] == last["id"]


def test_unknown_fields_are_ignored_not_forwarded(make_app: AppFactory) -> None:
    seen: list[Sequence[ChatMessage]] = []

    class Recording(ScriptedChatModel):
        def generate(self, messages: Sequence[ChatMessage], **options: Any) -> list[str]:
            assert set(options) <= {"n", "temperature", "max_new_tokens"}
            seen.append(messages)
            return super().generate(messages, **options)

    client = TestClient(make_app(llm=Recording()))
    body = client.post(
        "/v1/chat/completions",
        json=_ask("hi", seed=3, frequency_penalty=0.5, store=True, prefmem={"trace": True}),
    ).json()
    assert body["prefmem_trace"]["ignored_fields"] == ["frequency_penalty", "seed", "store"]
    assert seen


def test_fields_that_cannot_be_honoured_are_refused(client: TestClient) -> None:
    tools = [{"type": "function", "function": {"name": "f", "parameters": {}}}]
    for extra in ({"tools": tools}, {"response_format": {"type": "json_object"}}, {"logprobs": True}):
        response = client.post("/v1/chat/completions", json=_ask("hi", **extra))
        assert response.status_code == 400, extra
        assert response.json()["error"]["param"] == next(iter(extra))


def test_temperature_and_max_tokens_reach_the_upstream(make_app: AppFactory) -> None:
    calls: list[dict[str, Any]] = []

    class Recording(ScriptedChatModel):
        def generate(self, messages: Sequence[ChatMessage], **options: Any) -> list[str]:
            calls.append(options)
            return super().generate(messages, **options)

    client = TestClient(make_app(llm=Recording()))
    client.post("/v1/chat/completions", json=_ask("hi", temperature=0.1, max_tokens=12))
    assert calls[-1]["temperature"] == 0.1 and calls[-1]["max_new_tokens"] == 12


def test_the_user_comes_from_the_body_or_the_default(make_app: AppFactory, server_memory: Memory) -> None:
    client = TestClient(make_app())
    client.post("/v1/chat/completions", json=_ask("from the safety id", user=None, safety_identifier="cara"))
    assert [e.interaction.user_text for e in server_memory.recall("cara", None)] == ["from the safety id"]
    nobody = client.post("/v1/chat/completions", json=_ask("who am I?", user=None))
    assert nobody.status_code == 400 and nobody.json()["error"]["param"] == "user"
    defaulted = TestClient(make_app(default_user="guest"))
    assert defaulted.post("/v1/chat/completions", json=_ask("a guest", user=None)).status_code == 200
    assert [e.interaction.user_text for e in server_memory.recall("guest", None)] == ["a guest"]


def test_bad_requests_get_openai_errors(client: TestClient) -> None:
    cases = [
        ({"model": "m", "user": "ana"}, "messages"),
        (_ask("hi", n=99), "n"),
        (_ask("hi", temperature=5), "temperature"),
        ({"model": "m", "user": "ana", "messages": [{"role": "assistant", "content": "hi"}]}, "messages"),
        ({"model": "m", "user": "ana", "messages": [{"role": "user", "content": "x" * 5000}]}, None),
    ]
    for body, param in cases:
        response = client.post("/v1/chat/completions", json=body)
        assert response.status_code == 400, body
        error = response.json()["error"]
        assert error["type"] == "invalid_request_error" and error["message"]
        assert error["param"] == param
    broken = client.post(
        "/v1/chat/completions", content=b"{not json", headers={"content-type": "application/json"}
    )
    assert broken.status_code == 400 and "error" in broken.json()
    missing = client.get("/v1/nothing-here")
    assert missing.status_code == 404 and missing.json()["error"]["type"] == "not_found_error"


def test_an_upstream_failure_is_a_502(make_app: AppFactory, server_memory: Memory) -> None:
    client = TestClient(make_app(llm=ScriptedChatModel(["   "])))
    response = client.post("/v1/chat/completions", json=_ask("hi"))
    assert response.status_code == 502 and response.json()["error"]["type"] == "upstream_error"
    assert server_memory.users() == []  # nothing stored for a failed turn
    events = _events(client.post("/v1/chat/completions", json=_ask("hi", stream=True)).text)
    assert json.loads(events[-2])["error"]["code"] == "backend_error" and events[-1] == "[DONE]"


def test_models_are_listed(make_app: AppFactory) -> None:
    client = TestClient(make_app(model_name="my-memory"))
    listed = client.get("/v1/models").json()
    assert [m["id"] for m in listed["data"]] == ["my-memory"] and listed["object"] == "list"
    assert client.get("/v1/models/my-memory").json()["id"] == "my-memory"
    assert client.get("/v1/models/other").status_code == 404


def test_openapi_document_lists_the_routes(client: TestClient) -> None:
    paths = client.get("/openapi.json").json()["paths"]
    for path in (
        "/v1/chat/completions",
        "/v1/models",
        "/v1/users/{user_id}/preferences",
        "/v1/users/{user_id}/preferences/{preference_id}",
        "/v1/users/{user_id}/preferences/{preference_id}/confirm",
        "/v1/users/{user_id}/episodes",
        "/v1/users/{user_id}/feedback",
        "/v1/users/{user_id}/consolidate",
        "/v1/users/{user_id}",
    ):
        assert path in paths, path
