"""`prefmem train-scorer` and `prefmem bench preference-scorer`: the preference term c(p, x, y)."""

from __future__ import annotations

from pathlib import Path

import typer

from prefmem.agent.cli.context import errors, guarded, options, print_json, progress_bar
from prefmem.memory.errors import InvalidInputError


def _topics(text: str | None) -> list[str] | None:
    if text is None:
        return None
    topics = [part.strip() for part in text.split(",") if part.strip()]
    if not topics:
        raise InvalidInputError("a topic list must name at least one topic")
    return topics


@guarded
def train_scorer_command(
    ctx: typer.Context,
    data: Path | None = typer.Option(None, "--data", help="A PrefEval-layout folder to train on."),
    topics: str | None = typer.Option(None, help="Comma-separated topics of --data to use (default all)."),
    synthetic: bool = typer.Option(False, "--synthetic", help="Train on the project's own synthetic data."),
    epochs: int = typer.Option(300, min=1, help="Training epochs (full batch)."),
    seed: int = typer.Option(0, help="Random seed (option order and initial weights)."),
    output: Path | None = typer.Option(None, help="Where to write the weights (default: the data folder)."),
    as_json: bool = typer.Option(False, "--json", help="Print the training report as JSON."),
) -> None:
    """Train the preference scorer and cache it in the data folder, where the default uses it."""
    from prefmem.agent.factory import build_embedder
    from prefmem.agent.reward.preference_terms.base import ScorerExample
    from prefmem.agent.reward.preference_terms.trained import TrainedPreferenceScorer, trained_scorer_dir
    from prefmem.evals.prefeval_data import examples as prefeval_examples
    from prefmem.evals.scorer_training_data import synthetic_examples

    if data is None and not synthetic:
        raise InvalidInputError("give --data DIR (a PrefEval-layout folder), --synthetic, or both")
    config = options(ctx).config()
    examples: list[ScorerExample] = []
    sources: list[str] = []
    if data is not None:
        examples += prefeval_examples(data, _topics(topics), seed=seed)
        sources.append(f"prefeval-layout:{data.name}")
    if synthetic:
        examples += synthetic_examples(seed=seed)
        sources.append("synthetic")
    with progress_bar("features", quiet=as_json) as bar:
        task = bar.add_task("features", total=len(examples))
        scorer = TrainedPreferenceScorer.train(
            examples,
            build_embedder(config),
            epochs=epochs,
            seed=seed,
            sources=sources,
            progress=lambda done, total: bar.update(task, completed=done),
        )
    folder = scorer.save(output or trained_scorer_dir(config.data_path))
    report = scorer.report
    assert report is not None  # set by train
    payload = {**report.__dict__, "saved_to": str(folder)}
    if as_json:
        print_json(payload)
    else:
        errors.print(
            f"trained on {report.examples} examples ({', '.join(sources)}): loss {report.final_loss:.3f}, "
            f"training accuracy {report.train_accuracy:.1%}; saved to {folder}"
        )


@guarded
def preference_scorer_bench_command(
    ctx: typer.Context,
    data: Path = typer.Option(..., "--data", help="A PrefEval-layout folder to test on."),
    topics: str | None = typer.Option(None, help="Comma-separated test topics of --data (default all)."),
    train_data: Path | None = typer.Option(None, "--train-data", help="Train the trained scorer on this."),
    train_topics: str | None = typer.Option(
        None, help="Comma-separated topics of --train-data (default all)"
    ),
    synthetic: bool = typer.Option(False, "--synthetic", help="Also train on the project's synthetic data."),
    scorer_name: str = typer.Option("offline", "--scorer", help="offline or trained."),
    seed: int = typer.Option(0, help="Seed for option order, other-preference choice and tie-breaks."),
    as_json: bool = typer.Option(False, "--json", help="Print the figures as JSON."),
) -> None:
    """Accuracy with the true, no and another item's preference on PrefEval multiple choice; the lift."""
    from prefmem.agent.factory import build_embedder
    from prefmem.agent.reward.preference_terms.base import PreferenceScorer
    from prefmem.agent.reward.preference_terms.offline import TUNING_TOPICS, OfflinePreferenceScorer
    from prefmem.agent.reward.preference_terms.trained import TrainedPreferenceScorer, trained_scorer_dir
    from prefmem.evals.bench_preference_scorer import bench_preference_scorer, check_disjoint
    from prefmem.evals.prefeval_data import examples as prefeval_examples
    from prefmem.evals.prefeval_data import list_topics
    from prefmem.evals.scorer_training_data import synthetic_examples

    config = options(ctx).config()
    embedder = build_embedder(config)
    test_topics = _topics(topics) or [t for t in list_topics(data) if t not in TUNING_TOPICS]
    scorer: PreferenceScorer
    trained_on: list[str] = []
    if scorer_name == "offline":
        if train_data is not None or synthetic:
            raise InvalidInputError("the offline scorer takes no training data; use --scorer trained")
        # the offline weights were set on these topics: reporting on them would tune and test on one file
        check_disjoint(list(TUNING_TOPICS), test_topics)
        scorer = OfflinePreferenceScorer(embedder)
    elif scorer_name == "trained":
        if train_data is not None or synthetic:
            train_examples = []
            if train_data is not None:
                train_examples = prefeval_examples(train_data, _topics(train_topics), seed=seed)
            check_disjoint(sorted({e.topic for e in train_examples}), test_topics)
            train_examples += synthetic_examples(seed=seed) if synthetic else []
            trained = TrainedPreferenceScorer.train(train_examples, embedder, seed=seed)
        else:
            trained = TrainedPreferenceScorer.load(trained_scorer_dir(config.data_path), embedder)
        trained_on = trained.training_topics
        check_disjoint(trained_on, test_topics)
        scorer = trained
    else:
        raise InvalidInputError(f"--scorer must be offline or trained, not {scorer_name!r}")
    test_examples = prefeval_examples(data, test_topics, seed=seed)
    with progress_bar("items", quiet=as_json) as bar:
        task = bar.add_task("items", total=len(test_examples))
        figures = bench_preference_scorer(
            scorer, test_examples, seed=seed, progress=lambda done, total: bar.update(task, completed=done)
        )
    figures["test_topics"] = test_topics
    figures["train_topics"] = trained_on
    if as_json:
        print_json(figures)
        return
    overall = figures["overall"]
    errors.print(
        f"{scorer.name} on {overall['items']} items: true {overall['accuracy_true']['value']:.1%}, "
        f"none {overall['accuracy_none']['value']:.1%}, other {overall['accuracy_other']['value']:.1%}, "
        f"lift {overall['lift']['value'] * 100:+.1f} points"
    )
