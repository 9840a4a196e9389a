"""Shards: one CI job of a matrix audits a deterministic, size-balanced part of the pages.

``--shard K/N`` is 1-based, as GitLab's ``CI_NODE_INDEX`` (1 … ``CI_NODE_TOTAL``) is; on GitHub Actions a
matrix of ``shard: [1, 2, 3, 4]`` passes ``--shard ${{ matrix.shard }}/4``. Every job must see the same
files: the pages are dealt out largest first, each to the shard with the fewest bytes so far (ties to the
lower shard), HTML pages and PDFs separately, so every shard gets its share of both and of the work.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from typing import Callable, Mapping, Sequence, TypeVar

INDEX_VAR = "CI_NODE_INDEX"
TOTAL_VAR = "CI_NODE_TOTAL"
T = TypeVar("T")


@dataclass(frozen=True, order=True)
class Shard:
    index: int      # 1 … total
    total: int

    def __str__(self) -> str:
        return f"{self.index}/{self.total}"


class ShardError(ValueError):
    """A shard that cannot be: ``0/4``, ``3/2``, ``a/b``."""


def parse(text: str) -> Shard:
    """``K/N`` with 1 ≤ K ≤ N."""
    index, slash, total = text.strip().partition("/")
    if not slash or not index.strip().isdigit() or not total.strip().isdigit():
        raise ShardError(f"{text!r} is not K/N (e.g. 1/4: the first of four shards)")
    return make(int(index), int(total))


def make(index: int, total: int) -> Shard:
    if total < 1:
        raise ShardError(f"the number of shards must be at least 1 (found {total})")
    if not 1 <= index <= total:
        raise ShardError(f"shard {index}/{total}: K must be between 1 and {total} (shards count from 1)")
    return Shard(index, total)


def from_env(environ: Mapping[str, str] = os.environ) -> Shard | None:
    """The shard GitLab's ``parallel:`` sets (``CI_NODE_INDEX``/``CI_NODE_TOTAL``), if both are set."""
    index, total = environ.get(INDEX_VAR, "").strip(), environ.get(TOTAL_VAR, "").strip()
    if not index and not total:
        return None
    if not index.isdigit() or not total.isdigit():
        raise ShardError(f"{INDEX_VAR}={index!r} and {TOTAL_VAR}={total!r} are not two whole numbers")
    return make(int(index), int(total))


def deal(items: Sequence[T], shard: Shard, size: Callable[[T], int], key: Callable[[T], object]) -> list[T]:
    """The items of ``shard``, in their original order: largest first, each to the lightest shard so far."""
    if shard.total == 1:
        return list(items)
    loads = [0] * shard.total
    mine: set[int] = set()
    order = sorted(range(len(items)), key=lambda i: (-size(items[i]), key(items[i])))
    for i in order:
        lightest = min(range(shard.total), key=lambda s: (loads[s], s))
        loads[lightest] += max(size(items[i]), 1)
        if lightest == shard.index - 1:
            mine.add(i)
    return [item for i, item in enumerate(items) if i in mine]
