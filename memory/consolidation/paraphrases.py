"""Joining paraphrases whose topics share no words, and reading their stances on one scale.

Topic grouping (`slots.group_signals`) joins "short answers" with "shorter answers", but
not "I like brief replies" with "Essays in reply tire me" or "Keep it to a few lines,
always": their topics are far apart, their sentences are not. This stage
joins statement slots by the meaning of the whole sentences they were read from:
average-linkage clustering of sentence embeddings, merging the closest pair of groups
while their average similarity stays at or above a threshold. A pair of phrasings whose
topics words link (two ends of one scale, or a thing one names as absent) counts a
configured bonus more than its cosine: MiniLM puts "mild food" and "the hotter the
better" far apart. Things one sentence lists the same way ("I love X, Y and Z") are
different things: they never join, and each is compared by its own part of the sentence.

Joined phrasings may name opposite ends of one scale ("short answers" wanted, "walls of
text" avoided: one stance). Which end each topic names is read from what one record
said of two topics first (one taken over the other: opposite ends), then from words (the
scales and absence markers of `memory.consolidation.scales`), then from the topic slot it
came from; only what is still unplaced, in a group whose phrasings lean both ways, takes
its end from topic embeddings: the nearer of two ends that words placed, or else its side
of the group's main topic axis (the first principal component); when the first phrasing
itself said both "for" and "against", the rest are taken at their word instead (the
axis between two phrasings always reads them as one stance, which would hide a change
of mind: "Jazz isn't for me" three times, then "I love jazz" and "Anything with a trumpet
solo wins me over"). Before embeddings are
used, a phrasing that leans the same way as a first phrasing that never wavered is taken
to name the first phrasing's end: two phrasings that say "for" of neighbouring things
rarely mean opposite ends, while a shared word ("pop music", "classical music") pulls
their topic embeddings together whichever end they name (a presumption, marked as such,
and carried like a placement to what words or a shared message link to it; when that
places phrasings at both ends, and the phrasings words placed lie on their own side when
measured between them, the presumption is borne out and no longer marked). A signal
naming the other end than the group's first phrasing has its stance turned round. The
embedding step is a guess, and a weak one: with two phrasings the axis runs between them,
so opposite signs always read as one stance.

A one-off choice's pick ("A gripping WWII novel", over a space opera and a cyberpunk
thriller) says little in its own words: it takes its end from what it was chosen over,
the end it leans to more than the options it beat, and a lone pick joins the group of
statements its options are set apart on, however far its words are from theirs.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Callable, Sequence

import numpy as np
from numpy.typing import NDArray

from prefmem.memory.consolidation.scales import link_keys, relation
from prefmem.memory.left_out import few_or_none
from prefmem.memory.signals import AGAINST, FOR, Signal, turned

Vectors = Callable[[Sequence[str]], NDArray[np.float32]]

#: Above this many statement slots for one user, groups join in one greedy pass (each
#: slot, in time order, joins the most similar group so far) instead of pairwise merging,
#: which grows with the cube of the count.
MAX_PAIRWISE = 1500


@dataclasses.dataclass
class Phrasing:
    """One topic slot's signals, before joining: its key, topic and signals in time order."""

    key: str
    topic: str
    signals: list[Signal]

    def lean(self) -> str:
        """The side most of its signals take (ties: for)."""
        against = sum(s.value == AGAINST for s in self.signals)
        return AGAINST if against > len(self.signals) - against else FOR


def _unit(matrix: NDArray[np.float32]) -> NDArray[np.float32]:
    norms = np.linalg.norm(matrix, axis=1, keepdims=True)
    return (matrix / np.where(norms == 0, 1.0, norms)).astype(np.float32)


#: Words that say who holds a view and how strongly, not what it is about. Two statements
#: built on the same frame ("I really can't bear replies that skip the details", "I really
#: can't bear replies full of tables") would otherwise look alike.
_FRAME = re.compile(
    r"\b(?:by the way|just so you know|fyi|quick note|oh,? and|for what it's worth|honestly|"
    r"as a rule|in general|generally|usually|always|never|please|"
    r"i(?:'m| am) (?:not )?(?:a )?(?:big |huge )?fan of|i(?:'m| am) not|i(?:'m| am)|"
    r"i (?:really |do |also )?(?:do ?n[o']?t|can'?t|cannot|won'?t) (?:stand|like|love|enjoy|want|need)|"
    r"i (?:really |also |much )?(?:prefer|love|like|enjoy|want|need|hate|dislike|adore|find)|"
    r"i'd (?:much )?rather|i would rather|(?:is|are) ?n[o']?t for me|(?:is|are) not for me|"
    r"give me|i|me|my)\b[,:]?",
)


def statement_content(text: str) -> str:
    """The sentence without its stance frame: what it is about."""
    stripped = " ".join(_FRAME.sub(" ", text.lower()).split()).strip(" ,.;:!")
    return stripped or text


def said_about(signal: Signal) -> str:
    """What a signal's words are about: a statement's sentence without its frame, or the
    topic of an answer (its text is the question, "Do you like X, as a rule?", whose
    frame would make every answer look alike) or of a signal with no words."""
    if signal.text and signal.source != "answer":
        return statement_content(signal.text)
    return signal.topic


def _words(text: str) -> list[str]:
    return re.findall(r"[\w'&-]+", text)


def _without_others(content: str, topic: str, others: Sequence[str]) -> str:
    """`content` without the words of the `others` it names (those `topic` shares are kept)."""
    dropped = {word for other in others for word in _words(other)} - set(_words(topic))
    return " ".join(word for word in _words(content) if word not in dropped)


def _listing(signal: Signal) -> tuple[str, str, str]:
    """The sentence a signal was read from, and the way it was said: signals that share
    it were listed side by side ("I love X, Y and Z")."""
    return (signal.evidence_id, signal.text, signal.value)


def _own_parts(signals: Sequence[Signal]) -> list[str]:
    """What each signal's words are about, each sentence said of its own topic alone.

    One sentence can list several things ("I love cooking, fishing and comic books"):
    its three signals share its text, and compared by that text they would always join,
    making one preference of three. Each takes the sentence without the words of the
    other things it names the same way. (Things it names opposite ways, "not X; Y
    instead", are two ends of one preference, which the shared text rightly joins.)"""
    topics_by_text: dict[tuple[str, str, str], set[str]] = {}
    for signal in signals:
        if signal.text and signal.source == "statement":
            topics_by_text.setdefault(_listing(signal), set()).add(signal.topic)
    parts = []
    for signal in signals:
        about = said_about(signal)
        siblings = topics_by_text.get(_listing(signal), set()) - {signal.topic}
        if siblings and signal.source == "statement":
            about = _without_others(about, signal.topic, sorted(siblings)) or signal.topic
        parts.append(about)
    return parts


def _sentence_means(phrasings: Sequence[Phrasing], vectors: Vectors) -> NDArray[np.float32]:
    """Each phrasing's mean unit vector of what its sentences are about (without a sentence:
    its topic; a sentence that names several things: the part about its own)."""
    texts = _own_parts([s for p in phrasings for s in p.signals])
    flat = _unit(np.asarray(vectors(texts), dtype=np.float32))
    means, start = [], 0
    for phrasing in phrasings:
        means.append(flat[start : start + len(phrasing.signals)].mean(axis=0))
        start += len(phrasing.signals)
    return np.stack(means).astype(np.float32)


def _word_links(phrasings: Sequence[Phrasing], bonus: float) -> NDArray[np.float64]:
    """Per pair of phrasings, `bonus` when words link their topics (ends of one scale, or a
    thing one names as absent): sentence embeddings put "mild food" and "the hotter the
    better" far apart (cosine 0.19), though the heat scale links them. Only pairs that share
    a scale or a named thing are read, so this stays cheap for users with many phrasings."""
    links = np.zeros((len(phrasings), len(phrasings)))
    if not bonus:
        return links
    by_key: dict[str, list[int]] = {}
    for index, phrasing in enumerate(phrasings):
        for key in link_keys(phrasing.topic):
            by_key.setdefault(key, []).append(index)
    candidates = {(i, j) for members in by_key.values() for i in members for j in members if i < j}
    for i, j in candidates:
        if relation(phrasings[i].topic, phrasings[j].topic):
            links[i, j] = links[j, i] = bonus
    return links


def _listed_apart(phrasings: Sequence[Phrasing]) -> NDArray[np.bool_]:
    """Per pair of phrasings, whether one sentence named both, side by side and the same way
    ("I play the piano, the guitar and the drums"): a list names different things, so the
    two are never joined as one preference, however close their meaning."""
    by_text: dict[tuple[str, str, str], set[int]] = {}
    for index, phrasing in enumerate(phrasings):
        for signal in phrasing.signals:
            if signal.source == "statement" and signal.text:
                by_text.setdefault(_listing(signal), set()).add(index)
    apart = np.zeros((len(phrasings), len(phrasings)), dtype=bool)
    for members in by_text.values():
        listed = sorted(members)
        for i in listed:
            for j in listed:
                apart[i, j] = i != j
    return apart


def _pairwise_clusters(
    means: NDArray[np.float32],
    sizes: list[int],
    threshold: float,
    links: NDArray[np.float64] | None = None,
    apart: NDArray[np.bool_] | None = None,
) -> list[list[int]]:
    """Average linkage over the pairs' cosines (the dot products of the phrasings' mean
    vectors) plus `links`, the bonus of pairs that words link; a merged group's similarity
    to another is the size-weighted mean of its parts' (Lance-Williams). Groups holding a
    pair marked in `apart` never merge."""
    clusters: list[list[int]] = [[i] for i in range(len(means))]
    weight = np.asarray(sizes, dtype=np.float64)
    unit = means.astype(np.float64)
    pair = unit @ unit.T  # between groups: kept up to date as groups merge
    if links is not None:
        pair += links
    kept_apart = apart.copy() if apart is not None else np.zeros(pair.shape, dtype=bool)
    similarity = pair.copy()  # the same, with merged-away groups, the diagonal and pairs kept apart masked
    np.fill_diagonal(similarity, -np.inf)
    similarity[kept_apart] = -np.inf
    alive = np.ones(len(means), dtype=bool)
    while alive.sum() > 1:
        flat = int(np.argmax(similarity))
        a, b = divmod(flat, len(means))
        if similarity[a, b] < threshold:
            break
        a, b = min(a, b), max(a, b)  # the earlier group keeps its place (and its anchor)
        total = weight[a] + weight[b]
        row = (weight[a] * pair[a] + weight[b] * pair[b]) / total
        pair[a, :] = pair[:, a] = row
        weight[a] = total
        clusters[a] += clusters[b]
        clusters[b] = []
        alive[b] = False
        kept_apart[a, :] = kept_apart[:, a] = kept_apart[a] | kept_apart[b]
        similarity[b, :] = similarity[:, b] = -np.inf
        row = row.copy()
        row[~alive | kept_apart[a]] = -np.inf
        row[a] = -np.inf
        similarity[a, :] = similarity[:, a] = row
    return [members for members in clusters if members]


def _greedy_clusters(
    means: NDArray[np.float32], sizes: list[int], threshold: float, apart: NDArray[np.bool_] | None = None
) -> list[list[int]]:
    """One pass in time order: each phrasing joins the group whose mean is most similar, if
    close enough and holding nothing it is kept `apart` from."""
    clusters: list[list[int]] = []
    centres = np.zeros(means.shape, dtype=np.float64)
    weights = np.zeros(len(means), dtype=np.float64)
    for index, vector in enumerate(means.astype(np.float64)):
        if clusters:
            scores = centres[: len(clusters)] @ vector
            if apart is not None and apart[index].any():
                for number, members in enumerate(clusters):
                    if apart[index, members].any():
                        scores[number] = -np.inf
            best = int(np.argmax(scores))
            if scores[best] >= threshold:
                total = weights[best] + sizes[index]
                centres[best] = (weights[best] * centres[best] + sizes[index] * vector) / total
                weights[best] = total
                clusters[best].append(index)
                continue
        centres[len(clusters)] = vector
        weights[len(clusters)] = sizes[index]
        clusters.append([index])
    return clusters


def _main_axis_sides(members: Sequence[Phrasing], vectors: Vectors) -> list[int]:
    """Which side of the members' main topic axis each member's topic lies on, the first's side being +1."""
    topics = _unit(np.asarray(vectors([p.topic for p in members]), dtype=np.float32)).astype(np.float64)
    centred = topics - topics.mean(axis=0)
    _, _, axes = np.linalg.svd(centred, full_matrices=False)
    sides = np.where(centred @ axes[0] >= 0, 1, -1)
    return [int(side * sides[0]) for side in sides]


def _sides_between_ends(placed: dict[str, int], unplaced: Sequence[str], vectors: Vectors) -> dict[str, int]:
    """Each unplaced topic's end: the side, along the line between the two ends' mean topic
    vectors, of the point halfway between them."""
    names = list(placed)
    matrix = _unit(np.asarray(vectors(names + list(unplaced)), dtype=np.float32)).astype(np.float64)
    plus = matrix[[i for i, name in enumerate(names) if placed[name] == 1]].mean(axis=0)
    minus = matrix[[i for i, name in enumerate(names) if placed[name] == -1]].mean(axis=0)
    scores = (matrix[len(names) :] - (plus + minus) / 2) @ (plus - minus)
    return {topic: 1 if score >= 0 else -1 for topic, score in zip(unplaced, scores, strict=True)}


#: How much closer (in cosine, along the line between the group's two ends) a pick must
#: lie to one end than the options it was chosen over, for the choice to place it there.
PICK_CONTRAST = 0.03


def _picked_topics(members: Sequence[Phrasing]) -> dict[str, list[Signal]]:
    """Topics said only by one-off choices whose pick names what it was chosen over, with their signals."""
    contrasted = {s.evidence_id for m in members for s in m.signals if s.source == "choice" and s.passed_over}
    by_topic: dict[str, list[Signal]] = {}
    for member in members:
        for signal in member.signals:
            by_topic.setdefault(signal.topic, []).append(signal)
    return {
        topic: signals
        for topic, signals in by_topic.items()
        if all(s.source == "choice" and s.evidence_id in contrasted for s in signals)
    }


def _ends_by_contrast(
    picked: dict[str, list[Signal]], poles: dict[str, int], members: Sequence[Phrasing], vectors: Vectors
) -> dict[str, int | None]:
    """Each picked topic's end by `_leanings`: None where it leans under `PICK_CONTRAST` either way."""
    return {
        topic: None if abs(lean) < PICK_CONTRAST else (1 if lean > 0 else -1)
        for topic, lean in _leanings(picked, poles, members, vectors).items()
    }


def _leanings(
    picked: dict[str, list[Signal]], poles: dict[str, int], members: Sequence[Phrasing], vectors: Vectors
) -> dict[str, float]:
    """How far each picked topic leans to the +1 end, read from what its choices set it apart from.

    A pick says little on its own ("A gripping WWII novel"): placed by its embedding it
    may land on either end of "I dislike science fiction". Against the options it was
    chosen over ("a space opera", "a cyberpunk thriller") it is plain which end it is
    nearer: the one the picked option leans to more than the passed-over ones, along the
    line from the group's other end (the sentences placed there) to this end, in cosine.

    `poles` places every topic of `members` not in `picked`. What a sentence or an option
    says it has none of is cut first ("a comedy with no laugh track" is not near "laugh
    tracks"), and in a sentence it names the other end ("games free of microtransactions":
    games at its end, microtransactions at the other).
    """
    said: list[tuple[str, int]] = []
    sentences: dict[tuple[str, str], set[str]] = {}
    for member in members:
        for signal in member.signals:
            sentences.setdefault((signal.evidence_id, signal.text), set()).add(signal.topic)
    for member in members:
        for signal in member.signals:
            if signal.topic not in picked:
                # a sentence naming two things ("modern graphics over pixel art") stands
                # at both ends: each of its things speaks for its own end alone
                shared = len(sentences[(signal.evidence_id, signal.text)]) > 1
                left_out, rest = few_or_none(signal.topic if shared else said_about(signal))
                end = poles[signal.topic]
                if any(signal.topic in thing for thing in left_out):
                    end = -end  # the topic is what the sentence leaves out ("cruelty" of "cruelty-free")
                said += [(rest, end)] + [(thing, -end) for thing in left_out]
    picks = list({s.evidence_id: s for m in members for s in m.signals if s.passed_over}.values())
    texts = [text for text, _ in said] + [few_or_none(p.text or p.topic)[1] for p in picks]
    texts += [few_or_none(other)[1] for p in picks for other in p.passed_over]
    matrix = _unit(np.asarray(vectors(texts), dtype=np.float32)).astype(np.float64)
    ends = np.asarray([end for _, end in said])
    direction = np.zeros(matrix.shape[1])
    for end in (1, -1):
        if (ends == end).any():
            direction += end * matrix[: len(said)][ends == end].mean(axis=0)
    direction /= np.linalg.norm(direction) or 1.0
    contrast: dict[str, float] = {}  # record -> how far its pick leans to the +1 end over the rest
    start = len(said) + len(picks)
    for index, pick in enumerate(picks):
        others = matrix[start : start + len(pick.passed_over)]
        start += len(pick.passed_over)
        contrast[pick.evidence_id] = float((matrix[len(said) + index] - others.mean(axis=0)) @ direction)
    # the pick leans its record's way; the one option it beat (a choice of two) the other way
    return {
        topic: float(np.mean([contrast[s.evidence_id] * (1 if s.passed_over else -1) for s in signals]))
        for topic, signals in picked.items()
    }


#: How far (in cosine, as `_leanings` measures) a pick must lean to one end of a group
#: of statements, more than what it was chosen over, for the choice to join that group:
#: options set apart along what the statements speak of make a choice about it. On the
#: PrefEval topics used for tuning, 4 in 136 picks lean that far to a group they do not
#: belong to, 39 in 128 to one they belong to.
ATTACH_CONTRAST = 0.15
#: A pick is weighed against the groups of statements nearest it in meaning, this many.
ATTACH_CANDIDATES = 3


def _in_time(members: Sequence[Phrasing]) -> list[Phrasing]:
    """Phrasings by their first signal's time (at the same moment, what is wanted first)."""
    return sorted(members, key=lambda p: (p.signals[0].timestamp, p.lean() != FOR, p.key))


def _attach_picks(
    clusters: list[list[int]], phrasings: Sequence[Phrasing], means: NDArray[np.float32], vectors: Vectors
) -> list[list[int]]:
    """Join a group made of one choice's picks to the group of statements it sets them apart on.

    "A gripping WWII novel", chosen over a space opera and a cyberpunk thriller, shares
    few words and little meaning with "I dislike science fiction"; but the options it beat
    lie along what that sentence speaks of, and the pick lies away from them. A pick joins
    the group (of the `ATTACH_CANDIDATES` nearest in meaning) it leans furthest along,
    when that is at least `ATTACH_CONTRAST`.
    """

    def said(cluster: list[int]) -> list[Signal]:
        return [s for i in cluster for s in phrasings[i].signals]

    picks = [  # one choice each: picks made again and again are a slot of their own
        c
        for c in clusters
        if all(s.source == "choice" for s in said(c))
        and len({s.evidence_id for s in said(c)}) == 1
        and _picked_topics([phrasings[i] for i in c])
    ]
    stated = [c for c in clusters if any(s.source == "statement" for s in said(c))]
    if not picks or not stated:
        return clusters
    others = [c for c in clusters if c not in picks and c not in stated]
    centres = np.stack([_unit(means[c].mean(axis=0, keepdims=True))[0] for c in stated])
    poles_of: dict[int, dict[str, int]] = {}
    joined: dict[int, list[int]] = {}
    apart = []
    for pick in picks:
        centre = _unit(means[pick].mean(axis=0, keepdims=True))[0]
        nearest = np.argsort(-(centres @ centre))[:ATTACH_CANDIDATES]
        choice = [phrasings[i] for i in pick]
        picked = _picked_topics(choice)
        best, furthest = -1, ATTACH_CONTRAST
        for index in nearest.tolist():
            members = [phrasings[i] for i in stated[index]]
            if index not in poles_of:
                poles_of[index] = _poles(_in_time(members), vectors)[0]
            leans = _leanings(picked, poles_of[index], members + choice, vectors)
            lean = abs(float(np.mean(list(leans.values()))))
            if lean >= furthest:
                best, furthest = index, lean
        if best < 0:
            apart.append(pick)
        else:
            joined.setdefault(best, []).extend(pick)
    return [c + joined.get(index, []) for index, c in enumerate(stated)] + apart + others


def _poles(
    members: Sequence[Phrasing], vectors: Vectors
) -> tuple[dict[str, int], frozenset[str], frozenset[str]]:
    """+1 or -1 per topic: which end of the group's scale it names, the first topic's end being +1.

    Topics said only by one-off choices that name what they were chosen over are placed
    last, by that contrast (`_ends_by_contrast`), on the ends that everything else took
    (`_poles_by_words`); one the contrast cannot place counts as guessed. When such a pick
    came first, the ends are turned so that it names the +1 end. Returns the ends, the
    topics placed by guesses and the presumed ones.
    """
    picked = _picked_topics(members)
    rest = [Phrasing(m.key, m.topic, [s for s in m.signals if s.topic not in picked]) for m in members]
    rest = [m for m in rest if m.signals]
    if not picked or not rest:
        return _poles_by_words(members, vectors)
    poles, guessed, presumed = _poles_by_words(rest, vectors)
    by_contrast = _ends_by_contrast(picked, poles, members, vectors)
    poles.update({topic: end or 1 for topic, end in by_contrast.items()})
    guessed |= {topic for topic, end in by_contrast.items() if end is None}
    first = members[0].signals[0].topic
    if poles[first] == -1:
        poles = {topic: -end for topic, end in poles.items()}
    return poles, guessed, presumed


def _poles_by_words(
    members: Sequence[Phrasing], vectors: Vectors
) -> tuple[dict[str, int], frozenset[str], frozenset[str]]:
    """+1 or -1 per topic: which end of the group's scale it names, the first topic's end being +1.

    A topic one record took the other side on than a placed one ("prose rather than
    fragments", a choice between two replies) names the other end. Then words decide
    (`memory.consolidation.scales`): a topic linked to one already placed, by a scale both
    name or by a thing one names as absent, takes its end from that link; so does a topic
    said with the same stance in one message as a placed one. A topic neither can place takes
    the end of a placed topic of its own phrasing (topics that close name the same end).
    Of the phrasings left over, when the phrasings lean both ways, those leaning like the
    first phrasing, when all its signals agree, take its end (presumed), along with what
    words or a shared message link to them (no longer presumed when that placed both ends
    and the topics words placed, measured between them, lie on their own side); the rest
    take the end they lie nearer to in topic embeddings if topics are placed at both ends,
    else the first topic's end (taken at their word) if the first phrasing wavered, else
    their side of the group's main topic axis. When the phrasings all lean one way,
    everything left takes the first topic's end. Returns the ends, the topics placed by
    embeddings (guesses, not words) and the presumed ones.
    """
    member_of: dict[str, int] = {}
    said_in: dict[str, dict[str, str]] = {}  # topic -> evidence id -> value
    for index, member in enumerate(members):
        for signal in member.signals:
            member_of.setdefault(signal.topic, index)
            said_in.setdefault(signal.topic, {})[signal.evidence_id] = signal.value
    topics = list(member_of)
    poles: dict[str, int] = {}
    first_placed: dict[int, str] = {}  # per phrasing, the first of its topics placed

    def linked(first: str, second: str) -> int:
        shared = [e for e in said_in[first] if e in said_in[second]]  # said in one record
        if any(said_in[first][e] != said_in[second][e] for e in shared):
            return -1  # one over the other ("prose rather than fragments", a choice): opposite ends
        words = relation(first, second)
        if words:
            return words
        return 1 if shared else 0  # liked or disliked together

    def settle(topic: str, pole: int) -> None:
        poles[topic] = pole
        first_placed.setdefault(member_of[topic], topic)

    def place(topic: str, pole: int) -> None:
        """Place a topic, then every topic words or a shared message link to it, and so on."""
        settle(topic, pole)
        queue = [topic]
        while queue:
            placed = queue.pop(0)
            for other in topics:
                if other not in poles:
                    link = linked(placed, other)
                    if link:
                        settle(other, poles[placed] * link)
                        queue.append(other)

    place(topics[0], 1)
    while len(poles) < len(topics):
        kin = next(
            (t for t in topics if t not in poles and member_of[t] in first_placed),
            None,
        )
        if kin is None:
            break
        place(kin, poles[first_placed[member_of[kin]]])
    unplaced = [topic for topic in topics if topic not in poles]
    if not unplaced or len({member.lean() for member in members}) == 1:
        return {**poles, **dict.fromkeys(unplaced, 1)}, frozenset(), frozenset()
    first = members[0]
    presumed: list[str] = []
    steady = len({s.value for s in first.signals}) == 1  # the first phrasing never wavered
    if steady:
        for topic in [t for t in unplaced if members[member_of[t]].lean() == first.lean()]:
            if topic not in poles:
                place(topic, 1)  # what words or a shared message link to it follows the presumption
        presumed = [t for t in unplaced if t in poles]
        unplaced = [t for t in unplaced if t not in poles]
        by_presumption = {t: poles[t] for t in presumed}
        if len(set(by_presumption.values())) == 2:
            anchors = [t for t in poles if t not in by_presumption]
            measured = _sides_between_ends(by_presumption, anchors, vectors)
            if all(measured[t] == poles[t] for t in anchors):
                presumed = []  # the words' ends, measured between the presumed ones, agree
    if not unplaced:
        pass
    elif len(set(poles.values())) == 2:
        poles.update(_sides_between_ends(poles, unplaced, vectors))
    elif not steady:  # nothing presumed, and an axis would read any two phrasings as one stance
        poles.update(dict.fromkeys(unplaced, 1))
    else:
        sides = _main_axis_sides(members, vectors)
        poles.update({topic: sides[member_of[topic]] for topic in unplaced})
    return poles, frozenset(unplaced), frozenset(presumed)  # placed by embeddings, not by words


#: Topic cosine at or above which two topics may name one thing or the two ends of one
#: scale: MiniLM puts near-synonyms ("sci-fi novels", "science fiction": 0.66) and
#: antonyms ("hot weather", "cold weather": 0.68) alike there, so an end guessed between
#: such topics is in doubt. Below it the topics name different things ("gluten" and "a
#: quinoa salad"), and a phrasing leaning the other way names the other end.
NEAR_TOPIC = 0.5


def _in_doubt(
    guessed: frozenset[str],
    presumed: frozenset[str],
    poles: dict[str, int],
    vectors: Vectors,
    identities: frozenset[str] = frozenset(),
) -> tuple[frozenset[str], frozenset[str]]:
    """The guessed and presumed topics whose end is in doubt: those within `NEAR_TOPIC`
    of a topic words placed, which could as well be its synonym as its opposite. Who the
    speaker is ("vegan", "lactose intolerant") has no synonym among things: a thing near
    an identity and said the other way ("animal products" avoided) is its other end."""
    unsure = sorted(guessed | presumed)
    placed = [topic for topic in poles if topic not in guessed and topic not in presumed]
    if not unsure or not placed:
        return guessed, presumed
    placed = [topic for topic in placed if topic not in identities]
    if not placed:
        return frozenset(), frozenset()
    matrix = _unit(np.asarray(vectors(unsure + placed), dtype=np.float32)).astype(np.float64)
    nearest = (matrix[: len(unsure)] @ matrix[len(unsure) :].T).max(axis=1)
    doubtful = {topic for topic, cosine in zip(unsure, nearest, strict=True) if cosine >= NEAR_TOPIC}
    return guessed & doubtful, presumed & doubtful


def _only_picks(phrasing: Phrasing) -> bool:
    """A phrasing made of choices alone: an option picked (or passed over), nothing said."""
    return all(signal.source == "choice" for signal in phrasing.signals)


@dataclasses.dataclass
class Joined:
    """Phrasings joined as one preference.

    `first` names it: the earliest phrasing (at the same moment, one that says what is
    wanted rather than what is not). `signals` are all its signals in time order, each
    turned to speak of `first`'s topic; `ends` says, per topic, whether it names the same
    end of the scale as `first` (+1) or the other (-1).
    """

    first: Phrasing
    signals: list[Signal]
    ends: dict[str, int]
    #: Topics whose end came from topic embeddings (a guess), not from words.
    ends_guessed: frozenset[str] = frozenset()
    #: Topics that took the end of a steady first phrasing they lean like (a presumption).
    ends_presumed: frozenset[str] = frozenset()


def join_paraphrases(
    phrasings: Sequence[Phrasing], vectors: Vectors, *, threshold: float, word_link_bonus: float = 0.0
) -> list[Joined]:
    """Join phrasings of one preference (see `Joined`). Phrasings must be in time order of their first signal.

    Signals that name the other end of the group's scale come back with their stance
    turned round, so every signal of a group speaks of the first phrasing's topic.
    `word_link_bonus` is added to the similarity of phrasings whose topics words link (in
    pairwise merging; the greedy pass for very many phrasings goes by embeddings alone).
    """
    if not phrasings:
        return []
    if threshold > 1.0:
        return [Joined(p, list(p.signals), {p.topic: 1}) for p in phrasings]
    clusters = [[0]]
    if len(phrasings) > 1:
        means = _sentence_means(phrasings, vectors)
        sizes = [len(p.signals) for p in phrasings]
        if len(phrasings) <= MAX_PAIRWISE:
            links = _word_links(phrasings, word_link_bonus)
            clusters = _pairwise_clusters(means, sizes, threshold, links, _listed_apart(phrasings))
        else:
            clusters = _greedy_clusters(means, sizes, threshold, _listed_apart(phrasings))
        clusters = _attach_picks(clusters, phrasings, means, vectors)
    joined = []
    for indices in clusters:
        members = _in_time([phrasings[i] for i in indices])
        poles, guessed, presumed = _poles(members, vectors)
        picks = [m for m in members if _only_picks(m) and m.topic in guessed]
        if picks and len(picks) < len(members):
            # a pick among options joined only by a guessed end says nothing words can place:
            # it stands apart rather than vote on a guess
            joined += [Joined(p, list(p.signals), {p.topic: 1}) for p in picks]
            members = [m for m in members if m not in picks]
            poles, guessed, presumed = _poles(members, vectors)
        identities = frozenset(
            s.topic for m in members for s in m.signals if s.identity and s.source == "statement"
        )
        guessed, presumed = _in_doubt(guessed, presumed, poles, vectors, identities)
        signals = [s if poles[s.topic] == 1 else turned(s) for member in members for s in member.signals]
        in_time = sorted(signals, key=lambda s: (s.timestamp, s.signal_id))
        joined.append(Joined(members[0], in_time, poles, guessed, presumed))
    joined.sort(key=lambda group: (group.signals[0].timestamp, group.first.key))
    return joined
