"""`prefmem serve`: an OpenAI-compatible HTTP API with memory, in front of any chat model.

`create_app` builds the FastAPI application over a `prefmem.Memory` and a `ChatModel`
(the configured upstream: the embedded model, a LangChain model or an OpenAI-compatible
URL). Modules: `app` (the factory and the body-size limit), `auth` (API keys to users),
`errors` (OpenAI's error shape), `schemas` (request and response bodies), `completion`
(one chat turn: recall, prompt, sample, rank, remember), `streaming` (server-sent events),
`routes_chat` and `routes_users` (the endpoints).
"""

from prefmem.agent.server.app import create_app

__all__ = ["create_app"]
