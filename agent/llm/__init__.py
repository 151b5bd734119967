"""Chat models: one base class, one module per backend (local transformers, LangChain, scripted)."""

from prefmem.agent.llm.base import ChatMessage, ChatModel
from prefmem.agent.llm.scripted import ScriptedChatModel

__all__ = ["ChatMessage", "ChatModel", "ScriptedChatModel"]
