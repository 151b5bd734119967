"""The official `openai` client talking to `prefmem serve`: a reply, a stream, the trace, memory.

Start the server first, in another terminal (the embedded model answers by default):

    prefmem serve                      # http://127.0.0.1:8080/v1

then run: python examples/openai_client.py [BASE_URL] [API_KEY]. Any API key text works when
the server has no keys (server.api_keys / $PREFMEM_API_KEYS); with keys, the key decides the
user and the `user` field below is ignored.
"""

from __future__ import annotations

import sys

from openai import OpenAI

USER = "sam"


def main(base_url: str, api_key: str) -> None:
    client = OpenAI(base_url=base_url, api_key=api_key)

    # A plain reply: the exchange is remembered for this user.
    reply = client.chat.completions.create(
        model="prefmem",
        user=USER,
        messages=[{"role": "user", "content": "I am learning the violin and I practise every morning."}],
    )
    print("reply:", reply.choices[0].message.content)

    # A streamed reply, printed as it arrives; recalled memory shapes the prompt.
    print("streamed: ", end="", flush=True)
    stream = client.chat.completions.create(
        model="prefmem",
        user=USER,
        stream=True,
        messages=[{"role": "user", "content": "What should I practise on the violin this week?"}],
    )
    for chunk in stream:
        if chunk.choices and chunk.choices[0].delta.content:
            print(chunk.choices[0].delta.content, end="", flush=True)
    print()

    # The trace, only when asked for: what was recalled and how each candidate scored.
    traced = client.chat.completions.create(
        model="prefmem",
        user=USER,
        messages=[{"role": "user", "content": "How should I practise the violin in the morning?"}],
        extra_body={"prefmem": {"trace": True}},
    )
    trace = (traced.model_extra or {})["prefmem_trace"]
    print("recalled:", [episode["interaction"]["user_text"] for episode in trace["recalled"]])
    print("candidates scored:", len(trace["candidates"]))

    # The memory routes answer through the same client.
    episodes = client.get(f"/users/{USER}/episodes", cast_to=object)
    print("episodes stored:", len(episodes["data"]))  # type: ignore[index]


if __name__ == "__main__":
    main(
        sys.argv[1] if len(sys.argv) > 1 else "http://127.0.0.1:8080/v1",
        sys.argv[2] if len(sys.argv) > 2 else "no-key",
    )
