"""Assembling the parts from the configuration: the one place that turns settings into objects.

Backends are chosen by name and imported only when built, so nothing heavy (torch,
transformers, chromadb) loads until a command needs it.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING, Any

from prefmem.agent.assistant import Assistant
from prefmem.agent.config import Config
from prefmem.agent.llm.base import ChatModel
from prefmem.memory.consolidation.job import ConsolidationJob
from prefmem.memory.consolidation.rules import ConsolidationRules
from prefmem.memory.cpu import resolve_precision
from prefmem.memory.datadir import DataFolder, LockMode
from prefmem.memory.embeddings.base import Embedder
from prefmem.memory.episodic.base import EpisodicStore
from prefmem.memory.errors import ConfigError, DataFolderError
from prefmem.memory.extraction.base import SignalExtractor
from prefmem.memory.extraction.parsed import ParsedExtractor
from prefmem.memory.extraction.polarity import AnchorPolarity
from prefmem.memory.preferences import Preference
from prefmem.memory.semantic.store import SemanticStore

if TYPE_CHECKING:
    from prefmem.agent.llm.langchain import LangChainChatModel
    from prefmem.agent.rerank import Personalizer
    from prefmem.agent.reward.coefficient_store import CoefficientStore
    from prefmem.agent.reward.learned_functions import LearnedFunctions
    from prefmem.agent.reward.preference_terms.base import PreferenceScorer


def build_embedder(config: Config) -> Embedder:
    """The configured embedder."""
    settings = config.embedder
    if settings.backend == "hashing":
        from prefmem.memory.embeddings.fake import HashingEmbedder

        return HashingEmbedder()
    from prefmem.memory.embeddings.sentence_transformers import SentenceTransformerEmbedder

    return SentenceTransformerEmbedder(settings.model, batch_size=settings.batch_size)


def build_llm(config: Config, *, on_status: Callable[[str], None] | None = None) -> ChatModel:
    """The configured chat model (not loaded yet)."""
    settings = config.llm
    if settings.backend == "scripted":
        from prefmem.agent.llm.scripted import ScriptedChatModel

        return ScriptedChatModel()
    if settings.backend == "langchain":
        return _langchain_model(config, temperature=settings.temperature)
    common: dict[str, Any] = {
        "cache_dir": config.data_path / "models",
        "temperature": settings.temperature,
        "top_p": settings.top_p,
        "max_new_tokens": settings.max_new_tokens,
        "dtype": settings.dtype,
        "sentence_stop_after": settings.sentence_stop_after,
        "on_status": on_status,
    }
    if settings.engine == "transformers":
        from prefmem.agent.llm.transformers_local import LocalTransformersChatModel

        return LocalTransformersChatModel(settings.model, **common)
    from prefmem.agent.llm.onnx_local import LocalOnnxChatModel

    return LocalOnnxChatModel(
        settings.model, engine=settings.engine, threads=settings.threads, spin=settings.spin, **common
    )


def _langchain_model(config: Config, *, temperature: float) -> LangChainChatModel:
    from prefmem.agent.llm.langchain import LangChainChatModel

    settings = config.llm
    return LangChainChatModel.from_settings(
        settings.model,
        provider=settings.provider,
        base_url=settings.base_url,
        api_key_env=settings.api_key_env,
        temperature=temperature,
        max_new_tokens=settings.max_new_tokens,
    )


def build_consolidation_rules(config: Config) -> ConsolidationRules:
    """The configured evidence model and grouping thresholds that decide a slot's kind."""
    return config.consolidation.rules()


def build_preference_scorer(config: Config, embedder: Embedder) -> PreferenceScorer:
    """The configured preference term: trained (once `prefmem train-scorer` cached it), offline or LLM.

    `auto` takes the trained scorer when its files are in the data folder and it was trained on
    data the user supplied, else the offline one (`trained` also takes synthetic-only weights).
    """
    from prefmem.agent.reward.preference_terms.offline import OfflinePreferenceScorer
    from prefmem.agent.reward.preference_terms.trained import TrainedPreferenceScorer, trained_scorer_dir

    choice = config.reward.preference_scorer
    if choice == "llm":
        if config.llm.backend != "langchain":
            raise ConfigError("reward.preference_scorer: llm needs llm.backend: langchain")
        from prefmem.agent.reward.preference_terms.llm_judge import LLMJudgeScorer

        return LLMJudgeScorer(_langchain_model(config, temperature=0.0).chat_model)
    folder = trained_scorer_dir(config.data_path)
    if choice == "trained":
        if not TrainedPreferenceScorer.exists(folder):
            raise ConfigError(
                f"reward.preference_scorer: trained, but no trained scorer in {folder}: "
                "run `prefmem train-scorer` first"
            )
        return TrainedPreferenceScorer.load(folder, embedder)
    if choice == "auto" and TrainedPreferenceScorer.exists(folder):
        trained = TrainedPreferenceScorer.load(folder, embedder)
        # synthetic-only weights measured below the offline scorer on held-out data: opt in with `trained`
        if not trained.synthetic_only:
            return trained
    return OfflinePreferenceScorer(embedder)


class Runtime:
    """The configured parts for one command, built on first use; holds the data folder's lock.

    Use it as a context manager so the lock is released however the command ends.
    `lock="exclusive"` for commands that write the store, `"shared"` for read-only ones.
    With episodic memory on a Chroma server every lock is shared: the SQLite files in the
    data folder take concurrent readers and one writer at a time, so `prefmem serve`,
    `chat` and `consolidate` may run at once; the embedded Chroma store allows one writer.
    Building parts changes nothing process-wide.
    """

    def __init__(
        self,
        config: Config,
        *,
        lock: LockMode = "exclusive",
        create: bool = True,
        embedder: Embedder | None = None,
    ) -> None:
        """`embedder` replaces the configured one (evaluations share one cached embedder across runs)."""
        self.config = config
        self.folder = DataFolder(config.data_path)
        self._lock: LockMode = lock
        self._create = create
        self._embedder: Embedder | None = embedder
        self._embedder_given = embedder is not None
        self._scoring_embedder: Embedder | None = None
        self._store: EpisodicStore | None = None
        self._llm: ChatModel | None = None
        self._semantic: SemanticStore | None = None
        self._coefficients: CoefficientStore | None = None

    def __enter__(self) -> Runtime:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, trace: TracebackType | None
    ) -> None:
        if self._store is not None:
            self._store.close()
        if self._semantic is not None:
            self._semantic.close()
        if self._coefficients is not None:
            self._coefficients.close()
        self.folder.release()

    @property
    def data_path(self) -> Path:
        return self.folder.path

    @property
    def embedder(self) -> Embedder:
        if self._embedder is None:
            self._embedder = build_embedder(self.config)
        return self._embedder

    @property
    def store(self) -> EpisodicStore:
        """The episodic store: on the configured Chroma server, or embedded in the data folder."""
        if self._store is None:
            self._store = self._open_store()
        return self._store

    def _prepare_folder(self) -> None:
        """Create (or require) the data folder and take its lock, once."""
        if self._create:
            self.folder.ensure()
        else:
            self.folder.require_existing()
        shared = self.config.episodic.server is not None
        self.folder.acquire("shared" if shared else self._lock)

    def _open_store(self) -> EpisodicStore:
        from prefmem.memory.episodic.chroma import SQLITE_NAME, ChromaEpisodicStore

        episodic = self.config.episodic
        ranking = {
            "half_life_days": episodic.recency_half_life_days,
            "similarity_weight": episodic.similarity_weight,
        }
        self._prepare_folder()
        self.folder.check_database("episodic/texts.sqlite3")
        if episodic.server is not None:
            server = episodic.server
            return ChromaEpisodicStore.server(
                server.host,
                server.port,
                self.embedder,
                folder=self.folder.path / "episodic",
                ssl=server.ssl,
                **ranking,
            )
        path = self.folder.path / "episodic"
        if not path.exists() and not self._create:
            raise DataFolderError(f"no episodic store in {self.folder.path}: nothing has been stored yet")
        if path.exists():
            self.folder.check_database(str(Path("episodic") / SQLITE_NAME))
        return ChromaEpisodicStore.persistent(
            path, self.embedder, **ranking
        )

    @property
    def semantic(self) -> SemanticStore:
        """The semantic store (preferences), in the data folder next to the episodic store."""
        if self._semantic is None:
            self._prepare_folder()
            self._semantic = SemanticStore(self.folder.path / SemanticStore.FILE_NAME)
        return self._semantic

    @property
    def coefficients(self) -> CoefficientStore:
        """The users' fitted reward coefficients, in the data folder."""
        if self._coefficients is None:
            from prefmem.agent.reward.coefficient_store import CoefficientStore

            self._prepare_folder()
            self._coefficients = CoefficientStore(self.folder.path / CoefficientStore.FILE_NAME)
        return self._coefficients

    def prompt_preferences(self, user_id: str) -> list[Preference]:
        """The preferences that may personalize the user's replies and rankings (none when
        assistant.memory is episodic): what chat, `prefmem rerank` and `Memory.rerank` use."""
        from prefmem.agent.rerank import usable_preferences

        if self.config.assistant.memory == "episodic":
            return []
        return usable_preferences(
            self.semantic, user_id, tentative_weight=self.config.assistant.tentative_weight
        )

    def preference_scorer(self) -> PreferenceScorer:
        """The configured c(p, x, y) (see `build_preference_scorer`)."""
        return build_preference_scorer(self.config, self.embedder)

    def personalizer(self) -> Personalizer:
        """The reward scorer with this runtime's coefficient store: what reranks candidates."""
        from prefmem.agent.rerank import Personalizer
        from prefmem.agent.reward.coefficients import population_vector
        from prefmem.agent.reward.scorer import RewardScorer
        from prefmem.memory.embeddings.cached import CachedEmbedder

        settings = self.config.reward
        try:
            population = population_vector(settings.population_coefficients)
        except ValueError as error:
            raise ConfigError(f"reward.population_coefficients: {error}") from None
        # one cache for the whole reward: candidates are embedded once per turn, not once per term
        embedder = CachedEmbedder(self._reward_embedder())
        scorer = RewardScorer(
            learned=self.learned_functions(),
            embedder=embedder,
            preference_scorer=build_preference_scorer(self.config, embedder),
            population=population,
            relevance_weight=settings.relevance_weight,
            personal_bound=settings.personal_bound,
            sycophancy_penalty=settings.sycophancy_penalty,
            max_preferences=settings.max_preferences,
            relevance_margin=settings.relevance_margin,
            relevance_softness=settings.relevance_softness,
            tentative_weight=self.config.assistant.tentative_weight,
        )
        return Personalizer(
            scorer=scorer,
            coefficient_store=self.coefficients,
            prior_strength=settings.prior_strength,
            stability_agreement=settings.stability_agreement,
            stability_min_votes=settings.stability_min_votes,
            occasion=self.config.consolidation.occasion,
        )

    def _reward_embedder(self) -> Embedder:
        """What embeds candidates while they are scored: the configured model in
        reward.embedding_precision. An embedder given to the runtime is used as it is, and so
        is one already in float32 (nothing is loaded twice)."""
        if self._scoring_embedder is None:
            settings = self.config.embedder
            precision = resolve_precision(self.config.reward.embedding_precision)
            if self._embedder_given or settings.backend != "sentence-transformers" or precision == "float32":
                self._scoring_embedder = self.embedder
            else:
                from prefmem.memory.embeddings.sentence_transformers import SentenceTransformerEmbedder

                self._scoring_embedder = SentenceTransformerEmbedder(
                    settings.model, batch_size=settings.batch_size, precision=precision
                )
        return self._scoring_embedder

    def learned_functions(self) -> LearnedFunctions | None:
        """The learned reward functions cached in the data folder, if enabled and over this embedder."""
        from prefmem.agent.reward.learned_functions import LearnedFunctions

        if not self.config.reward.learned_functions:
            return None
        learned = LearnedFunctions.load(self.folder.path / "models")
        if learned is None or learned.embedding_model != self.embedder.name:
            return None
        if learned.dimension != self.embedder.dimension:
            return None
        return learned

    def consolidation_job(self) -> ConsolidationJob:
        """The consolidation job over this runtime's stores, with the configured rules."""
        settings = self.config.consolidation
        rules = build_consolidation_rules(self.config)
        return ConsolidationJob(
            self.store,
            self.semantic,
            self.extractor(),
            self.embedder,
            rules=rules,
            occasion=settings.occasion,
        )

    def extractor(self) -> SignalExtractor:
        """The configured statement extractor: the offline parse, or the configured LangChain model."""
        if self.config.consolidation.extractor == "parse":
            return ParsedExtractor(polarity=AnchorPolarity(self.embedder))
        if self.config.llm.backend != "langchain":
            raise ConfigError(
                "consolidation.extractor: llm needs llm.backend: langchain (a model with structured output)"
            )
        from prefmem.memory.extraction.llm import LLMExtractor

        return LLMExtractor(_langchain_model(self.config, temperature=0.0).chat_model)

    def llm(self, *, on_status: Callable[[str], None] | None = None) -> ChatModel:
        if self._llm is None:
            self._llm = build_llm(self.config, on_status=on_status)
        return self._llm

    def assistant(self, *, on_status: Callable[[str], None] | None = None) -> Assistant:
        """The assistant over the configured store and chat model."""
        settings = self.config
        return Assistant(
            store=self.store,
            llm=self.llm(on_status=on_status),
            system_prompt=settings.assistant.system_prompt,
            recall_mode=settings.episodic.recall_mode,
            top_k=settings.episodic.top_k,
            min_similarity=settings.episodic.min_similarity,
            history_turns=settings.assistant.history_turns,
            max_message_chars=settings.assistant.max_message_chars,
            max_memory_chars=settings.assistant.max_memory_chars,
            memory=settings.assistant.memory,
            semantic=self.semantic,
            tentative_weight=settings.assistant.tentative_weight,
            consolidate=lambda user_id: self.consolidation_job().run([user_id]),
            consolidate_every=settings.consolidation.every_n_interactions,
            personalizer=self.personalizer(),
            candidates=settings.assistant.candidates,
            candidate_temperature=settings.assistant.candidate_temperature,
            reask_every=settings.assistant.reask_every,
        )
