// prefmem's page: a chat whose replies stream in, and an inspector of the user's memory.
// It talks only to the server's HTTP API (the same routes and key checks as any client) and
// loads nothing from another host. Plain DOM code, no build step.
"use strict";

const KINDS = [
  ["genuine", "Genuine", "Stable across occasions: personalizes your replies."],
  ["tentative", "Tentative", "Leaning one way, not yet sure: used at a reduced weight."],
  ["constructed", "Constructed", "Depends on how the question was put: not used."],
  ["non_attitude", "Non-attitude", "No consistent view: not used."],
  ["superseded", "Superseded", "You changed your mind: kept for the record, not used."],
];
const COLUMNS = ["similarity", "recency", "hybrid", "semantic"];

const state = {
  settings: null,
  key: null,
  user: null,
  session: `web-${Date.now().toString(36)}`,
  history: [],
  lastSent: "",
  lastCompletion: null,
  preferenceCount: 0,
  timings: [],
};
window.prefmemTimings = state.timings;

const $ = (selector, root = document) => root.querySelector(selector);

function element(tag, text, className) {
  const made = document.createElement(tag);
  if (text !== undefined && text !== null) made.textContent = text;
  if (className) made.className = className;
  return made;
}

function fixed(value, digits = 2) {
  return typeof value === "number" ? value.toFixed(digits) : "–";
}

function when(iso) {
  if (!iso) return "–";
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? iso : date.toLocaleString();
}

// -- the API -------------------------------------------------------------------------------
class ApiError extends Error {
  constructor(status, message, code) {
    super(message);
    this.status = status;
    this.code = code;
  }
}

function headers(json) {
  const made = {};
  if (json) made["Content-Type"] = "application/json";
  if (state.key) made.Authorization = `Bearer ${state.key}`;
  return made;
}

async function failure(response) {
  let message = `${response.status} ${response.statusText}`;
  let code = null;
  try {
    const body = await response.json();
    if (body && body.error) {
      message = body.error.message || message;
      code = body.error.code || null;
    }
  } catch (_) { /* not JSON: keep the status line */ }
  return new ApiError(response.status, message, code);
}

async function api(method, path, body) {
  const response = await fetch(path, {
    method,
    headers: headers(body !== undefined),
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (!response.ok) throw await failure(response);
  return response.json();
}

function userPath(rest = "") {
  return `/v1/users/${encodeURIComponent(state.user)}${rest}`;
}

// -- who you are ---------------------------------------------------------------------------
async function start() {
  state.settings = await api("GET", "/web/settings");
  const label = $("#identity-label");
  const input = $("#identity");
  if (state.settings.api_keys) {
    label.textContent = "Your API key";
    input.type = "password";
    $("#identity-hint").textContent = "This server has API keys: yours shows only your own memory.";
  } else {
    $("#identity-hint").textContent = "This server has no API keys: any name works, and anyone here may use it.";
    if (state.settings.default_user) input.value = state.settings.default_user;
  }
  $("#sign-in-form").addEventListener("submit", (event) => {
    event.preventDefault();
    signIn(input.value.trim());
  });
  const saved = sessionStorage.getItem("prefmem-identity");
  if (saved) await signIn(saved);
  else showSignIn();
  window.prefmemReadyMs = performance.now();  // from navigation start: the page is usable
  document.body.dataset.ready = "true";
}

function showSignIn() {
  $("#app").hidden = true;
  $("#sign-in").hidden = false;
  $("#switch-user").hidden = true;
  $("#forget").hidden = true;
  $("#who").textContent = "";
  $("#identity").focus();
}

async function signIn(identity) {
  const error = $("#sign-in-error");
  error.textContent = "";
  if (!identity) {
    error.textContent = "Enter a value.";
    return;
  }
  if (state.settings.api_keys) {
    state.key = identity;
    try {
      state.user = (await api("GET", "/web/me")).user_id;
    } catch (failed) {
      state.key = null;
      sessionStorage.removeItem("prefmem-identity");
      error.textContent = failed.message;
      showSignIn();
      return;
    }
  } else {
    state.user = identity;
  }
  sessionStorage.setItem("prefmem-identity", identity);
  $("#sign-in").hidden = true;
  $("#app").hidden = false;
  $("#switch-user").hidden = false;
  $("#forget").hidden = false;
  $("#who").textContent = state.key ? `Signed in as ${state.user} (API key)` : `Chatting as ${state.user}`;
  $("#message").focus();
  await loadMemory();
}

function switchUser() {
  sessionStorage.removeItem("prefmem-identity");
  window.location.reload();
}

// -- the chat ------------------------------------------------------------------------------
async function send(event) {
  event.preventDefault();
  const box = $("#message");
  const text = box.value.trim();
  if (!text || $("#send").disabled) return;
  box.value = "";
  $("#chat-error").textContent = "";
  $("#forget-summary").textContent = "";
  $("#send").disabled = true;
  try {
    await chat(text);
  } finally {
    $("#send").disabled = false;
    box.focus();
  }
}

function newTurn(text) {
  const node = $("#turn-template").content.firstElementChild.cloneNode(true);
  $(".bubble.user .text", node).textContent = text;
  $("#turns").append(node);
  node.scrollIntoView({ block: "end" });
  return node;
}

async function* serverEvents(response) {
  const reader = response.body.getReader();
  const decoder = new TextDecoder();
  let buffer = "";
  for (;;) {
    const { value, done } = await reader.read();
    if (done) break;
    buffer += decoder.decode(value, { stream: true });
    let cut;
    while ((cut = buffer.indexOf("\n\n")) >= 0) {
      const block = buffer.slice(0, cut);
      buffer = buffer.slice(cut + 2);
      const data = block.split("\n").filter((line) => line.startsWith("data:"))
        .map((line) => line.slice(5).trimStart()).join("\n");
      if (data) yield data;
    }
  }
}

function earlierTurns() {
  // the conversation's latest turns (a user message and its reply each), as the terminal chat
  const count = 2 * state.settings.history_turns;
  return count > 0 ? state.history.slice(-count) : [];
}

async function chat(text) {
  const node = newTurn(text);
  const bubble = $(".bubble.assistant", node);
  const shown = $(".text", bubble);
  const timing = { sent: performance.now(), firstToken: null, done: null };
  state.timings.push(timing);
  state.lastSent = text;
  const body = {
    model: state.settings.model,
    messages: [...earlierTurns(), { role: "user", content: text }],
    stream: true,
    prefmem: { trace: true, session_id: state.session },
  };
  if (!state.key) body.user = state.user;
  const waiting = $(".note", bubble);
  const { candidates, stream_rerank: ranked } = state.settings;
  if (candidates > 1 && ranked) waiting.textContent = `Writing ${candidates} candidates, then choosing the best for you…`;
  let reply = "";
  let trace = null;
  try {
    const response = await fetch("/v1/chat/completions", {
      method: "POST", headers: headers(true), body: JSON.stringify(body),
    });
    if (!response.ok) throw await failure(response);
    for await (const data of serverEvents(response)) {
      if (data === "[DONE]") break;
      const chunk = JSON.parse(data);
      if (chunk.error) throw new ApiError(chunk.error.status || 500, chunk.error.message, chunk.error.code);
      for (const choice of chunk.choices || []) {
        const piece = choice.index === 0 && choice.delta ? choice.delta.content : "";
        if (piece) {
          if (timing.firstToken === null) {
            timing.firstToken = performance.now();
            node.dataset.firstTokenMs = (timing.firstToken - timing.sent).toFixed(1);
            waiting.textContent = "";
          }
          reply += piece;
          shown.textContent = reply;
        }
      }
      if (chunk.prefmem_trace) trace = chunk.prefmem_trace;
    }
  } catch (failed) {
    bubble.setAttribute("aria-busy", "false");
    $(".note", bubble).textContent = "No reply.";
    $("#chat-error").textContent = failed.message;
    return;
  }
  timing.done = performance.now();
  state.lastCompletion = trace ? trace.completion_id : null;
  bubble.setAttribute("aria-busy", "false");
  node.dataset.done = "true";
  const turn = { message: text, reply: reply.trim(), trace, node };
  state.history.push({ role: "user", content: text }, { role: "assistant", content: turn.reply });
  turn.historyIndex = state.history.length - 1;
  wireTurn(turn);
  loadMemory();
  if (!$("#panel-recall").hidden) refreshRecall();
}

function setReply(turn, text, note) {
  turn.reply = text;
  $(".bubble.assistant .text", turn.node).textContent = text;
  $(".bubble.assistant .note", turn.node).textContent = note;
  if (state.history[turn.historyIndex]) state.history[turn.historyIndex].content = text;
}

function twoBest(turn) {
  const seen = [];
  for (const candidate of (turn.trace && turn.trace.candidates) || []) {
    if (!seen.includes(candidate.text)) seen.push(candidate.text);
    if (seen.length === 2) break;
  }
  return seen;
}

function toggle(button, panel, render) {
  const open = panel.hidden;
  if (open) render();
  panel.hidden = !open;
  button.setAttribute("aria-expanded", String(open));
}

function wireTurn(turn) {
  const node = turn.node;
  $(".turn-actions", node).hidden = false;
  const compare = $(".compare", node);
  if (twoBest(turn).length < 2) {
    compare.disabled = true;
    compare.title = "This reply had fewer than two different candidates.";
  }
  const candidatesButton = $(".open-candidates", node);
  candidatesButton.addEventListener("click", () =>
    toggle(candidatesButton, $(".candidates", node), () => renderCandidates(turn)));
  compare.addEventListener("click", () => toggle(compare, $(".comparison", node), () => renderComparison(turn)));
  $(".rate-up", node).addEventListener("click", () => rate(turn, 1));
  $(".rate-down", node).addEventListener("click", () => rate(turn, -1));
  const editButton = $(".open-edit", node);
  const form = $("form.edit", node);
  editButton.addEventListener("click", () => toggle(editButton, form, () => {
    $("textarea", form).value = turn.reply;
    setTimeout(() => $("textarea", form).focus(), 0);
  }));
  $(".cancel-edit", form).addEventListener("click", () => toggle(editButton, form, () => {}));
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    edit(turn, $("textarea", form).value.trim(), editButton, form);
  });
}

function renderCandidates(turn) {
  const panel = $(".candidates", turn.node);
  panel.replaceChildren();
  const trace = turn.trace;
  if (!trace) {
    panel.append(element("p", "No trace came with this reply.", "hint"));
    return;
  }
  const recalled = trace.recalled || [];
  const used = trace.preferences || [];
  panel.append(element("p",
    `Recalled ${recalled.length} past exchange${recalled.length === 1 ? "" : "s"}; ` +
    `${used.length} preference${used.length === 1 ? "" : "s"} personalized this reply` +
    (used.length ? `: ${used.map((p) => p.statement).join("; ")}.` : "."), "hint"));
  const candidates = trace.candidates || [];
  if (!candidates.length) {
    panel.append(element("p", trace.note ||
      `One sample (${trace.samples}), so nothing was ranked.`, "hint"));
    return;
  }
  const table = element("table");
  table.append(element("caption", `${candidates.length} candidates, best first under your reward`, "visually-hidden"));
  const head = element("tr");
  for (const [label, cls] of [["#", "num"], ["Candidate and the terms of its score", ""], ["Score", "num"]]) {
    const th = element("th", label, cls);
    th.scope = "col";
    head.append(th);
  }
  table.append(head);
  candidates.forEach((candidate, rank) => {
    const row = element("tr", null, rank === 0 ? "chosen candidate" : "candidate");
    const cell = element("td");
    cell.append(element("p", candidate.text, "candidate-text"));
    const terms = element("ul", null, "terms");
    terms.setAttribute("aria-label", "Terms of the score");
    for (const [name, value] of Object.entries(candidate.terms || {})) {
      const term = element("li", `${termName(name, used)} `);
      term.append(element("b", `${value > 0 ? "+" : ""}${fixed(value, 3)}`));
      if (value === 0) term.className = "zero";
      terms.append(term);
    }
    cell.append(terms);
    row.append(element("td", String(rank + 1), "num"), cell, element("td", fixed(candidate.score, 3), "num score"));
    table.append(row);
  });
  panel.append(table);
  if (typeof trace.diversity === "number") {
    panel.append(element("p", `Diversity of the set: ${fixed(trace.diversity, 3)}`, "hint"));
  }
}

function termName(name, preferences) {
  // "preference:ID" is the term of one preference: named by its statement
  const [family, id] = name.split(/:(.*)/s);
  const preference = family === "preference" ? preferences.find((p) => p.id === id) : null;
  return preference ? `preference “${preference.statement}”` : name;
}

function renderComparison(turn) {
  const panel = $(".comparison", turn.node);
  panel.replaceChildren(element("p", "Which reply do you prefer? Your choice teaches your reward.", "hint"));
  const pair = element("div", null, "pair");
  const options = twoBest(turn);
  options.forEach((text, index) => {
    const box = element("div", null, "option");
    const label = index === 0 ? "A (shown)" : "B";
    box.append(element("strong", `Reply ${label}`), element("p", text));
    const pick = element("button", `Choose ${index === 0 ? "A" : "B"}`, "choose");
    pick.type = "button";
    pick.addEventListener("click", () => choose(turn, options, index));
    box.append(pick);
    pair.append(box);
  });
  panel.append(pair);
}

async function feedback(turn, body, done) {
  const said = $(".feedback", turn.node);
  try {
    await api("POST", userPath("/feedback"), { prompt: turn.message, session_id: state.session, ...body });
    said.textContent = done;
    loadMemory();
    return true;
  } catch (failed) {
    said.textContent = "";
    $("#chat-error").textContent = failed.message;
    return false;
  }
}

async function rate(turn, value) {
  const ok = await feedback(turn, { type: "rating", response: turn.reply, value },
    `Recorded: thumbs ${value > 0 ? "up" : "down"} on this reply.`);
  if (ok) {
    $(".rate-up", turn.node).setAttribute("aria-pressed", String(value > 0));
    $(".rate-down", turn.node).setAttribute("aria-pressed", String(value < 0));
  }
}

async function choose(turn, options, chosen) {
  const ok = await feedback(turn, { type: "choice", options, chosen },
    `Recorded: you preferred reply ${chosen === 0 ? "A" : "B"}.`);
  if (!ok) return;
  if (chosen !== 0) setReply(turn, options[chosen], "The reply you chose.");
  const compare = $(".compare", turn.node);
  toggle(compare, $(".comparison", turn.node), () => {});
  compare.focus();
}

async function edit(turn, text, button, form) {
  if (!text) return;
  const ok = await feedback(turn, { type: "edit", response: turn.reply, edited: text },
    "Recorded: your version is preferred over the reply.");
  if (!ok) return;
  setReply(turn, text, "Your version.");
  toggle(button, form, () => {});
  button.focus();
}

// -- your memory ---------------------------------------------------------------------------
async function loadMemory() {
  const status = $("#memory-status");
  let preferences = [];
  try {
    preferences = (await api("GET", userPath("/preferences"))).data;
  } catch (failed) {
    if (failed.code !== "unknown_user") {
      status.textContent = failed.message;
      return;
    }
  }
  state.preferenceCount = preferences.length;
  renderMemory(preferences);
  $("#memory-empty").textContent = preferences.length ? "" : "Nothing remembered about you yet.";
}

function renderMemory(preferences) {
  const groups = $("#memory-groups");
  groups.replaceChildren();
  for (const [kind, title, meaning] of KINDS) {
    const mine = preferences.filter((p) => p.kind === kind);
    const group = element("section", null, "kind-group");
    group.dataset.kind = kind;
    const heading = element("h3", title);
    heading.append(element("span", ` (${mine.length})`, "count"));
    group.append(heading, element("p", meaning, "hint"));
    if (mine.length) {
      const list = element("ul", null, "preferences");
      for (const preference of mine) list.append(preferenceItem(preference));
      group.append(list);
    }
    groups.append(group);
  }
}

function preferenceItem(preference) {
  const item = element("li", null, "preference");
  item.dataset.id = preference.id;
  const statement = element("p", preference.statement, "statement");
  if (preference.user_status) statement.append(element("span", preference.user_status, "badge"));
  const facts = element("dl");
  const bar = element("span", null, "bar");
  const fill = element("span");
  fill.style.width = `${Math.round(preference.stability * 100)}%`;
  bar.append(fill);
  const stability = element("dd");
  stability.append(bar, document.createTextNode(fixed(preference.stability)));
  const support = preference.support;
  facts.append(element("dt", "Stability"), stability,
    element("dt", "Support"), element("dd",
      `${support.signals} signal${support.signals === 1 ? "" : "s"} on ${support.occasions} ` +
      `occasion${support.occasions === 1 ? "" : "s"}, ${support.conditions} condition${support.conditions === 1 ? "" : "s"}`),
    element("dt", "Last seen"), element("dd", when(preference.last_seen)));
  const actions = element("div", null, "actions");
  const explainButton = button("Explain", "explain");
  explainButton.setAttribute("aria-expanded", "false");
  const confirmButton = button(preference.user_status === "confirmed" ? "Confirmed" : "Confirm", "confirm");
  confirmButton.disabled = preference.user_status === "confirmed";
  const editButton = button("Edit", "edit-preference");
  const deleteButton = button("Delete", "delete danger");
  deleteButton.setAttribute("aria-label", `Delete: ${preference.statement}`);
  actions.append(explainButton, confirmButton, editButton, deleteButton);
  const explanation = element("div", null, "explanation");
  explanation.hidden = true;
  item.append(statement, facts, actions, explanation);

  explainButton.addEventListener("click", async () => {
    if (explanation.hidden) await explain(preference, explanation);
    explanation.hidden = !explanation.hidden;
    explainButton.setAttribute("aria-expanded", String(!explanation.hidden));
  });
  confirmButton.addEventListener("click", () =>
    act("POST", `/preferences/${encodeURIComponent(preference.id)}/confirm`, undefined, "Confirmed."));
  deleteButton.addEventListener("click", () =>
    act("DELETE", `/preferences/${encodeURIComponent(preference.id)}`, undefined, "Deleted."));
  editButton.addEventListener("click", () => editPreference(preference, item, editButton));
  return item;
}

function button(text, className) {
  const made = element("button", text, className);
  made.type = "button";
  return made;
}

async function act(method, rest, body, done) {
  const status = $("#memory-status");
  try {
    await api(method, userPath(rest), body);
    status.textContent = done;
  } catch (failed) {
    status.textContent = failed.message;
  }
  await loadMemory();
}

function editPreference(preference, item, editButton) {
  if ($("form", item)) return;
  const form = element("form", null, "edit");
  const label = element("label", "Your wording");
  const input = element("input");
  input.value = preference.statement;
  input.required = true;
  label.append(input);
  const save = element("button", "Save");
  save.type = "submit";
  const cancel = button("Cancel", "");
  form.append(label, save, cancel);
  item.append(form);
  input.focus();
  cancel.addEventListener("click", () => { form.remove(); editButton.focus(); });
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    act("PATCH", `/preferences/${encodeURIComponent(preference.id)}`, { statement: input.value.trim() }, "Edited.");
  });
}

async function explain(preference, panel) {
  panel.replaceChildren(element("p", "Loading…", "hint"));
  let found;
  try {
    found = await api("GET", userPath(`/preferences/${encodeURIComponent(preference.id)}/explanation`));
  } catch (failed) {
    panel.replaceChildren(element("p", failed.message, "error"));
    return;
  }
  const why = found.preference;
  panel.replaceChildren(element("p", why.reason || "No reason recorded."));
  panel.append(element("strong", `Evidence (${found.evidence.length})`));
  const evidence = element("ul");
  for (const record of found.evidence) {
    evidence.append(element("li", `${when(record.timestamp)} · ${record.type}` +
      (record.condition ? ` · ${record.condition}` : "") + `: ${record.text}`));
  }
  if (!found.evidence.length) evidence.append(element("li", "None held any more."));
  panel.append(evidence, element("strong", "History"));
  const history = element("ul");
  for (const entry of why.history || []) {
    history.append(element("li", `${when(entry.at)}: ${entry.kind} (${entry.value}), stability ` +
      `${fixed(entry.stability)}${entry.note ? ` — ${entry.note}` : ""}`));
  }
  if (!(why.history || []).length) history.append(element("li", "No changes yet."));
  panel.append(history);
}

async function consolidate() {
  const status = $("#memory-status");
  status.textContent = "Consolidating…";
  let outcome;
  try {
    const done = await api("POST", userPath("/consolidate"), { force: false });
    outcome = `Consolidated: ${done.added} added, ${done.changed} changed, ${done.removed} removed.`;
  } catch (failed) {
    outcome = failed.code === "unknown_user" ? "Nothing to consolidate yet." : failed.message;
  }
  // the list is redrawn first, so what the message reports is already on screen
  await loadMemory();
  if (status.textContent === "Consolidating…") status.textContent = outcome;
}

// -- recall side by side -------------------------------------------------------------------
let recallTimer = null;

function recallSoon() {
  if ($("#panel-recall").hidden) return;
  clearTimeout(recallTimer);
  recallTimer = setTimeout(refreshRecall, 400);
}

async function refreshRecall() {
  const typed = $("#message").value.trim();
  const query = typed || state.lastSent;
  const status = $("#recall-status");
  $("#recall-query").textContent = !query ? "" : typed ? `“${query}” (being typed)`
    : `“${query}” (last sent; its own exchange left out)`;
  status.textContent = "Recalling…";
  let found;
  try {
    found = await api("POST", userPath("/recall"), query ? { query } : {});
  } catch (failed) {
    status.textContent = failed.message;
    return;
  }
  status.textContent = "";
  for (const name of COLUMNS) {
    const list = $(`[data-column="${name}"] ol`);
    list.replaceChildren();
    // for the last message sent, what memory held before it: not the exchange it made
    const own = (item) => !typed && item.interaction && state.lastCompletion &&
      (item.interaction.metadata || {}).completion_id === state.lastCompletion;
    const items = (found.columns[name] || []).filter((item) => !own(item));
    for (const item of items) list.append(name === "semantic" ? semanticItem(item) : episodeItem(item));
    if (!items.length) {
      const empty = !query && (name === "similarity" || name === "hybrid")
        ? "Type a message to recall by meaning." : "Nothing.";
      list.append(element("li", empty, "empty"));
    }
  }
  $("#recall-columns").dataset.filled = "true";
}

function episodeItem(episode) {
  const item = element("li", episode.interaction.user_text, "recalled");
  const scores = [`score ${fixed(episode.score)}`];
  if (typeof episode.similarity === "number") scores.push(`similarity ${fixed(episode.similarity)}`);
  scores.push(`recency ${fixed(episode.recency)}`);
  item.append(element("span", scores.join(" · "), "scores"));
  return item;
}

function semanticItem(found) {
  const preference = found.preference;
  const item = element("li", preference.statement, "recalled");
  const scores = [preference.kind.replace("_", "-")];
  if (typeof found.similarity === "number") scores.push(`similarity ${fixed(found.similarity)}`);
  scores.push(`stability ${fixed(preference.stability)}`);
  item.append(element("span", scores.join(" · "), "scores"));
  return item;
}

// -- tabs ----------------------------------------------------------------------------------
function selectTab(tab) {
  for (const other of document.querySelectorAll('[role="tab"]')) {
    const selected = other === tab;
    other.setAttribute("aria-selected", String(selected));
    other.tabIndex = selected ? 0 : -1;
    $(`#${other.getAttribute("aria-controls")}`).hidden = !selected;
  }
  tab.focus();
  if (tab.id === "tab-recall") refreshRecall();
  else loadMemory();
}

function wireTabs() {
  const tabs = [...document.querySelectorAll('[role="tab"]')];
  tabs.forEach((tab, index) => {
    tab.addEventListener("click", () => selectTab(tab));
    tab.addEventListener("keydown", (event) => {
      const step = { ArrowRight: 1, ArrowLeft: -1 }[event.key];
      if (step) {
        event.preventDefault();
        selectTab(tabs[(index + step + tabs.length) % tabs.length]);
      }
    });
  });
}

// -- forget me -----------------------------------------------------------------------------
function askToForget() {
  $("#forget-user").textContent = state.user;
  $("#forget-what").textContent = `Every exchange, every piece of feedback, all ${state.preferenceCount} ` +
    "preferences and the fitted reward are removed from every store. This cannot be undone.";
  $("#forget-dialog").showModal();
}

async function forgetClosed() {
  if ($("#forget-dialog").returnValue !== "forget") return;
  const status = $("#memory-status");
  try {
    const gone = await api("DELETE", userPath());
    state.history = [];
    state.lastSent = "";
    $("#turns").replaceChildren();
    await loadMemory();
    $("#forget-summary").textContent = `Forgotten: ${gone.interactions} exchanges, ${gone.feedback} pieces of feedback, ` +
      `${gone.preferences} preferences, ${gone.coefficients} fitted rewards and ${gone.files} files removed.`;
  } catch (failed) {
    status.textContent = failed.message;
  }
  selectTab($("#tab-memory"));
}

// -- wiring --------------------------------------------------------------------------------
document.addEventListener("DOMContentLoaded", () => {
  $("#composer").addEventListener("submit", send);
  $("#message").addEventListener("keydown", (event) => {
    if (event.key === "Enter" && !event.shiftKey && !event.isComposing) {
      event.preventDefault();
      $("#composer").requestSubmit();
    }
  });
  $("#message").addEventListener("input", recallSoon);
  $("#consolidate").addEventListener("click", consolidate);
  $("#refresh-memory").addEventListener("click", loadMemory);
  $("#refresh-recall").addEventListener("click", refreshRecall);
  $("#switch-user").addEventListener("click", switchUser);
  $("#forget").addEventListener("click", askToForget);
  $("#forget-dialog").addEventListener("close", forgetClosed);
  wireTabs();
  start().catch((failed) => {
    $("#sign-in").hidden = false;
    $("#sign-in-error").textContent = `The server did not answer: ${failed.message}`;
  });
});
