"""prefmem inside a LangChain chain: a retriever for context, a personalizing chat model.

The chain is `{context: retriever, question} | prompt | PersonalizedChatModel(llm)`:
`PrefmemRetriever` puts the user's relevant past exchanges into the prompt, and
`PersonalizedChatModel` adds the user's preferences, samples three candidate replies from
the wrapped chat model, answers with the one the user's reward ranks first and remembers
the exchange. The user is chosen per call, in the run's `configurable`.

Runs offline in a few seconds: the hashing embedder and a fake chat model whose three
candidates are fixed. `--chat-model PROVIDER:MODEL` uses a real one through LangChain's
`init_chat_model` (e.g. `openai:gpt-4o-mini`, with its integration package and key);
`--real-embedder` uses the packaged sentence-transformers model, which understands
paraphrases. Usage: python examples/langchain_chain.py [DATA_FOLDER] [--chat-model M]
[--real-embedder] (default folder: a temporary one, removed afterwards).
"""

from __future__ import annotations

import argparse
import itertools
import tempfile
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from operator import itemgetter
from pathlib import Path
from typing import Any

from langchain_core.documents import Document
from langchain_core.language_models import BaseChatModel
from langchain_core.language_models.fake_chat_models import GenericFakeChatModel
from langchain_core.messages import AIMessage
from langchain_core.prompts import ChatPromptTemplate
from langchain_core.runnables import RunnableLambda

from prefmem import Memory
from prefmem.langchain import PersonalizedChatModel, PrefmemRetriever

QUESTION = "What could I do on Saturday morning near the quiet lakes?"
FAKE_CANDIDATES = [
    "You could visit the new shopping mall downtown.",
    "Take your kayak out on a quiet lake at sunrise.",
    "Catch up on sleep and stay in.",
]


def chat_model(name: str | None) -> BaseChatModel:
    """The model that writes the candidates: a real one by name, or a fake with fixed replies."""
    if name:
        from langchain.chat_models import init_chat_model

        model: BaseChatModel = init_chat_model(name, temperature=0.9)  # candidates must differ
        return model
    return GenericFakeChatModel(messages=itertools.cycle([AIMessage(text) for text in FAKE_CANDIDATES]))


def as_context(documents: Sequence[Document]) -> str:
    return "\n".join(f"- {d.page_content}" for d in documents) or "- (nothing yet)"


def main(data_dir: Path, *, model_name: str | None, real_embedder: bool) -> None:
    settings: dict[str, Any] = {} if real_embedder else {"embedder": {"backend": "hashing"}}
    with Memory(data_dir=data_dir, **settings) as memory:
        # Earlier conversations of the user, over three days (a chat app would store these as they happen).
        start = datetime(2025, 6, 2, 18, 0, tzinfo=UTC)
        for day in range(3):
            moment = start + timedelta(days=day)
            memory.add(
                "maya", "I love paddling my kayak on quiet lakes", "Sounds peaceful!", timestamp=moment
            )
            memory.add(
                "maya", "How do I patch a small hole in a kayak?", "Use a repair kit.", timestamp=moment
            )
        memory.consolidate("maya")
        for preference in memory.personalizing_preferences("maya"):
            print(f"preference {preference.kind}: {preference.statement}")

        retriever = PrefmemRetriever(memory=memory, user_id="maya", include=("episodes",), k=2)
        prompt = ChatPromptTemplate.from_messages(
            [
                ("system", "You plan weekends. Earlier, the user said:\n{context}"),
                ("human", "{question}"),
            ]
        )
        personalized = PersonalizedChatModel(
            llm=chat_model(model_name), memory=memory, candidates=3, recall_k=0
        )
        chain = (
            {
                "context": itemgetter("question") | retriever | RunnableLambda(as_context),
                "question": itemgetter("question"),
            }
            | prompt
            | personalized
        )
        print(f"context:\n{as_context(retriever.invoke(QUESTION))}")
        # The retriever is built for one user; the chat model takes the user from the run.
        reply = chain.invoke(
            {"question": QUESTION}, config={"configurable": {"user_id": "maya", "session_id": "weekend"}}
        )

        for candidate in reply.response_metadata["prefmem"]["candidates"]:
            print(f"candidate {candidate['score']:+.3f}: {candidate['text']}")
        print(f"reply: {reply.text}")
        stored = memory.conversation("maya", "weekend")
        print(f"remembered {len(stored)} exchange(s) in session 'weekend': {stored[-1].user_text}")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("data_dir", nargs="?", type=Path, help="data folder (default: a temporary one)")
    parser.add_argument("--chat-model", help="a real chat model for init_chat_model, e.g. openai:gpt-4o-mini")
    parser.add_argument(
        "--real-embedder", action="store_true", help="use the packaged sentence-transformers model"
    )
    arguments = parser.parse_args()
    options = {"model_name": arguments.chat_model, "real_embedder": arguments.real_embedder}
    if arguments.data_dir is not None:
        main(arguments.data_dir, **options)
    else:
        with tempfile.TemporaryDirectory(prefix="prefmem-example-") as folder:
            main(Path(folder), **options)
