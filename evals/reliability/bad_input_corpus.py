"""The bad-input corpus: malformed event logs, hostile text, unknown users and ids, hostile config
files (command line), and malformed requests (HTTP server). Each case is something a careless or
hostile user might send; none of it may crash the product or change what it holds."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

_WHEN = "2026-03-01T10:00:00Z"


def _event(**fields: Any) -> dict[str, Any]:
    return {
        "type": "message",
        "user_id": "ana",
        "session_id": "s",
        "timestamp": _WHEN,
        "role": "user",
        "content": "hello there",
        **fields,
    }


def _line(**fields: Any) -> bytes:
    return json.dumps(_event(**fields), ensure_ascii=False).encode() + b"\n"


def _choice(**fields: Any) -> bytes:
    event = {
        "type": "choice",
        "user_id": "ana",
        "session_id": "s",
        "timestamp": _WHEN,
        "prompt": "pick",
        "options": ["a", "b"],
        "chosen": 0,
        **fields,
    }
    return json.dumps(event).encode() + b"\n"


@dataclass
class CommandCase:
    """`prefmem ARGUMENTS`: `{config}` is the good config file, `{log}` a file holding `log`,
    `{bad_config}` a file holding `config_text` (where `{data}` is the good data folder),
    `{file}` a plain file, `{folder}` a folder."""

    name: str
    arguments: list[str]
    log: bytes = b""
    stdin: bytes = b""
    config_text: bytes = b""


@dataclass
class RequestCase:
    """One HTTP request: `body` is sent as raw bytes when it is bytes, else as JSON."""

    name: str
    method: str
    path: str
    body: Any = None
    params: dict[str, Any] = field(default_factory=dict)


_IMPORT = ["--config", "{config}", "import", "{log}"]
#: The start of a hostile config that is otherwise usable: the seeded data folder, fast embedder.
_USABLE = b"data_dir: {data}\nembedder: {backend: hashing}\n"
_BAD_CONFIG = ["--config", "{bad_config}", "episodes", "-u", "ana", "-q", "tea"]

COMMAND_CASES: list[CommandCase] = [
    # malformed event logs
    CommandCase("log: not JSON", _IMPORT, log=b"{not json\n"),
    CommandCase("log: a JSON array", _IMPORT, log=b"[1, 2, 3]\n"),
    CommandCase("log: unknown event type", _IMPORT, log=_line(type="telepathy")),
    CommandCase(
        "log: missing user",
        _IMPORT,
        log=json.dumps({k: v for k, v in _event().items() if k != "user_id"}).encode(),
    ),
    CommandCase("log: wrong type of timestamp", _IMPORT, log=_line(timestamp=[2026])),
    CommandCase("log: unparseable timestamp", _IMPORT, log=_line(timestamp="yesterday-ish")),
    CommandCase("log: content is a number", _IMPORT, log=_line(content=12)),
    CommandCase("log: chosen is text", _IMPORT, log=_choice(chosen="first")),
    CommandCase("log: chosen out of range", _IMPORT, log=_choice(chosen=7)),
    CommandCase("log: chosen is a huge number", _IMPORT, log=_choice(chosen=10**400)),
    CommandCase("log: chosen is 1e999", _IMPORT, log=_choice().replace(b'"chosen": 0', b'"chosen": 1e999')),
    CommandCase("log: invalid UTF-8", _IMPORT, log=_line(content="caf\u00e9").replace("é".encode(), b"\xe9")),
    CommandCase("log: lone surrogate", _IMPORT, log=_line(content="x").replace(b'"x"', b'"\\ud800 x"')),
    CommandCase("log: NUL in content", _IMPORT, log=_line(content="hello\u0000there")),
    CommandCase(
        "log: terminal escape in content", _IMPORT, log=_line(content="\u001b[2J\u001b[31mred alert")
    ),
    CommandCase("log: control characters in user id", _IMPORT, log=_line(user_id="ana\u0000\u0007")),
    CommandCase("log: line break in user id", _IMPORT, log=_line(user_id="ana\nbob")),
    CommandCase("log: empty user id", _IMPORT, log=_line(user_id="")),
    CommandCase("log: oversized user id", _IMPORT, log=_line(user_id="u" * 100_000)),
    CommandCase("log: oversized content", _IMPORT, log=_line(content="word " * 2000)),
    CommandCase("log: one 8 MB line", _IMPORT, log=_line(content="x" * 8_000_000)),
    CommandCase("log: deeply nested JSON", _IMPORT, log=b"[" * 200_000 + b"]" * 200_000 + b"\n"),
    CommandCase(
        "log: deeply nested metadata",
        _IMPORT,
        log=_line(metadata={}).replace(
            b'"metadata": {}', b'"metadata": ' + b'{"a":' * 50_000 + b"1" + b"}" * 50_000
        ),
    ),
    CommandCase(
        "log: a good line and a bad one", _IMPORT, log=_line(content="kept?") + _line(role="narrator")
    ),
    CommandCase("log: binary garbage", _IMPORT, log=bytes(range(256)) * 64),
    CommandCase("log: no such file", ["--config", "{config}", "import", "{folder}/missing.jsonl"]),
    CommandCase("log: a folder", ["--config", "{config}", "import", "{folder}"]),
    # hostile chat input (one message per line on standard input)
    CommandCase(
        "chat: invalid UTF-8", ["--config", "{config}", "chat", "-u", "ana"], stdin=b"caf\xe9 au lait\n"
    ),
    CommandCase(
        "chat: NUL and escapes", ["--config", "{config}", "chat", "-u", "ana"], stdin=b"hi\x00\x1b[2J\n"
    ),
    CommandCase(
        "chat: oversized message",
        ["--config", "{config}", "chat", "-u", "ana"],
        stdin=b"long " * 2000 + b"\n",
    ),
    CommandCase("chat: empty user", ["--config", "{config}", "chat", "-u", " "], stdin=b"hello\n"),
    CommandCase(
        "chat: control characters in user",
        ["--config", "{config}", "chat", "-u", "ana\x07\x1b[2J"],
        stdin=b"hello\n",
    ),
    # unknown users and ids
    CommandCase("unknown user: episodes", ["--config", "{config}", "episodes", "-u", "nobody"]),
    CommandCase("unknown user: consolidate", ["--config", "{config}", "consolidate", "-u", "nobody"]),
    CommandCase("unknown user: forget", ["--config", "{config}", "forget", "-u", "nobody", "--yes"]),
    CommandCase("unknown user: preferences", ["--config", "{config}", "preferences", "--user", "nobody"]),
    CommandCase("unknown id: explain", ["--config", "{config}", "preferences", "explain", "p-nothing"]),
    CommandCase("unknown id: confirm", ["--config", "{config}", "preferences", "confirm", "p-nothing"]),
    CommandCase(
        "unknown id: edit", ["--config", "{config}", "preferences", "edit", "p-nothing", "new words"]
    ),
    CommandCase("unknown id: delete", ["--config", "{config}", "preferences", "delete", "p-nothing"]),
    CommandCase(
        "bad value: recall mode", ["--config", "{config}", "episodes", "-u", "ana", "-m", "sideways"]
    ),
    CommandCase(
        "bad value: preference kind",
        ["--config", "{config}", "preferences", "--user", "ana", "--kind", "odd"],
    ),
    CommandCase(
        "bad value: rerank without candidates",
        ["--config", "{config}", "rerank", "-u", "ana", "-p", "hi", "-c", "{log}"],
        log=b"[]",
    ),
    CommandCase(
        "bad value: rerank NUL prompt",
        ["--config", "{config}", "rerank", "-u", "ana", "-p", "hi\x00", "-c", "{log}"],
        log=b'["one", "two"]',
    ),
    # hostile config files
    CommandCase("config: unknown key", _BAD_CONFIG, config_text=b"colour: blue\n"),
    CommandCase("config: unknown nested key", _BAD_CONFIG, config_text=b"episodic: {topk: 3}\n"),
    CommandCase("config: wrong type", _BAD_CONFIG, config_text=b"episodic: {top_k: many}\n"),
    CommandCase("config: section is a list", _BAD_CONFIG, config_text=b"episodic: [1, 2]\n"),
    CommandCase(
        "config: huge number",
        _BAD_CONFIG,
        config_text=_USABLE + b"server: {trace_cache: 1000000000000000000000000000000}\n",
    ),
    CommandCase("config: infinity", _BAD_CONFIG, config_text=_USABLE + b"reward: {relevance_weight: .inf}\n"),
    CommandCase(
        "config: not a number",
        _BAD_CONFIG,
        config_text=_USABLE + b"episodic: {recency_half_life_days: .nan}\n",
    ),
    CommandCase("config: negative count", _BAD_CONFIG, config_text=_USABLE + b"episodic: {top_k: -5}\n"),
    CommandCase("config: data folder is a file", _BAD_CONFIG, config_text=b"data_dir: {file}\n"),
    CommandCase("config: data folder under a file", _BAD_CONFIG, config_text=b"data_dir: {file}/inside\n"),
    CommandCase("config: data folder is a device", _BAD_CONFIG, config_text=b"data_dir: /dev/null\n"),
    CommandCase(
        "config: embedding model outside",
        _BAD_CONFIG,
        config_text=b"data_dir: {data}\nembedder: {backend: sentence-transformers, "
        b"model: /nonexistent/../../model}\n",
    ),
    CommandCase("config: invalid YAML", _BAD_CONFIG, config_text=b"episodic: [top_k\n"),
    CommandCase(
        "config: a Python object tag", _BAD_CONFIG, config_text=b"!!python/object/apply:os.system ['true']\n"
    ),
    CommandCase("config: top level is a list", _BAD_CONFIG, config_text=b"- a\n- b\n"),
    CommandCase("config: not UTF-8", _BAD_CONFIG, config_text=b"system_prompt: caf\xe9\n"),
    CommandCase(
        "config: alias bomb",
        _BAD_CONFIG,
        config_text=(
            b"a: &a [x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]\n"
            b"c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]\nd: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c]\n"
            b"e: [*d, *d, *d, *d, *d, *d, *d, *d, *d]\n"
        ),
    ),
    CommandCase("config: a folder", ["--config", "{folder}", "episodes", "-u", "ana"]),
    CommandCase("config: missing file", ["--config", "{folder}/missing.yaml", "episodes", "-u", "ana"]),
    CommandCase(
        "config: API keys of the wrong shape", _BAD_CONFIG, config_text=b"server: {api_keys: [a, b]}\n"
    ),
]

_CHAT = "/v1/chat/completions"


def _ask(content: Any, **fields: Any) -> dict[str, Any]:
    return {"model": "m", "user": "ana", "messages": [{"role": "user", "content": content}], **fields}


REQUEST_CASES: list[RequestCase] = [
    RequestCase("chat: not JSON", "POST", _CHAT, b"{not json"),
    RequestCase(
        "chat: invalid UTF-8",
        "POST",
        _CHAT,
        b'{"model": "m", "user": "ana", "messages": [{"role": "user", "content": "caf\xe9"}]}',
    ),
    RequestCase("chat: a JSON array", "POST", _CHAT, [1, 2]),
    RequestCase("chat: messages is text", "POST", _CHAT, {"model": "m", "user": "ana", "messages": "hi"}),
    RequestCase("chat: no messages", "POST", _CHAT, {"model": "m", "user": "ana", "messages": []}),
    RequestCase("chat: content is a number", "POST", _CHAT, _ask(12)),
    RequestCase("chat: NUL in content", "POST", _CHAT, _ask("hi\u0000there")),
    RequestCase("chat: terminal escape in content", "POST", _CHAT, _ask("\u001b[2Jhello")),
    RequestCase(
        "chat: lone surrogate",
        "POST",
        _CHAT,
        b'{"model": "m", "user": "ana", "messages": [{"role": "user", "content": "\\ud800 hi"}]}',
    ),
    RequestCase("chat: oversized content", "POST", _CHAT, _ask("word " * 2000)),
    RequestCase(
        "chat: deeply nested body", "POST", _CHAT, b'{"model": ' + b"[" * 50_000 + b"]" * 50_000 + b"}"
    ),
    RequestCase("chat: huge n", "POST", _CHAT, _ask("hi", n=10**30)),
    RequestCase("chat: temperature is text", "POST", _CHAT, _ask("hi", temperature="hot")),
    RequestCase("chat: oversized user", "POST", _CHAT, _ask("hi", user="u" * 10_000)),
    RequestCase("chat: control characters in user", "POST", _CHAT, _ask("hi", user="ana\u0000\u001b")),
    RequestCase(
        "chat: no user", "POST", _CHAT, {"model": "m", "messages": [{"role": "user", "content": "hi"}]}
    ),
    RequestCase(
        "chat: unknown role",
        "POST",
        _CHAT,
        {"model": "m", "user": "ana", "messages": [{"role": "oracle", "content": "hi"}]},
    ),
    RequestCase("chat: body over the limit", "POST", _CHAT, _ask("x" * 2_000_000)),
    RequestCase("chat: bad session id", "POST", _CHAT, _ask("hi", prefmem={"session_id": ""})),
    RequestCase("episodes: unknown user", "GET", "/v1/users/nobody/episodes"),
    RequestCase("episodes: negative k", "GET", "/v1/users/ana/episodes", params={"k": -1}),
    RequestCase("episodes: bad mode", "GET", "/v1/users/ana/episodes", params={"mode": "sideways"}),
    RequestCase("episodes: NUL in query", "GET", "/v1/users/ana/episodes", params={"query": "tea\u0000"}),
    RequestCase("preferences: unknown user", "GET", "/v1/users/nobody/preferences"),
    RequestCase("preferences: bad kind", "GET", "/v1/users/ana/preferences", params={"kind": "odd"}),
    RequestCase("preference: unknown id", "PATCH", "/v1/users/ana/preferences/p-nothing", {"statement": "x"}),
    RequestCase(
        "preference: NUL in statement",
        "PATCH",
        "/v1/users/ana/preferences/{preference}",
        {"statement": "likes\u0000tea"},
    ),
    RequestCase(
        "preference: empty statement", "PATCH", "/v1/users/ana/preferences/{preference}", {"statement": ""}
    ),
    RequestCase("preference: another user's", "DELETE", "/v1/users/bo/preferences/{preference}"),
    RequestCase(
        "feedback: rating of 3",
        "POST",
        "/v1/users/ana/feedback",
        {"type": "rating", "prompt": "x", "response": "y", "value": 3},
    ),
    RequestCase(
        "feedback: chosen out of range",
        "POST",
        "/v1/users/ana/feedback",
        {"type": "choice", "prompt": "x", "options": ["a", "b"], "chosen": 5},
    ),
    RequestCase(
        "feedback: NUL in prompt",
        "POST",
        "/v1/users/ana/feedback",
        {"type": "choice", "prompt": "x\u0000", "options": ["a", "b"], "chosen": 0},
    ),
    RequestCase(
        "feedback: unknown field",
        "POST",
        "/v1/users/ana/feedback",
        {"type": "choice", "prompt": "x", "options": ["a", "b"], "chosen": 0, "admin": True},
    ),
    RequestCase("consolidate: unknown user", "POST", "/v1/users/nobody/consolidate"),
    RequestCase("forget: unknown user", "DELETE", "/v1/users/nobody"),
    RequestCase("trace: unknown id", "GET", "/v1/traces/chatcmpl-nothing"),
]
