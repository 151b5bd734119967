"""Records that older versions kept in Chroma (text as metadata) move into the text store on open."""

from __future__ import annotations

import hashlib
from pathlib import Path

from _helpers import close_store, interaction, rating

from prefmem.memory.embeddings.fake import HashingEmbedder
from prefmem.memory.episodic.chroma import ChromaEpisodicStore
from prefmem.memory.episodic.chroma_index import settings
from prefmem.memory.models import Feedback, Interaction

MARKER = "quokkaflute"


def _older_store(folder: Path, records: list[Interaction | Feedback]) -> None:
    """Write records the way older versions did: a collection per user and kind, named by a plain
    digest of the user id, each record's JSON as metadata."""
    import chromadb

    embedder = HashingEmbedder()
    client = chromadb.PersistentClient(path=str(folder), settings=settings())
    for record in records:
        prefix = "ep" if isinstance(record, Interaction) else "fb"
        name = f"{prefix}-{hashlib.sha256(record.user_id.encode()).hexdigest()[:40]}"
        collection = client.get_or_create_collection(
            name,
            embedding_function=None,
            metadata={"hnsw:space": "cosine", "user_id": record.user_id, "embedder": embedder.name},
        )
        collection.add(
            ids=[record.record_id()],
            embeddings=embedder.embed_batch([record.embedding_text()]),
            metadatas=[{"record": record.model_dump_json()}],
        )
    if hasattr(client, "close"):
        client.close()


def test_older_records_move_out_of_chroma(tmp_path: Path) -> None:
    folder = tmp_path / "episodic"
    _older_store(
        folder,
        [
            interaction("ada", f"I collect {MARKER} recordings", minutes=0),
            interaction("ada", "Book a table by the window", minutes=5),
            rating("ada", "Pick a song", f"{MARKER} solo", 1),
            interaction("bo", "I swim on mondays"),
        ],
    )
    assert MARKER.encode() in (folder / "chroma.sqlite3").read_bytes()  # the test can fail

    store = ChromaEpisodicStore.persistent(folder, HashingEmbedder())
    try:
        assert [(u.user_id, u.interactions, u.feedback) for u in store.users()] == [
            ("ada", 2, 1),
            ("bo", 1, 0),
        ]
        found = store.recall("ada", f"{MARKER} recordings", mode="similarity", k=1)
        assert [e.interaction.user_text for e in found] == [f"I collect {MARKER} recordings"]
        assert [f.response for f in store.feedback("ada")] == [f"{MARKER} solo"]
        names = [name for name, _ in store._index.collections()]
        assert names and not any(name.startswith(("ep-", "fb-")) for name in names)
    finally:
        close_store(store)
    # Chroma's own files no longer hold the text: it lives in the text store alone
    chroma_files = [p for p in folder.rglob("*") if p.is_file() and p.name != "texts.sqlite3"]
    assert not [p for p in chroma_files if MARKER.encode() in p.read_bytes()]
