"""`PrefmemRetriever`: one user's preferences and recalled exchanges, never another user's."""

from __future__ import annotations

from pathlib import Path

import pytest
from _langchain_fixtures import fill, open_memory
from pydantic import ValidationError

from prefmem.langchain import PrefmemRetriever


def test_returns_the_users_preferences_and_episodes(tmp_path: Path) -> None:
    with open_memory(tmp_path / "m") as memory:
        fill(memory)
        documents = PrefmemRetriever(memory=memory, user_id="ana", k=4).invoke("spices for a curry at home")
        kinds = [d.metadata["type"] for d in documents]
        assert kinds[0] == "preference" and "episode" in kinds  # preferences first, then exchanges
        preference = documents[0]
        assert preference.page_content == "Likes cooking spicy curries at home"
        assert preference.metadata["kind"] == "genuine"
        assert preference.id == memory.personalizing_preferences("ana")[0].id
        episodes = [d for d in documents if d.metadata["type"] == "episode"]
        assert all(d.metadata["user_id"] == "ana" for d in documents)
        scores = [d.metadata["score"] for d in episodes]
        assert scores == sorted(scores, reverse=True)
        assert {d.metadata["reply"] for d in episodes} <= {"Sounds tasty.", "Cumin and coriander."}
        # the same words said on three days are one document
        assert len({d.page_content for d in episodes}) == len(episodes) == 2


def test_never_returns_another_users_memory(tmp_path: Path) -> None:
    with open_memory(tmp_path / "m") as memory:
        fill(memory)
        # bob's own words, asked of ana's retriever: only ana's memory comes back
        for query in ["old maps of harbour towns", "Cooking curries bores me to tears"]:
            documents = PrefmemRetriever(memory=memory, user_id="ana", k=10).invoke(query)
            assert documents
            assert all(d.metadata["user_id"] == "ana" for d in documents)
            assert not any("maps" in d.page_content or "bores" in d.page_content for d in documents)
        bob = PrefmemRetriever(memory=memory, user_id="bob", k=10).invoke("cooking curries")
        assert bob and all(d.metadata["user_id"] == "bob" for d in bob)
        assert not any("spicy" in d.page_content for d in bob)


def test_include_k_and_mode_shape_the_result(tmp_path: Path) -> None:
    with open_memory(tmp_path / "m") as memory:
        fill(memory)
        only_preferences = PrefmemRetriever(memory=memory, user_id="ana", include=("preferences",), k=5)
        assert [d.metadata["type"] for d in only_preferences.invoke("curry")] == ["preference"]
        only_episodes = PrefmemRetriever(memory=memory, user_id="ana", include=("episodes",), mode="recency")
        recent = only_episodes.invoke("anything", k=3)
        assert [d.metadata["type"] for d in recent] == ["episode"] * 2  # two distinct things said
        assert [d.page_content for d in recent] == [  # newest first
            "Which spices go into a curry paste?",
            "I really enjoy cooking spicy curries at home",
        ]
        assert PrefmemRetriever(memory=memory, user_id="ana").invoke("curry", k=0) == []
        with pytest.raises(ValidationError):
            PrefmemRetriever(memory=memory, user_id="ana", include=())


def test_a_user_without_memory_gets_no_documents(tmp_path: Path) -> None:
    with open_memory(tmp_path / "m") as memory:
        fill(memory)
        assert PrefmemRetriever(memory=memory, user_id="nobody").invoke("curry") == []


async def test_async_invoke_gives_the_same_documents(tmp_path: Path) -> None:
    with open_memory(tmp_path / "m") as memory:
        fill(memory)
        retriever = PrefmemRetriever(memory=memory, user_id="ana", k=3)
        synchronous = retriever.invoke("spicy curry paste")
        assert [d.id for d in await retriever.ainvoke("spicy curry paste")] == [d.id for d in synchronous]
