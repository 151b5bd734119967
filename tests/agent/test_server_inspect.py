"""The routes behind the web page: explanation, recall side by side, the page and its settings."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta

from fastapi import FastAPI
from fastapi.testclient import TestClient

from prefmem import Memory

AppFactory = Callable[..., FastAPI]
KEYS = {"key-ana": "ana", "key-bob": "bob"}
HARMONICA = "I love playing the harmonica in the evening"
TOMATOES = "I really enjoy growing tomatoes in my garden"


def _said_on_three_days(memory: Memory, user: str, *texts: str) -> None:
    start = datetime(2026, 3, 1, tzinfo=UTC)
    for day in range(3):
        for text in texts:
            memory.add(user, text, "noted", timestamp=start + timedelta(days=day))
    memory.consolidate(user)


def _as(key: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {key}"}


def test_recall_side_by_side_has_three_episodic_columns_and_a_semantic_one(
    client: TestClient, server_memory: Memory
) -> None:
    _said_on_three_days(server_memory, "ana", HARMONICA, TOMATOES)
    server_memory.add("ana", "remind me to call the plumber")
    body = client.post("/v1/users/ana/recall", json={"query": "harmonica in the evening", "k": 3}).json()
    assert body["query"] == "harmonica in the evening"
    columns = body["columns"]
    assert list(columns) == ["similarity", "recency", "hybrid", "semantic"]
    assert columns["similarity"][0]["interaction"]["user_text"] == HARMONICA
    assert columns["recency"][0]["interaction"]["user_text"] == "remind me to call the plumber"
    assert all(len(column) <= 3 for column in columns.values())
    assert all(e["similarity"] is not None for e in columns["similarity"] + columns["hybrid"])
    semantic = columns["semantic"]
    assert [s["preference"]["kind"] for s in semantic] == ["genuine", "genuine"]
    assert "harmonica" in semantic[0]["preference"]["statement"].lower()
    assert semantic[0]["similarity"] > semantic[1]["similarity"]
    same = client.get("/v1/users/ana/recall", params={"query": "harmonica in the evening", "k": 3}).json()
    assert same == body


def test_semantic_recall_orders_by_the_message_and_keeps_everything_fed_forward(
    server_memory: Memory,
) -> None:
    _said_on_three_days(server_memory, "ana", HARMONICA, TOMATOES)
    garden = server_memory.recall_preferences("ana", "tomatoes growing in the garden")
    music = server_memory.recall_preferences("ana", "playing harmonica")
    assert "tomatoes" in garden[0].preference.statement.lower()
    assert "harmonica" in music[0].preference.statement.lower()
    assert {p.preference.id for p in garden} == {p.id for p in server_memory.personalizing_preferences("ana")}
    unordered = server_memory.recall_preferences("ana", None)
    assert [p.similarity for p in unordered] == [None, None]
    assert server_memory.recall_preferences("ana", "x", k=1)[0].preference.id in {
        p.preference.id for p in garden
    }
    assert server_memory.recall_preferences("nobody", "anything") == []


def test_recall_without_a_message_or_a_past_is_empty_where_it_must_be(
    client: TestClient, server_memory: Memory
) -> None:
    fresh = client.get("/v1/users/newcomer/recall", params={"query": "hello"}).json()["columns"]
    assert fresh == {"similarity": [], "recency": [], "hybrid": [], "semantic": []}
    server_memory.add("ana", "my cat is called Miso")
    newest = client.post("/v1/users/ana/recall", json={}).json()
    assert newest["query"] is None
    assert newest["columns"]["similarity"] == [] and newest["columns"]["hybrid"] == []
    assert [e["interaction"]["user_text"] for e in newest["columns"]["recency"]] == ["my cat is called Miso"]
    assert client.post("/v1/users/ana/recall", json={"k": 101}).status_code == 400
    assert client.post("/v1/users/ana/recall", json={"mode": "x"}).status_code == 400


def test_explanation_lists_the_evidence(client: TestClient, server_memory: Memory) -> None:
    _said_on_three_days(server_memory, "ana", HARMONICA)
    [preference] = server_memory.preferences("ana")
    found = client.get(f"/v1/users/ana/preferences/{preference.id}/explanation")
    assert found.status_code == 200
    body = found.json()
    assert body["preference"]["id"] == preference.id and body["preference"]["reason"]
    assert [e["text"] for e in body["evidence"]] == [HARMONICA] * 3
    missing = client.get("/v1/users/ana/preferences/nope/explanation")
    assert missing.status_code == 404 and missing.json()["error"]["code"] == "unknown_preference"


def test_keys_guard_the_new_routes(make_app: AppFactory, server_memory: Memory) -> None:
    _said_on_three_days(server_memory, "ana", HARMONICA)
    [preference] = server_memory.preferences("ana")
    client = TestClient(make_app(keys=KEYS))
    explanation = f"/v1/users/ana/preferences/{preference.id}/explanation"
    for method, path in (
        ("GET", explanation),
        ("GET", "/v1/users/ana/recall"),
        ("POST", "/v1/users/ana/recall"),
    ):
        assert client.request(method, path, json={}).status_code == 401
        assert client.request(method, path, json={}, headers=_as("key-bob")).status_code == 403
        assert client.request(method, path, json={}, headers=_as("key-ana")).status_code == 200
    assert client.get("/web/me").status_code == 401
    assert client.get("/web/me", headers=_as("wrong")).status_code == 401
    assert client.get("/web/me", headers=_as("key-bob")).json() == {"user_id": "bob"}
    assert client.get("/web/settings").json()["api_keys"] is True


def test_the_page_and_its_files_are_served_from_this_host_only(client: TestClient) -> None:
    page = client.get("/")
    assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
    policy = page.headers["content-security-policy"]
    assert "default-src 'self'" in policy and "script-src 'self'" in policy
    assert '<script src="/static/app.js"' in page.text and "http" not in page.text.replace("http-equiv", "")
    for name, kind in (("app.js", "javascript"), ("app.css", "text/css")):
        served = client.get(f"/static/{name}")
        assert served.status_code == 200 and kind in served.headers["content-type"]
        assert "http://" not in served.text and "https://" not in served.text
    settings = client.get("/web/settings").json()
    assert settings["api_keys"] is False and settings["model"] == "prefmem"
    assert client.get("/web/me").json() == {"user_id": None}
    assert "/" not in client.get("/openapi.json").json()["paths"]
