"""Chat models: one base class, one module per backend (local transformers, LangChain, scripted)."""

from agent.llm.base import ChatMessage, ChatModel
from agent.llm.scripted import ScriptedChatModel

__all__ = ["ChatMessage", "ChatModel", "ScriptedChatModel"]
