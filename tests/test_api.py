"""`prefmem.Memory`, end to end on an embedded Chroma store in tmp_path with the hashing embedder."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

import prefmem
from prefmem import Config, Memory, UnknownPreferenceError, UnknownUserError, UsageError
from prefmem.agent.cli.app import app
from prefmem.agent.config import load_config
from prefmem.memory.errors import ConfigError, EventLogError, InvalidInputError, StoreBusyError

DAY0 = datetime(2025, 3, 3, 9, 0, tzinfo=UTC)
FAST = {"embedder": {"backend": "hashing"}, "llm": {"backend": "scripted"}}


def day(number: int, minutes: int = 0) -> datetime:
    return DAY0 + timedelta(days=number, minutes=minutes)


@pytest.fixture
def data(tmp_path: Path) -> Path:
    return tmp_path / "data"


@pytest.fixture
def memory(data: Path) -> Iterator[Memory]:
    with Memory(data_dir=data, **FAST) as opened:
        yield opened


def _birdwatcher(memory: Memory, user: str = "ada") -> None:
    """Three days on which the user says the same thing, between unrelated requests."""
    for number in range(3):
        memory.add(
            user,
            "Honestly I adore birdwatching at dawn",
            "Lovely",
            timestamp=day(number),
            session_id=f"d{number}",
        )
        memory.add(
            user,
            "Can you suggest a recipe with lentils?",
            "Try a dal",
            timestamp=day(number, 5),
            session_id=f"d{number}",
        )


# -- the public surface ---------------------------------------------------------------------


def test_public_names_are_listed_and_importable() -> None:
    assert set(prefmem.__all__) == {
        "Config",
        "Memory",
        "PrefmemError",
        "UnknownPreferenceError",
        "UnknownUserError",
        "UsageError",
    }
    for name in prefmem.__all__:
        assert getattr(prefmem, name) is not None
    public_methods = {name for name in vars(Memory) if not name.startswith("_")}
    assert public_methods == {
        "add",
        "add_many",
        "add_events",
        "feedback",
        "users",
        "recall",
        "recall_preferences",
        "preferences",
        "explain",
        "rerank",
        "consolidate",
        "confirm",
        "edit",
        "delete",
        "forget",
        "close",
        "config",
        "personalizing_preferences",
        "conversation",
        "clear_conversation",
    }


# -- end to end --------------------------------------------------------------------------------


def test_add_recall_consolidate_and_the_users_decisions(memory: Memory) -> None:
    _birdwatcher(memory)
    memory.add("bo", "I adore birdwatching too", timestamp=day(0))

    newest = memory.recall("ada")  # no query: recency
    assert [e.interaction.user_text for e in newest[:2]] == [
        "Can you suggest a recipe with lentils?",
        "Honestly I adore birdwatching at dawn",
    ]
    assert len(newest) == memory.config.episodic.top_k
    similar = memory.recall("ada", "birdwatching at dawn", mode="similarity", k=2)
    assert [e.interaction.user_text for e in similar] == ["Honestly I adore birdwatching at dawn"] * 2
    assert all(e.similarity is not None and e.similarity > 0.5 for e in similar)
    hybrid = memory.recall("ada", "birdwatching at dawn", k=3)  # default mode: hybrid
    assert hybrid[0].interaction.timestamp == day(2)  # the most recent of the equally similar ones
    assert all(e.interaction.user_id == "ada" for e in hybrid)
    # a floor above every similarity leaves nothing
    assert memory.recall("ada", "birdwatching at dawn", min_similarity=1.01) == []

    summary = memory.consolidate()
    assert (summary.users_seen, summary.users_processed) == (2, 2)
    assert memory.consolidate().users_processed == 0  # nothing changed since
    [liked] = memory.preferences("ada", kinds=["genuine"])
    assert "birdwatching" in liked.statement and liked.support.occasions == 3
    assert memory.preferences("ada", kinds=["superseded"]) == []

    explanation = memory.explain("ada", liked.id)
    assert explanation.preference == liked
    assert [item.text for item in explanation.evidence] == ["Honestly I adore birdwatching at dawn"] * 3
    assert [item.timestamp for item in explanation.evidence] == [day(0), day(1), day(2)]

    assert memory.confirm("ada", liked.id).user_status == "confirmed"
    edited = memory.edit("ada", liked.id, "Loves watching birds early in the morning")
    assert edited.statement == "Loves watching birds early in the morning"
    assert memory.preferences("ada")[0].statement == edited.statement
    assert memory.delete("ada", liked.id).id == liked.id
    assert liked.id not in {p.id for p in memory.preferences("ada")}
    with pytest.raises(UnknownPreferenceError):
        memory.explain("ada", liked.id)


def test_sessions_are_read_back_in_order_and_cleared_one_at_a_time(memory: Memory) -> None:
    memory.add("ada", "Which trail is shortest?", "The river loop.", session_id="walks", timestamp=day(0))
    memory.add("ada", "", "Welcome back!", session_id="walks", timestamp=day(1))  # the assistant spoke first
    memory.add("ada", "Is it muddy?", session_id="walks", timestamp=day(2))
    memory.add("ada", "Any good bakeries?", session_id="food", timestamp=day(3))
    memory.add("bo", "Which trail is shortest?", session_id="walks", timestamp=day(0))
    walks = memory.conversation("ada", "walks")
    assert [(t.user_text, t.assistant_text) for t in walks] == [
        ("Which trail is shortest?", "The river loop."),
        ("", "Welcome back!"),
        ("Is it muddy?", ""),
    ]
    assert memory.conversation("nobody", "walks") == []
    assert memory.personalizing_preferences("nobody") == []
    assert memory.clear_conversation("ada", "walks") == 3
    assert memory.conversation("ada", "walks") == []
    assert [t.user_text for t in memory.conversation("ada", "food")] == ["Any good bakeries?"]
    assert [t.user_text for t in memory.conversation("bo", "walks")] == ["Which trail is shortest?"]
    assert memory.clear_conversation("ada", "walks") == 0
    assert memory.clear_conversation("nobody", "walks") == 0
    with pytest.raises(InvalidInputError, match="empty"):
        memory.add("ada", "", "")
    with pytest.raises(InvalidInputError, match="empty"):
        memory.add("ada", "   ")


def test_rerank_scores_with_terms_and_feedback_moves_the_users_coefficients(memory: Memory) -> None:
    prompt = "Which city is the capital of Peru?"
    terse = "Lima."
    wordy = (
        "The capital of Peru is Lima, a large coastal city founded in the sixteenth century that "
        "holds most of the country's government offices, universities and museums."
    )
    before = memory.rerank("cy", prompt, [wordy, terse])  # nothing known about cy: the population's reward
    assert sorted(c.index for c in before.candidates) == [0, 1]
    assert [c.score for c in before.candidates] == sorted((c.score for c in before.candidates), reverse=True)
    for candidate in before.candidates:
        assert candidate.score == pytest.approx(sum(candidate.terms.values()), abs=1e-5)

    for number in range(4):  # four days on which cy picks the short reply over a long one
        picked = memory.feedback(
            "cy",
            f"Tell me about topic {number}",
            options=[f"A long, detailed answer about topic {number}. " + wordy, f"Topic {number}, briefly."],
            chosen=1,
            timestamp=day(number),
        )
        assert picked.kind == "choice" and picked.chosen == 1
    after = memory.rerank("cy", prompt, [wordy, terse])
    assert before.coefficients["length"] == 0.0
    assert after.coefficients["length"] < 0.0
    terse_before = {c.index: c.score for c in before.candidates}[1]
    terse_after = {c.index: c.score for c in after.candidates}[1]
    assert terse_after > terse_before  # the short reply gained under cy's own reward

    rated = memory.feedback("cy", prompt, response=terse, value=1)
    assert rated.kind == "rating" and rated.value == 1
    assert [u.feedback for u in memory.users() if u.user_id == "cy"] == [5]


def test_add_events_takes_the_import_format_and_checks_every_event_first(memory: Memory) -> None:
    events: list[dict[str, Any] | str] = [
        {"type": "message", "user_id": "di", "session_id": "s", "timestamp": day(0), "role": "user",
         "content": "Is there a quiet beach near here?"},
        {"type": "message", "user_id": "di", "session_id": "s", "timestamp": day(0, 1), "role": "assistant",
         "content": "Try the north cove."},
        {"type": "choice", "user_id": "di", "session_id": "s", "timestamp": day(0, 2), "prompt": "Pick one",
         "options": ["cove", "pier"], "chosen": 0},
        json.dumps({"type": "answer", "user_id": "di", "session_id": "s", "timestamp": day(0, 3).isoformat(),
                    "item_id": "q-sea", "question": "Sea or lake?", "options": ["sea", "lake"], "chosen": 1}),
    ]  # fmt: skip
    assert memory.add_events(events) == 3  # the two messages pair into one interaction
    assert memory.add_events(events) == 0  # the same events again: already held
    [held] = memory.users()
    assert (held.user_id, held.interactions, held.feedback) == ("di", 1, 2)
    [turn] = memory.recall("di")
    assert (turn.interaction.user_text, turn.interaction.assistant_text) == (
        "Is there a quiet beach near here?",
        "Try the north cove.",
    )

    bad = [
        {"type": "message", "user_id": "ed", "session_id": "s", "timestamp": day(0), "role": "user",
         "content": "A fine message"},
        {"type": "choice", "user_id": "ed", "session_id": "s", "timestamp": day(0), "prompt": "p",
         "options": ["one", "two"], "chosen": 5},
        {"type": "shout", "user_id": "ed"},
    ]  # fmt: skip
    with pytest.raises(EventLogError) as caught:
        memory.add_events(bad)
    assert [number for number, _ in caught.value.problems] == [2, 3]
    assert [u.user_id for u in memory.users()] == ["di"]  # nothing of the batch was stored


def test_a_user_with_every_exchange_cleared_keeps_confirmed_preferences_until_forgotten(
    memory: Memory,
) -> None:
    for number in range(3):
        memory.add("cy", "Honestly I adore birdwatching at dawn", session_id="only", timestamp=day(number))
    memory.consolidate("cy")
    [liked] = memory.preferences("cy")
    memory.confirm("cy", liked.id)
    assert memory.clear_conversation("cy", "only") == 3
    assert [p.id for p in memory.preferences("cy")] == [liked.id]  # the user's word outlives its evidence
    assert [(u.user_id, u.interactions) for u in memory.users()] == [("cy", 0)]
    assert memory.forget("cy").preferences == 1
    assert memory.users() == []
    with pytest.raises(UnknownUserError):
        memory.preferences("cy")


def test_forget_removes_one_user_everywhere_and_survives_reopening(data: Path) -> None:
    with Memory(data_dir=data, **FAST) as memory:
        _birdwatcher(memory, "ada")
        _birdwatcher(memory, "bo")
        memory.feedback("ada", "Pick", options=["x", "y"], chosen=0, timestamp=day(0))
        memory.consolidate()
        held = len(memory.preferences("ada"))
        assert held >= 1
        removed = memory.forget("ada")
        assert (removed.interactions, removed.feedback, removed.preferences) == (6, 1, held)
        assert [u.user_id for u in memory.users()] == ["bo"]
        with pytest.raises(UnknownUserError):
            memory.recall("ada", "birdwatching")
        with pytest.raises(UnknownUserError):
            memory.forget("ada")
    with Memory(data_dir=data, **FAST) as reopened:
        assert [(u.user_id, u.interactions) for u in reopened.users()] == [("bo", 6)]
        assert len(reopened.preferences("bo")) == 1


# -- bad input ----------------------------------------------------------------------------------


def test_bad_input_raises_the_errors_of_memory_errors(memory: Memory) -> None:
    _birdwatcher(memory, "ada")
    _birdwatcher(memory, "bo")
    memory.consolidate()
    [theirs] = memory.preferences("bo")

    with pytest.raises(UnknownUserError):
        memory.recall("nobody", "anything")
    with pytest.raises(UnknownUserError):
        memory.preferences("nobody")
    with pytest.raises(UnknownUserError):
        memory.consolidate("nobody")
    with pytest.raises(UnknownPreferenceError):
        memory.explain("ada", "p-0000000000000000")
    # another user's preference is as unknown as a made-up id, for every operation
    for operation in (memory.explain, memory.confirm, memory.delete):
        with pytest.raises(UnknownPreferenceError):
            operation("ada", theirs.id)
    with pytest.raises(UnknownPreferenceError):
        memory.edit("ada", theirs.id, "something else")
    assert memory.preferences("bo") == [theirs]  # untouched

    with pytest.raises(InvalidInputError):
        memory.add("ada", "   ")
    with pytest.raises(InvalidInputError):
        memory.add("", "hello")
    with pytest.raises(InvalidInputError):
        memory.add("ada", "x" * (memory.config.assistant.max_message_chars + 1))
    with pytest.raises(InvalidInputError):
        memory.recall("ada", "birds", mode="sideways")  # type: ignore[arg-type]
    with pytest.raises(InvalidInputError):
        memory.preferences("ada", kinds=["lukewarm"])  # type: ignore[list-item]
    with pytest.raises(InvalidInputError):
        memory.rerank("ada", "question", [])
    with pytest.raises(InvalidInputError):
        memory.rerank("ada", "question", ["fine", "  "])
    with pytest.raises(InvalidInputError):
        memory.feedback("ada", "Pick", options=["only one"], chosen=0)
    with pytest.raises(InvalidInputError):
        memory.feedback("ada", "Rate", response="reply", value=3)
    with pytest.raises(InvalidInputError):
        memory.edit("ada", memory.preferences("ada")[0].id, "   ")
    # control characters: in text (NUL, terminal escapes) and in ids (line breaks too)
    for bad in (
        lambda: memory.add("ada", "hello\x00there"),
        lambda: memory.add("ada", "\x1b[2Jhello"),
        lambda: memory.add("ada\nbo", "hello"),
        lambda: memory.add("a" * 201, "hello"),
        lambda: memory.add("ada", "hello", session_id="s\x07"),
        lambda: memory.edit("ada", memory.preferences("ada")[0].id, "likes\x00birds"),
        lambda: memory.feedback("ada", "Pick\x00", options=["a", "b"], chosen=0),
        lambda: memory.recall("ada", "birds\x1b"),
    ):
        with pytest.raises(InvalidInputError, match=r"control character|characters long"):
            bad()
    assert memory.add("ada", "two lines\n\tand a tab")
    assert all(isinstance(error, UsageError) for error in (InvalidInputError("x"), ConfigError("x")))


def test_settings_errors_and_lifetime(data: Path) -> None:
    with pytest.raises(ConfigError, match="unknown setting 'episodes'"):
        Memory(data_dir=data, episodes={"top_k": 3})
    with pytest.raises(ConfigError, match=r"episodic\.top_k"):
        Memory(data_dir=data, episodic={"top_k": -1}, **FAST)
    with pytest.raises(ConfigError, match="config file not found"):
        Memory(data / "missing.yaml")

    memory = Memory(data_dir=data, **FAST)
    with pytest.raises(StoreBusyError):
        Memory(data_dir=data, **FAST)  # one process at a time owns the data folder
    memory.close()
    memory.close()  # idempotent
    with pytest.raises(UsageError, match="closed"):
        memory.users()
    with Memory(data_dir=data, **FAST) as again:  # the folder was released
        assert again.users() == []


# -- configuration: the same models and defaults as the command line ---------------------------


def test_defaults_are_the_config_models_and_overrides_merge_into_sections(data: Path) -> None:
    with Memory(data_dir=data, **FAST) as memory:
        expected = Config().model_copy(
            update={
                "data_dir": data,
                "embedder": Config().embedder.model_copy(update={"backend": "hashing"}),
                "llm": Config().llm.model_copy(update={"backend": "scripted"}),
            }
        )
        assert memory.config == expected
    with Memory(data_dir=data, episodic={"top_k": 2}, **FAST) as memory:
        assert memory.config.episodic.top_k == 2
        # merged into the section, not replacing it
        assert memory.config.episodic.min_similarity == Config().episodic.min_similarity


def test_a_config_file_means_the_same_to_the_api_and_the_command_line(tmp_path: Path, data: Path) -> None:
    config_file = tmp_path / "settings.yaml"
    config_file.write_text(
        f"data_dir: {data}\nembedder: {{backend: hashing}}\n"
        "episodic: {top_k: 2, recall_mode: similarity}\n",
        encoding="utf-8",
    )
    with Memory(config_file) as memory:
        assert memory.config == load_config(config_file)
        _birdwatcher(memory)
        memory.consolidate()
        recalled = [e.id for e in memory.recall("ada", "birdwatching")]
        preferences = [p.id for p in memory.preferences("ada")]
    assert len(recalled) == 2

    # the command line reads what the API wrote, the same way
    runner = CliRunner()
    listed = runner.invoke(app, ["--config", str(config_file), "preferences", "--user", "ada", "--json"])
    assert listed.exit_code == 0, listed.output
    assert [p["id"] for p in json.loads(listed.stdout)] == preferences
    episodes = ["episodes", "--user", "ada", "-q", "birdwatching", "-k", "2", "--json"]
    shown = runner.invoke(app, ["--config", str(config_file), *episodes])
    assert shown.exit_code == 0, shown.output
    assert [e["id"] for e in json.loads(shown.stdout)] == recalled


def test_an_embedder_object_is_shared_instead_of_built(data: Path) -> None:
    from prefmem.memory.embeddings.fake import HashingEmbedder

    embedder = HashingEmbedder(64)
    with Memory(data_dir=data, embedder=embedder) as memory:
        memory.add("ada", "Honestly I adore birdwatching at dawn")
        [found] = memory.recall("ada", "birdwatching", mode="similarity", min_similarity=-1)
        expected = embedder.embed("birdwatching") @ embedder.embed("Honestly I adore birdwatching at dawn")
        assert found.similarity == pytest.approx(float(expected), abs=1e-5)


# -- threads -----------------------------------------------------------------------------------


def test_threads_adding_and_recalling_for_different_users_lose_nothing_and_never_mix(memory: Memory) -> None:
    users = [f"user-{n}" for n in range(4)]
    per_user = 25
    failures: list[BaseException] = []
    start = threading.Barrier(len(users))

    def work(user: str) -> None:
        try:
            start.wait()
            for number in range(per_user):
                memory.add(user, f"{user} note {number}: I keep a diary of {user} things", f"noted {number}")
                for episode in memory.recall(user, f"diary of {user} things", k=3):
                    assert episode.interaction.user_id == user
                    assert episode.interaction.user_text.startswith(user + " ")
                if number % 3 == 2:  # the writes of the semantic and coefficient stores, too
                    memory.feedback(user, f"Pick {number}", options=["one", "two"], chosen=number % 2)
                    memory.consolidate(user)
                    assert all(p.user_id == user for p in memory.preferences(user))
        except BaseException as error:
            failures.append(error)

    threads = [threading.Thread(target=work, args=(user,)) for user in users]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert failures == []
    held = {(u.user_id, u.interactions, u.feedback) for u in memory.users()}
    assert held == {(user, per_user, per_user // 3) for user in users}
    for user in users:
        newest_first = [e.interaction.user_text for e in memory.recall(user, k=per_user)]
        said = [f"{user} note {n}: I keep a diary of {user} things" for n in range(per_user)]
        assert newest_first == said[::-1]


def test_add_many_stores_exchanges_in_one_call_or_none(tmp_path: Path) -> None:
    with Memory(data_dir=tmp_path / "data", embedder={"backend": "hashing"}) as memory:
        ids = memory.add_many(
            [
                {"user_id": "ada", "message": "I collect old maps", "reply": "Nice."},
                {"user_id": "bo", "message": "I brew cider", "session_id": "s2"},
                {"user_id": "ada", "message": "maps of coastlines mostly"},
            ]
        )
        assert len(ids) == 3 and len(set(ids)) == 3
        texts = [e.interaction.user_text for e in memory.recall("ada", None)]
        assert texts == ["maps of coastlines mostly", "I collect old maps"]  # kept in order
        assert memory.recall("bo", None)[0].interaction.session_id == "s2"
        for bad in (
            {"user_id": "cy", "message": "  "},
            {"user_id": "cy"},
            {"user_id": "cy", "message": "x", "mood": 1},
        ):
            with pytest.raises(InvalidInputError, match="exchange 0"):
                memory.add_many([bad])
        with pytest.raises(InvalidInputError, match="exchange 1"):
            memory.add_many([{"user_id": "cy", "message": "fine"}, {"user_id": "cy", "message": ""}])
        assert "cy" not in {u.user_id for u in memory.users()}  # nothing of a bad batch is stored
