"""Optional LLM backend: an OpenAI-compatible chat endpoint proposes a semantic query or SQL."""

from customer360.assistant.llm.backend import LLMBackend
from customer360.assistant.llm.client import ChatClient, LLMUnavailableError
from customer360.assistant.llm.settings import LLMSettings

__all__ = ["ChatClient", "LLMBackend", "LLMSettings", "LLMUnavailableError"]
