"""`PrefmemChatMessageHistory`: a LangChain chat history kept in prefmem's episodic store.

Every exchange written here is an ordinary prefmem interaction: it is recalled in later
conversations, feeds consolidation, and goes with `Memory.forget`.
"""

from __future__ import annotations

from collections.abc import Sequence

from langchain_core.chat_history import BaseChatMessageHistory
from langchain_core.messages import AIMessage, BaseMessage, HumanMessage, SystemMessage

from prefmem.api import Memory
from prefmem.memory.errors import InvalidInputError


class PrefmemChatMessageHistory(BaseChatMessageHistory):
    """The messages of one session of one user, stored as prefmem interactions.

    `add_messages` stores each user message together with the assistant message that
    follows it as one interaction (a user message with no reply yet, or a reply with no
    user message before it, is stored alone); system messages are instructions, not
    conversation, and are not stored; other kinds (tool calls, tool results) raise
    `InvalidInputError`. `messages` reads the session back, oldest first, from the store,
    so a new history over the same data folder sees what an earlier one wrote. `clear`
    removes this session's exchanges (and the preferences drawn only from them); the
    user's other sessions and feedback stay.
    """

    def __init__(self, memory: Memory, user_id: str, session_id: str = "default") -> None:
        if not isinstance(user_id, str) or not user_id.strip():
            raise InvalidInputError("the user id is empty")
        if not isinstance(session_id, str) or not session_id.strip():
            raise InvalidInputError("the session id is empty")
        self.memory = memory
        self.user_id = user_id
        self.session_id = session_id

    @property
    def messages(self) -> list[BaseMessage]:  # type: ignore[override]
        """The session's messages, oldest first: each exchange as a human then an AI message."""
        found: list[BaseMessage] = []
        for turn in self.memory.conversation(self.user_id, self.session_id):
            if turn.user_text:
                found.append(HumanMessage(content=turn.user_text))
            if turn.assistant_text:
                found.append(AIMessage(content=turn.assistant_text))
        return found

    def add_messages(self, messages: Sequence[BaseMessage]) -> None:
        """Store the messages in order, pairing each user message with the reply that follows."""
        pairs: list[tuple[str, str]] = []
        waiting: str | None = None
        for message in messages:
            if isinstance(message, SystemMessage):
                continue
            if isinstance(message, HumanMessage):
                if waiting is not None:
                    pairs.append((waiting, ""))
                waiting = message.text
            elif isinstance(message, AIMessage):
                pairs.append((waiting or "", message.text))
                waiting = None
            else:
                raise InvalidInputError(
                    f"a prefmem chat history stores user and assistant messages, not {message.type!r} ones"
                )
        if waiting is not None:
            pairs.append((waiting, ""))
        for said, reply in pairs:  # check every pair before storing any
            if not said.strip() and not reply.strip():
                raise InvalidInputError("an empty message cannot be stored")
        for said, reply in pairs:
            self.memory.add(self.user_id, said, reply, session_id=self.session_id)

    def clear(self) -> None:
        """Remove this session's exchanges from memory."""
        self.memory.clear_conversation(self.user_id, self.session_id)
