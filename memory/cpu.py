"""What this machine's CPU can compute quickly, for choosing a model's number format.

bfloat16 halves the memory a model's weights stream through and, on a CPU with
bfloat16 instructions (AVX512-BF16 or AMX), computes two to three times faster than
float32; without them torch emulates it and it is slower. So `auto` settings become
bfloat16 only where those instructions are present.
"""

from __future__ import annotations

from pathlib import Path

#: The number formats a precision setting may name.
PRECISIONS = ("auto", "float32", "bfloat16")
#: CPU features that compute bfloat16 natively (without them bfloat16 is slower than float32).
BF16_CPU_FLAGS = frozenset({"avx512_bf16", "amx_bf16"})


def cpu_flags(cpuinfo: Path = Path("/proc/cpuinfo")) -> frozenset[str]:
    """The CPU's feature flags as Linux lists them (empty where that list cannot be read)."""
    try:
        text = cpuinfo.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return frozenset()
    for line in text.splitlines():
        key, _, value = line.partition(":")
        if key.strip() in ("flags", "Features"):
            return frozenset(value.split())
    return frozenset()


def resolve_precision(precision: str, flags: frozenset[str] | None = None) -> str:
    """`auto` becomes bfloat16 on a CPU with bfloat16 instructions, else float32; others stay."""
    if precision != "auto":
        return precision
    return "bfloat16" if (cpu_flags() if flags is None else flags) & BF16_CPU_FLAGS else "float32"
