"""The server over real HTTP on a loopback port: the official `openai` client, and streams.

These run uvicorn in a background thread (`serve_in_thread`), as `prefmem serve` runs it.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Callable, Iterator, Sequence
from typing import Any

import httpx
import openai
import pytest
from fastapi import FastAPI

from prefmem import Memory
from prefmem.agent.llm.base import ChatMessage
from prefmem.agent.llm.scripted import ScriptedChatModel
from prefmem.agent.server.background import serve_in_thread

AppFactory = Callable[..., FastAPI]


def test_the_openai_client_chats_streams_and_reads_errors(
    make_app: AppFactory, server_memory: Memory
) -> None:
    app = make_app(keys={"key-ana": "ana", "key-bob": "bob"})
    with serve_in_thread(app) as url:
        client = openai.OpenAI(base_url=f"{url}/v1", api_key="key-ana", max_retries=0)
        assert [m.id for m in client.models.list()] == ["prefmem"]
        reply = client.chat.completions.create(
            model="prefmem", messages=[{"role": "user", "content": "I keep bees in my garden"}]
        )
        assert reply.choices[0].message.content == "You said: I keep bees in my garden"
        stream = client.chat.completions.create(
            model="prefmem",
            messages=[{"role": "user", "content": "what do my bees need in winter?"}],
            stream=True,
            extra_body={"prefmem": {"trace": True}},
        )
        chunks = list(stream)
        text = "".join(c.choices[0].delta.content or "" for c in chunks if c.choices)
        assert text == "You said: what do my bees need in winter?"
        trace = (chunks[-1].model_extra or {})["prefmem_trace"]
        assert [e["interaction"]["user_text"] for e in trace["recalled"]] == ["I keep bees in my garden"]
        three = client.chat.completions.create(
            model="prefmem", messages=[{"role": "user", "content": "hello"}], n=3
        )
        assert [c.index for c in three.choices] == [0, 1, 2]
        with pytest.raises(openai.AuthenticationError):
            openai.OpenAI(base_url=f"{url}/v1", api_key="wrong", max_retries=0).models.list()
        with pytest.raises(openai.PermissionDeniedError):
            client.get("/users/bob/episodes", cast_to=object)
        with pytest.raises(openai.BadRequestError):
            client.chat.completions.create(model="prefmem", messages=[{"role": "assistant", "content": "x"}])
    episodes = server_memory.recall("ana", None, k=10)
    assert len(episodes) == 3


class _Gated(ScriptedChatModel):
    """Streams its first piece, then waits until the test lets it finish."""

    def __init__(self) -> None:
        super().__init__()
        self.release = threading.Event()

    def stream(self, messages: Sequence[ChatMessage], **options: Any) -> Iterator[str]:
        yield "first "
        assert self.release.wait(30)
        yield "and last"


def test_a_streamed_exchange_is_stored_when_the_stream_ends(
    make_app: AppFactory, server_memory: Memory
) -> None:
    upstream = _Gated()
    app = make_app(llm=upstream, stream_rerank=False)
    body = {"model": "m", "user": "ana", "stream": True, "messages": [{"role": "user", "content": "hi"}]}
    with (
        serve_in_thread(app) as url,
        httpx.stream("POST", f"{url}/v1/chat/completions", json=body) as response,
    ):
        lines = response.iter_lines()
        seen: list[str] = []
        for line in lines:
            if line.startswith("data: ") and "first" in line:
                seen.append(line)
                break
        assert seen  # the first piece arrived while the upstream was still writing
        assert server_memory.users() == []  # nothing stored mid-stream
        upstream.release.set()
        rest = [line[6:] for line in lines if line.startswith("data: ")]
    assert rest[-1] == "[DONE]"
    assert json.loads(rest[-2])["choices"][0]["finish_reason"] == "stop"
    [episode] = server_memory.recall("ana", None)
    assert episode.interaction.assistant_text == "first and last"


def test_requests_run_concurrently_and_each_is_stored_once(
    make_app: AppFactory, server_memory: Memory
) -> None:
    """With write-behind (the default) too: the server stores what is queued before it stops."""
    app = make_app(write_behind=True)
    with serve_in_thread(app) as url:

        def ask(number: int) -> int:
            body = {
                "model": "m",
                "user": f"u{number % 4}",
                "messages": [{"role": "user", "content": f"note {number}"}],
            }
            return httpx.post(f"{url}/v1/chat/completions", json=body, timeout=60).status_code

        threads_results: list[int] = []
        workers = [threading.Thread(target=lambda n=n: threads_results.append(ask(n))) for n in range(24)]
        for worker in workers:
            worker.start()
        for worker in workers:
            worker.join()
    assert threads_results == [200] * 24
    stored = sorted(
        e.interaction.user_text for u in range(4) for e in server_memory.recall(f"u{u}", None, k=50)
    )
    assert stored == sorted(f"note {n}" for n in range(24))
