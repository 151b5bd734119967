"""The web page at `/`, driven in headless Chromium through Playwright.

The server runs for real (uvicorn on a loopback port) over a Memory on the hashing embedder,
with a scripted chat model, so each test takes about a second. The tests skip, saying why,
when Playwright's Python package or a Chromium is missing; `.ci/run` installs Debian's
`chromium`. With $PREFMEM_SCREENSHOTS set to a folder, the tests also save the screenshots
the docs show there (`make screenshots`).
"""

from __future__ import annotations

import json
import os
import shutil
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from fastapi import FastAPI

from prefmem import Memory
from prefmem.agent.llm.base import ChatMessage
from prefmem.agent.llm.scripted import ScriptedChatModel
from prefmem.agent.server.background import serve_in_thread

AppFactory = Callable[..., FastAPI]
CHROMIUM_NAMES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")
TIMEOUT_MS = 15_000
#: Where to save the docs' screenshots (read at import: the tests run in their own folders).
SCREENSHOTS = (
    Path(os.environ["PREFMEM_SCREENSHOTS"]).resolve() if os.environ.get("PREFMEM_SCREENSHOTS") else None
)


def find_chromium() -> str | None:
    """$PREFMEM_CHROMIUM, else the first Chromium on PATH."""
    named = os.environ.get("PREFMEM_CHROMIUM")
    if named:
        return named if Path(named).exists() else None
    return next((found for name in CHROMIUM_NAMES if (found := shutil.which(name))), None)


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    """One headless Chromium for the module's tests."""
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        pytest.skip(
            "browser tests skipped: Playwright's Python package is not installed (pip install -e '.[dev]')"
        )
    path = find_chromium()
    if path is None:
        pytest.skip(
            "browser tests skipped: no Chromium found (apt-get install chromium, or set PREFMEM_CHROMIUM)"
        )
    with sync_playwright() as playwright:
        # --no-sandbox: CI containers run as root, where Chromium's sandbox cannot start.
        launched = playwright.chromium.launch(executable_path=path, args=["--no-sandbox"])
        yield launched
        launched.close()


class Page:
    """A page on a served app, with the requests it made and the script errors it hit."""

    def __init__(self, page: Any, url: str) -> None:
        self.page = page
        self.url = url
        self.requests: list[Any] = []
        self.errors: list[str] = []
        page.on("request", lambda request: self.requests.append(request))
        page.on("pageerror", lambda error: self.errors.append(str(error)))
        page.set_default_timeout(TIMEOUT_MS)

    def sign_in(self, identity: str) -> None:
        self.page.goto(self.url)
        self.page.wait_for_selector("body[data-ready='true']", state="attached")
        self.page.fill("#identity", identity)
        self.page.press("#identity", "Enter")
        self.page.wait_for_selector("#app:not([hidden])")

    def send(self, text: str) -> Any:
        """Type a message, press Enter, and wait for the reply to finish; the turn."""
        turns = self.page.locator("#turns > li")
        before = turns.count()
        self.page.fill("#message", text)
        self.page.press("#message", "Enter")
        turn = turns.nth(before)
        turn.and_(self.page.locator("[data-done='true']")).wait_for()
        return turn

    def posted(self, path_end: str) -> list[dict[str, Any]]:
        """The JSON bodies the page POSTed to URLs ending in `path_end`."""
        return [
            json.loads(r.post_data) for r in self.requests if r.method == "POST" and r.url.endswith(path_end)
        ]

    def shot(self, name: str) -> None:
        if SCREENSHOTS is not None:
            SCREENSHOTS.mkdir(parents=True, exist_ok=True)
            self.page.screenshot(path=str(SCREENSHOTS / f"{name}.png"))


@contextmanager
def opened(browser: Any, app: FastAPI, *, width: int = 1280, height: int = 860) -> Iterator[Page]:
    with serve_in_thread(app) as url:
        context = browser.new_context(viewport={"width": width, "height": height})
        try:
            page = Page(context.new_page(), url)
            yield page
            assert page.errors == [], page.errors
            foreign = [r.url for r in page.requests if not r.url.startswith(url)]
            assert foreign == [], f"the page reached another host: {foreign}"
        finally:
            context.close()


class SlowScripted(ScriptedChatModel):
    """The echo model, streaming one word every `pause_s` seconds: a reply visibly in progress."""

    def __init__(self, pause_s: float) -> None:
        super().__init__()
        self.pause_s = pause_s

    def stream(
        self,
        messages: Sequence[ChatMessage],
        *,
        temperature: float | None = None,
        max_new_tokens: int | None = None,
    ) -> Iterator[str]:
        for piece in super().stream(messages, temperature=temperature, max_new_tokens=max_new_tokens):
            time.sleep(self.pause_s)
            yield piece


class SlowCandidates(ScriptedChatModel):
    """Distinct candidates that take `pause_s` seconds to write, all together."""

    def __init__(self, pause_s: float) -> None:
        super().__init__(["Short.", "A longer reply.", "Third.", "Fourth."])
        self.pause_s = pause_s

    def generate(
        self,
        messages: Sequence[ChatMessage],
        *,
        n: int = 1,
        temperature: float | None = None,
        max_new_tokens: int | None = None,
    ) -> list[str]:
        time.sleep(self.pause_s)
        return super().generate(messages, n=n, temperature=temperature, max_new_tokens=max_new_tokens)


def test_while_best_of_n_candidates_are_written_the_page_says_so(
    browser: Any, make_app: AppFactory, server_memory: Memory
) -> None:
    candidates = server_memory.config.assistant.candidates
    assert candidates > 1
    with opened(browser, make_app(llm=SlowCandidates(pause_s=1.5))) as web:
        web.sign_in("ana")
        web.page.fill("#message", "write me something")
        web.page.press("#message", "Enter")
        note = web.page.locator("#turns .bubble.assistant .note")
        note.filter(has_text=f"Writing {candidates} candidates").wait_for()
        web.page.locator("#turns > li[data-done='true']").wait_for()
        assert note.text_content() == ""
        assert web.page.locator("#turns .bubble.assistant .text").text_content() in {
            "Short.",
            "A longer reply.",
            "Third.",
            "Fourth.",
        }


def _statements(memory: Memory, user: str, text: str, days: int = 3) -> None:
    """The same statement on `days` days (three make a genuine preference once consolidated)."""
    start = datetime(2026, 3, 1, tzinfo=UTC)
    for day in range(days):
        memory.add(user, text, "noted", timestamp=start + timedelta(days=day))


def test_a_reply_streams_in_word_by_word(browser: Any, make_app: AppFactory, server_memory: Memory) -> None:
    app = make_app(llm=SlowScripted(pause_s=0.12), stream_rerank=False)
    with opened(browser, app) as web:
        web.sign_in("ana")
        page = web.page
        page.fill("#message", "tell me about lighthouses on rocky coasts")
        page.press("#message", "Enter")
        reply = page.locator("#turns > li").first.locator(".bubble.assistant")
        # part of the reply is on the page while the stream is still open
        page.wait_for_function(
            "() => { const b = document.querySelector('#turns .bubble.assistant');"
            " return b.getAttribute('aria-busy') === 'true'"
            " && b.querySelector('.text').textContent.length > 0; }"
        )
        partial = reply.locator(".text").text_content() or ""
        page.locator("#turns > li[data-done='true']").wait_for()
        full = reply.locator(".text").text_content()
        assert full == "You said: tell me about lighthouses on rocky coasts"
        assert partial and full.startswith(partial) and len(partial) < len(full)
        assert float(page.locator("#turns > li").first.get_attribute("data-first-token-ms") or "nan") > 0
    [summary] = server_memory.users()
    assert summary.user_id == "ana" and summary.interactions == 1


def test_candidates_open_and_the_choice_of_two_is_stored(
    browser: Any, make_app: AppFactory, server_memory: Memory
) -> None:
    replies = [
        "Bees need a dry hive.",
        "In winter bees cluster together and live on stored honey, so leave them enough of it.",
        "Keep the hive closed.",
        "Bees sleep.",
    ]
    _statements(server_memory, "ana", "I love playing the harmonica in the evening")
    server_memory.consolidate("ana")
    app = make_app(llm=ScriptedChatModel(replies))
    with opened(browser, app) as web:
        web.sign_in("ana")
        turn = web.send("what do my bees need in winter?")
        shown = turn.locator(".bubble.assistant .text").text_content()
        turn.get_by_role("button", name="Why this reply").click()
        rows = turn.locator(".candidates tr.candidate")
        assert rows.count() == 4
        texts = [rows.nth(i).locator(".candidate-text").text_content() for i in range(4)]
        assert sorted(texts) == sorted(replies) and texts[0] == shown  # the reply is the best candidate
        scores = [float(rows.nth(i).locator("td.score").text_content() or "nan") for i in range(4)]
        assert scores == sorted(scores, reverse=True)
        for i in range(4):  # each score is shown with the terms it is the sum of
            terms = [float(t) for t in rows.nth(i).locator(".terms b").all_text_contents()]
            assert len(terms) >= 2 and abs(sum(terms) - scores[i]) <= 0.001 * len(terms)
        [liked] = server_memory.preferences("ana")  # its term is named by its statement, not its id
        assert rows.first.locator(".terms li", has_text=f"preference “{liked.statement}”").count() == 1
        web.shot("chat-candidates")

        turn.get_by_role("button", name="Compare the two best").click()
        options = [t or "" for t in turn.locator(".comparison .option p").all_text_contents()]
        assert len(options) == 2 and options[0] == shown and options[1] != shown
        turn.get_by_role("button", name="Choose B").click()
        turn.get_by_text("Recorded: you preferred reply B.").wait_for()
        assert turn.locator(".bubble.assistant .text").text_content() == options[1]
        [choice] = web.posted("/v1/users/ana/feedback")
        assert choice["type"] == "choice" and choice["options"] == options and choice["chosen"] == 1
        assert choice["prompt"] == "what do my bees need in winter?"

        turn.get_by_role("button", name="Good reply").click()
        turn.get_by_text("Recorded: thumbs up on this reply.").wait_for()
        turn.get_by_role("button", name="Write my own version").click()
        turn.locator("form.edit textarea").fill("Leave them honey and a dry, windless hive.")
        turn.get_by_role("button", name="Keep my version").click()
        turn.get_by_text("Recorded: your version is preferred over the reply.").wait_for()
        assert (
            turn.locator(".bubble.assistant .text").text_content()
            == "Leave them honey and a dry, windless hive."
        )
        kinds = [(body["type"], body.get("value")) for body in web.posted("/v1/users/ana/feedback")]
        assert kinds == [("choice", None), ("rating", 1), ("edit", None)]
    assert server_memory.users()[0].feedback == 3 and server_memory.users()[0].interactions == 4


def test_the_memory_panel_consolidates_explains_confirms_edits_and_deletes(
    browser: Any, make_app: AppFactory, server_memory: Memory
) -> None:
    _statements(server_memory, "ana", "I love playing the harmonica in the evening")
    with opened(browser, make_app()) as web:
        web.sign_in("ana")
        page = web.page
        page.locator("#memory-empty", has_text="Nothing remembered about you yet.").wait_for()
        page.get_by_role("button", name="Consolidate now").click()
        page.locator("#memory-status", has_text="Consolidated: 1 added").wait_for()
        genuine = page.locator("[data-kind='genuine'] .preference")
        assert genuine.count() == 1
        item = genuine.first
        assert "3 signals on 3 occasions" in (item.text_content() or "")
        assert page.locator("[data-kind='tentative'] .preference").count() == 0

        item.get_by_role("button", name="Explain").click()
        item.locator(".explanation li", has_text="I love playing the harmonica").first.wait_for()
        assert item.locator(".explanation li", has_text="message").count() == 3
        web.shot("memory-panel")

        item.get_by_role("button", name="Confirm").click()
        page.locator("[data-kind='genuine'] .badge", has_text="confirmed").wait_for()
        assert server_memory.preferences("ana")[0].user_status == "confirmed"

        page.locator("[data-kind='genuine'] .preference").get_by_role("button", name="Edit").click()
        page.locator(".preference form.edit input").fill("Plays the harmonica after dinner")
        page.locator(".preference form.edit input").press("Enter")
        page.locator(".preference .statement", has_text="Plays the harmonica after dinner").wait_for()
        assert server_memory.preferences("ana")[0].statement == "Plays the harmonica after dinner"

        page.locator("[data-kind='genuine'] .preference").get_by_role("button", name="Delete:").click()
        page.locator("#memory-empty", has_text="Nothing remembered about you yet.").wait_for()
        assert server_memory.preferences("ana") == []


def test_recall_side_by_side_fills_four_columns_for_the_typed_message(
    browser: Any, make_app: AppFactory, server_memory: Memory
) -> None:
    _statements(server_memory, "ana", "I love playing the harmonica in the evening")
    server_memory.consolidate("ana")
    server_memory.add("ana", "my sister lives in Lisbon", "nice")
    server_memory.add("ana", "remind me to water the ferns", "sure")
    with opened(browser, make_app()) as web:
        web.sign_in("ana")
        page = web.page
        page.get_by_role("tab", name="Recall side by side").click()
        page.fill("#message", "which instrument do I play in the evening?")
        page.locator("#recall-query", has_text="being typed").wait_for()
        page.locator("#recall-columns[data-filled='true']").wait_for()
        page.wait_for_function(
            "() => document.querySelector('[data-column=\"similarity\"] li.recalled') !== null"
        )
        columns = {
            name: page.locator(f"[data-column='{name}'] li.recalled").all_text_contents()
            for name in ("similarity", "recency", "hybrid", "semantic")
        }
        assert "harmonica" in columns["similarity"][0] and "similarity" in columns["similarity"][0]
        assert "ferns" in columns["recency"][0]  # newest first, whatever the message
        assert columns["hybrid"] and all("score" in text for text in columns["hybrid"])
        assert len(columns["semantic"]) == 1 and "genuine" in columns["semantic"][0]
        assert "harmonica" in columns["semantic"][0] and "stability" in columns["semantic"][0]
        web.shot("recall-comparison")
        [asked] = [b for b in web.posted("/v1/users/ana/recall") if b.get("query")][-1:]
        assert asked["query"] == "which instrument do I play in the evening?"


def test_forget_me_asks_first_then_shows_what_was_removed(
    browser: Any, make_app: AppFactory, server_memory: Memory
) -> None:
    _statements(server_memory, "ana", "I love playing the harmonica in the evening")
    server_memory.consolidate("ana")
    server_memory.add("bob", "I collect stamps")
    with opened(browser, make_app()) as web:
        web.sign_in("ana")
        page = web.page
        page.locator("[data-kind='genuine'] .preference").wait_for()
        page.get_by_role("button", name="Forget me…").click()
        dialog = page.get_by_role("dialog")
        assert "all 1 preferences" in (dialog.text_content() or "")
        dialog.get_by_role("button", name="Keep my memory").click()
        assert page.locator("[data-kind='genuine'] .preference").count() == 1
        assert [u.user_id for u in server_memory.users()] == ["ana", "bob"]

        page.get_by_role("button", name="Forget me…").click()
        page.get_by_role("dialog").get_by_role("button", name="Forget me").click()
        page.locator("#forget-summary", has_text="Forgotten: 3 exchanges").wait_for()
        assert "1 preferences" in (page.locator("#forget-summary").text_content() or "")
        page.locator("#memory-empty", has_text="Nothing remembered about you yet.").wait_for()
        assert page.locator(".preference").count() == 0
    assert [u.user_id for u in server_memory.users()] == ["bob"]


def test_with_api_keys_each_key_sees_only_its_own_memory(
    browser: Any, make_app: AppFactory, server_memory: Memory
) -> None:
    _statements(server_memory, "ana", "I love playing the harmonica in the evening")
    server_memory.consolidate("ana")
    app = make_app(keys={"key-ana": "ana", "key-bob": "bob"})
    with opened(browser, app) as web:
        page = web.page
        page.goto(web.url)
        page.wait_for_selector("body[data-ready='true']", state="attached")
        assert page.locator("#identity-label").text_content() == "Your API key"
        page.fill("#identity", "key-nobody")
        page.press("#identity", "Enter")
        page.locator("#sign-in-error", has_text="invalid API key").wait_for()
        assert page.locator("#app").is_hidden()

        web.sign_in("key-bob")
        assert page.locator("#who").text_content() == "Signed in as bob (API key)"
        page.locator("#memory-empty", has_text="Nothing remembered").wait_for()
        web.send("which instrument do I play?")
        page.get_by_role("tab", name="Recall side by side").click()
        page.locator("#recall-columns[data-filled='true']").wait_for()
        assert "harmonica" not in (page.locator("main").text_content() or "")
        assert all("/v1/users/bob/" in r.url for r in web.requests if "/v1/users/" in r.url)

        page.get_by_role("button", name="Switch user").click()
        web.sign_in("key-ana")
        page.locator("[data-kind='genuine'] .preference", has_text="harmonica").wait_for()
    assert [e.interaction.user_text for e in server_memory.recall("bob", None)] == [
        "which instrument do I play?"
    ]


def test_at_phone_width_the_page_fits_and_works_from_the_keyboard(
    browser: Any, make_app: AppFactory, server_memory: Memory
) -> None:
    _statements(server_memory, "ana", "I love playing the harmonica in the evening")
    server_memory.consolidate("ana")
    with opened(browser, make_app(), width=390, height=844) as web:
        page = web.page
        page.goto(web.url)
        page.wait_for_selector("body[data-ready='true']", state="attached")
        page.keyboard.type("ana")  # the name field has the focus
        page.keyboard.press("Enter")
        page.wait_for_selector("#app:not([hidden])")
        page.keyboard.type("hello from a phone")  # the message box has the focus
        page.keyboard.press("Enter")
        page.locator("#turns > li[data-done='true']").wait_for()
        page.focus("#tab-memory")
        page.keyboard.press("ArrowRight")
        assert page.evaluate("document.activeElement.id") == "tab-recall"
        page.locator("#recall-columns[data-filled='true']").wait_for()
        assert "last sent" in (page.locator("#recall-query").text_content() or "")
        recalled = " ".join(page.locator("#recall-columns li.recalled").all_text_contents())
        assert "harmonica" in recalled and "hello from a phone" not in recalled  # not its own exchange
        overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 0
        web.shot("phone")


def test_the_page_sends_the_conversations_latest_turns_as_the_terminal_chat(
    browser: Any, make_app: AppFactory, server_memory: Memory
) -> None:
    turns = server_memory.config.assistant.history_turns
    llm = ScriptedChatModel()
    with opened(browser, make_app(llm=llm)) as web:
        web.sign_in("ana")
        said = [f"message number {number} about kites" for number in range(turns + 2)]
        for text in said:
            web.send(text)
        bodies = web.posted("/v1/chat/completions")
    assert [len(body["messages"]) for body in bodies] == [2 * min(n, turns) + 1 for n in range(turns + 2)]
    last = bodies[-1]["messages"]
    assert [m["content"] for m in last if m["role"] == "user"] == said[1:]
    assert [m["content"] for m in last if m["role"] == "assistant"] == [f"You said: {t}" for t in said[1:-1]]
    assert all(body["stream"] and body["prefmem"]["trace"] and body["user"] == "ana" for body in bodies)


#: WCAG 2 contrast of every visible text element against the background it sits on.
_CONTRASTS = """() => {
  const channel = (c) => { c /= 255; return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4; };
  const rgba = (text) => text.match(/[\\d.]+/g).map(Number);
  const luminance = ([r, g, b]) => 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b);
  const background = (node) => {
    for (; node; node = node.parentElement) {
      const [r, g, b, a = 1] = rgba(getComputedStyle(node).backgroundColor);
      if (a > 0) return [r, g, b];
    }
    return [255, 255, 255];
  };
  const found = [];
  for (const node of document.querySelectorAll("body *")) {
    const own = [...node.childNodes].some((c) => c.nodeType === 3 && c.textContent.trim());
    if (!own || !node.checkVisibility() || node.closest(".visually-hidden")) continue;
    const style = getComputedStyle(node);
    const [r, g, b, a = 1] = rgba(style.color);
    const back = background(node);
    const fore = [0, 1, 2].map((i) => [r, g, b][i] * a + back[i] * (1 - a));
    const [hi, lo] = [luminance(fore), luminance(back)].sort((x, y) => y - x);
    const opacity = Number(style.opacity);
    found.push({ text: node.textContent.trim().slice(0, 40), ratio: (hi + 0.05) / (lo + 0.05), opacity });
  }
  return found;
}"""


def test_every_text_on_the_page_has_readable_contrast(
    browser: Any, make_app: AppFactory, server_memory: Memory
) -> None:
    _statements(server_memory, "ana", "I love playing the harmonica in the evening")
    server_memory.consolidate("ana")
    with opened(
        browser, make_app(llm=ScriptedChatModel(["Short.", "A longer reply.", "Third.", "Fourth."]))
    ) as web:
        web.sign_in("ana")
        turn = web.send("what instrument do I play?")
        turn.get_by_role("button", name="Why this reply").click()
        web.page.locator("[data-kind='genuine'] .preference").get_by_role("button", name="Explain").click()
        web.page.locator(".explanation li").first.wait_for()
        texts = web.page.evaluate(_CONTRASTS)
        web.page.get_by_role("tab", name="Recall side by side").click()
        web.page.locator("#recall-columns[data-filled='true']").wait_for()
        texts += web.page.evaluate(_CONTRASTS)
    assert len(texts) > 40
    # AA for normal text (4.5:1); a disabled control is exempt
    poor = [t for t in texts if t["ratio"] < 4.5 and t["opacity"] == 1]
    assert poor == [], poor
