"""The user routes, API keys (401/403) and the body-size limit (413)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from prefmem import Memory
from prefmem.agent.server.auth import parse_api_keys
from prefmem.memory.errors import ConfigError

AppFactory = Callable[..., FastAPI]
KEYS = {"key-ana": "ana", "key-bob": "bob"}


def _genuine(memory: Memory, user: str = "ana") -> str:
    """Give the user one genuine preference (the same statement on three days); its id."""
    start = datetime(2026, 3, 1, tzinfo=UTC)
    for day in range(3):
        memory.add(
            user, "I love playing the harmonica in the evening", "ok", timestamp=start + timedelta(days=day)
        )
    memory.consolidate(user)
    [preference] = memory.preferences(user)
    assert preference.kind == "genuine"
    return preference.id


def _as(key: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {key}"}


def test_preferences_can_be_listed_edited_confirmed_and_deleted(
    client: TestClient, server_memory: Memory
) -> None:
    pid = _genuine(server_memory)
    listed = client.get("/v1/users/ana/preferences").json()
    assert listed["object"] == "list" and [p["id"] for p in listed["data"]] == [pid]
    assert client.get("/v1/users/ana/preferences", params={"kind": "tentative"}).json()["data"] == []
    edited = client.patch(
        f"/v1/users/ana/preferences/{pid}", json={"statement": "Likes the harmonica at dusk"}
    )
    assert edited.status_code == 200 and edited.json()["statement"] == "Likes the harmonica at dusk"
    assert server_memory.preferences("ana")[0].statement == "Likes the harmonica at dusk"
    confirmed = client.post(f"/v1/users/ana/preferences/{pid}/confirm")
    assert confirmed.status_code == 200 and confirmed.json()["user_status"] is not None
    assert client.delete(f"/v1/users/ana/preferences/{pid}").status_code == 200
    assert server_memory.preferences("ana") == []
    gone = client.delete(f"/v1/users/ana/preferences/{pid}")
    assert gone.status_code == 404 and gone.json()["error"]["code"] == "unknown_preference"


def test_a_preference_is_reached_only_through_its_own_user(client: TestClient, server_memory: Memory) -> None:
    pid = _genuine(server_memory)
    server_memory.add("bob", "hello")
    assert client.patch(f"/v1/users/bob/preferences/{pid}", json={"statement": "x"}).status_code == 404
    assert server_memory.preferences("ana")[0].statement != "x"


def test_episodes_are_recalled_by_query_and_mode(client: TestClient, server_memory: Memory) -> None:
    server_memory.add("ana", "my cat is called Miso")
    server_memory.add("ana", "I repair old bicycles")
    newest = client.get("/v1/users/ana/episodes").json()["data"]
    assert [e["interaction"]["user_text"] for e in newest] == [
        "I repair old bicycles",
        "my cat is called Miso",
    ]
    found = client.get(
        "/v1/users/ana/episodes", params={"query": "what is my cat called", "mode": "similarity"}
    )
    assert found.json()["data"][0]["interaction"]["user_text"] == "my cat is called Miso"
    assert client.get("/v1/users/ana/episodes", params={"mode": "sideways"}).status_code == 400
    assert client.get("/v1/users/nobody/episodes").status_code == 404


def test_feedback_choice_rating_and_edit_are_stored(client: TestClient, server_memory: Memory) -> None:
    choice = {
        "type": "choice",
        "prompt": "explain tides",
        "options": ["short", "long and detailed"],
        "chosen": 1,
    }
    rating = {"type": "rating", "prompt": "explain tides", "response": "short", "value": -1}
    edit = {
        "type": "edit",
        "prompt": "explain tides",
        "response": "short",
        "edited": "The moon pulls the sea.",
    }
    stored = [client.post("/v1/users/ana/feedback", json=body) for body in (choice, rating, edit)]
    assert [r.status_code for r in stored] == [200, 200, 200]
    assert [r.json()["kind"] for r in stored] == ["choice", "rating", "choice"]
    assert (
        stored[2].json()["options"] == ["short", "The moon pulls the sea."]
        and stored[2].json()["chosen"] == 1
    )
    assert server_memory.users()[0].feedback == 3
    for bad in (
        {"type": "rating", "prompt": "p", "response": "r"},
        {"type": "choice", "prompt": "p", "options": ["a", "b"]},
        {"type": "choice", "prompt": "p", "options": ["a", "b"], "chosen": 5},
        {"type": "edit", "prompt": "p", "response": "same", "edited": "same"},
        {"type": "shrug", "prompt": "p"},
    ):
        response = client.post("/v1/users/ana/feedback", json=bad)
        assert response.status_code == 400, bad
        assert response.json()["error"]["type"] == "invalid_request_error"


def test_consolidate_and_forget(client: TestClient, server_memory: Memory) -> None:
    start = datetime(2026, 3, 1, tzinfo=UTC)
    for day in range(3):
        server_memory.add(
            "ana", "I love playing the harmonica in the evening", timestamp=start + timedelta(days=day)
        )
    summary = client.post("/v1/users/ana/consolidate").json()
    assert summary["users_processed"] == 1 and summary["kinds"] == {"genuine": 1}
    assert client.post("/v1/users/ana/consolidate", json={"force": True}).status_code == 200
    forgotten = client.delete("/v1/users/ana").json()
    assert forgotten["interactions"] == 3 and forgotten["preferences"] == 1
    assert server_memory.users() == []
    assert client.get("/v1/users/ana/preferences").status_code == 404


def test_keys_are_required_and_reach_only_their_user(make_app: AppFactory, server_memory: Memory) -> None:
    client = TestClient(make_app(keys=KEYS))
    ask = {"model": "m", "messages": [{"role": "user", "content": "hello from ana"}], "user": "bob"}
    missing = client.post("/v1/chat/completions", json=ask)
    assert missing.status_code == 401 and missing.json()["error"]["type"] == "authentication_error"
    assert missing.headers["www-authenticate"] == "Bearer"
    assert client.post("/v1/chat/completions", json=ask, headers=_as("key-eve")).status_code == 401
    assert client.get("/v1/models").status_code == 401
    assert client.post("/v1/chat/completions", json=ask, headers=_as("key-ana")).status_code == 200
    # the key decides the user, whatever the body says
    assert [u.user_id for u in server_memory.users()] == ["ana"]
    assert client.get("/v1/users/ana/episodes", headers=_as("key-ana")).status_code == 200
    for method, path in (
        ("GET", "/v1/users/ana/episodes"),
        ("GET", "/v1/users/ana/preferences"),
        ("POST", "/v1/users/ana/consolidate"),
        ("DELETE", "/v1/users/ana"),
        ("DELETE", "/v1/users/ana/preferences/p-123"),
    ):
        denied = client.request(method, path, headers=_as("key-bob"))
        assert denied.status_code == 403, path
        assert denied.json()["error"]["type"] == "permission_error"
        assert client.request(method, path).status_code == 401
    assert server_memory.users()[0].interactions == 1  # bob's key deleted nothing


def test_traces_belong_to_their_user(make_app: AppFactory) -> None:
    client = TestClient(make_app(keys=KEYS))
    body = {"model": "m", "messages": [{"role": "user", "content": "hi"}], "prefmem": {"trace": True}}
    reply = client.post("/v1/chat/completions", json=body, headers=_as("key-ana")).json()
    assert client.get(f"/v1/traces/{reply['id']}", headers=_as("key-ana")).status_code == 200
    assert client.get(f"/v1/traces/{reply['id']}", headers=_as("key-bob")).status_code == 403


def test_forget_drops_the_users_traces(make_app: AppFactory) -> None:
    client = TestClient(make_app(keys=KEYS))
    body = {"model": "m", "messages": [{"role": "user", "content": "hi there"}], "prefmem": {"trace": True}}
    replies = [client.post("/v1/chat/completions", json=body, headers=_as(key)).json() for key in KEYS]
    assert client.delete("/v1/users/ana", headers=_as("key-ana")).status_code == 200
    # the trace quotes ana's words: it goes with her memory; bob's stays
    assert client.get(f"/v1/traces/{replies[0]['id']}", headers=_as("key-ana")).status_code == 404
    assert client.get(f"/v1/traces/{replies[1]['id']}", headers=_as("key-bob")).status_code == 200


def test_bodies_over_the_limit_get_413(make_app: AppFactory, server_memory: Memory) -> None:
    client = TestClient(make_app(max_body_bytes=2048))
    big = {"model": "m", "user": "ana", "messages": [{"role": "user", "content": "word " * 1000}]}
    declared = client.post("/v1/chat/completions", json=big)
    assert declared.status_code == 413 and declared.json()["error"]["code"] == "request_too_large"

    def chunks() -> object:
        yield b'{"model": "m", "user": "ana", "messages": [{"role": "user", "content": "'
        for _ in range(100):
            yield b"word " * 10
        yield b'"}]}'

    undeclared = client.post(
        "/v1/chat/completions", content=chunks(), headers={"content-type": "application/json"}
    )
    assert undeclared.status_code == 413
    assert server_memory.users() == []
    small = {"model": "m", "user": "ana", "messages": [{"role": "user", "content": "word " * 100}]}
    assert client.post("/v1/chat/completions", json=small).status_code == 200


def test_api_keys_variable_format() -> None:
    assert parse_api_keys("k1=ana, k2=bob,") == {"k1": "ana", "k2": "bob"}
    assert parse_api_keys("") == {}
    for bad in ("k1", "=ana", "k1="):
        with pytest.raises(ConfigError):
            parse_api_keys(bad)
