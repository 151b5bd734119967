"""The `prefmem` command: global options and the list of commands.

Each group of commands lives in its own module; this one only wires them together.
Nothing heavy is imported here, so `prefmem --help` is instant.
"""

from __future__ import annotations

from pathlib import Path

import typer

from prefmem.agent.cli import (
    bench,
    bench_reward,
    bench_serve,
    bench_web,
    chat,
    check,
    elicit,
    evals,
    evals_disagreement,
    evals_prefeval,
    evals_recall,
    evals_report,
    evals_sycophancy,
    memory_commands,
    preferences,
    rerank,
    reward_functions,
    scorer,
    serve,
)
from prefmem.agent.cli.context import GlobalOptions
from prefmem.agent.cli.process import quiet_offline_libraries

app = typer.Typer(
    name="prefmem",
    help="A personalized assistant that remembers, and personalizes only what stays stable.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)


@app.callback()
def main_options(
    ctx: typer.Context,
    data_dir: Path | None = typer.Option(
        None, "--data-dir", help="Folder for everything prefmem writes (default: config, $PREFMEM_DATA_DIR)."
    ),
    config: Path | None = typer.Option(
        None, "--config", help="Configuration file (default: $PREFMEM_CONFIG, ./config.yaml)."
    ),
) -> None:
    """Global options, given before the command."""
    ctx.obj = GlobalOptions(config_file=config, data_dir=data_dir)


app.command("chat")(chat.chat_command)
app.command("import")(memory_commands.import_command)
app.command("episodes")(memory_commands.episodes_command)
app.command("users")(memory_commands.users_command)
app.command("forget")(memory_commands.forget_command)
app.command("consolidate")(preferences.consolidate_command)
app.command("rerank")(rerank.rerank_command)
app.command("elicit")(elicit.elicit_command)
app.command("train-scorer")(scorer.train_scorer_command)
app.command("train-reward")(reward_functions.train_reward_command)
app.add_typer(reward_functions.app, name="reward")
app.command("serve")(serve.serve_command)
app.add_typer(preferences.app, name="preferences")
bench.app.command("elicitation")(bench_reward.elicitation_command)
bench.app.command("preference-scorer")(scorer.preference_scorer_bench_command)
bench.app.command("serve")(bench_serve.serve_bench_command)
bench.app.command("web")(bench_web.web_bench_command)
app.add_typer(bench.app, name="bench")
evals.app.command("prefeval")(evals_prefeval.prefeval_command)
evals.app.command("recall")(evals_recall.recall_command)
evals.app.command("disagreement")(evals_disagreement.disagreement_command)
evals.app.command("sycophancy")(evals_sycophancy.sycophancy_command)
evals.app.command("report")(evals_report.report_command)
app.add_typer(evals.app, name="eval")
app.add_typer(check.app, name="check")


def main() -> None:
    """Console-script entry point: the command owns its process, so it quiets the libraries first."""
    quiet_offline_libraries()
    app()
