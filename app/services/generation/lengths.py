"""Balancing an exam's lengths: true and false items of similar mean length, so that length gives no
answer away. Runs before the cue balance (balance.py), within each block, and again after it across
the exam, then without widening the worst cue gap."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from app.models import Label
from app.services.audit import surface
from app.services.generation.balance import CUE_TARGET, Entry, entries, has_room, texts_by_label, worst_gap

if TYPE_CHECKING:
    from app.services.generation.request import Pick, Unit
    from app.services.generation.sampling import Picker


def balance_lengths(blocks: list[list[Unit]], picker: Picker, tolerance: float = 0.05,
                    keep_cues: bool = False) -> None:
    """Make true and false items similar in mean length, so that length gives no answer away.

    A false item (assertion A shown through a variant) and a true one (assertion B shown as
    itself) may trade roles: A shown true, B through one of its own variants. The best such trade
    is made while it narrows the gap; operator caps still hold. Trades stay inside a block, unless
    `keep_cues` (the pass after the cue balance): then they may cross blocks, as the cue balance's
    do, and a trade that would widen the worst cue gap is not made.
    """
    def totals() -> tuple[int, int, int, int]:
        picks = [p for b in blocks for u in b for p in u.picks]
        t = [len(p.text) for p in picks if p.label == Label.C.value]
        f = [len(p.text) for p in picks if p.label == Label.E.value]
        return sum(t), len(t), sum(f), len(f)

    def trade(shown_false: Pick, shown_true: Pick, variant: Any) -> None:  # noqa: ANN401
        picker.operator_use[shown_false.variant.operator] -= 1
        picker.operator_use[variant.operator] += 1
        shown_true.variant, shown_true.rewrite, shown_false.variant = variant, None, None

    stored = picker.surfaces  # text -> stored surface value, for the features (balance.entries)
    scopes = [[u for block in blocks for u in block]] if keep_cues else blocks
    for _ in range(50):
        sum_t, n_t, sum_f, n_f = totals()
        if n_t < 3 or n_f < 3:
            return
        gap = sum_f / n_f - sum_t / n_t
        if abs(gap) <= tolerance * (sum_t / n_t):
            return
        candidates = []
        for scope in scopes:
            singles = [u.picks[0] for u in scope if len(u.picks) == 1 and u.picks[0].assertion.label == Label.C.value]
            for shown_false in (p for p in singles if p.variant is not None):
                for shown_true in (p for p in singles if p.variant is None):
                    for variant in picker.options.get(shown_true.assertion.id, ()):
                        if not has_room(picker, shown_false.variant.operator, variant.operator):
                            continue
                        new_f = sum_f - len(shown_false.variant.text) + len(variant.text)
                        new_t = sum_t - len(shown_true.text) + len(shown_false.assertion.text)
                        new_gap = abs(new_f / n_f - new_t / n_t)
                        if new_gap < abs(gap):
                            # Ties broken by ids, never by memory addresses: same seed, same exam.
                            candidates.append((new_gap, shown_false.assertion.id, shown_true.assertion.id,
                                               variant.id, shown_false, shown_true, variant))
        candidates.sort(key=lambda c: c[:4])
        if keep_cues:
            true_texts, false_texts = texts_by_label(blocks)
            true_entries, false_entries = entries(true_texts, stored), entries(false_texts, stored)
            bound = max(worst_gap(true_entries, false_entries), CUE_TARGET) + 1e-9
        for *_, shown_false, shown_true, variant in candidates:
            # The trade's effect on the cue gaps, read off the texts that leave and join each side.
            if not keep_cues or worst_gap(
                    _replaced(true_entries, shown_true.text, shown_false.assertion.text, stored),
                    _replaced(false_entries, shown_false.variant.text, variant.text, stored)) <= bound:
                trade(shown_false, shown_true, variant)
                break
        else:
            return


def _replaced(entries: list[Entry], gone: str, joins: str, stored: Mapping[str, int | None]) -> list[Entry]:
    out = list(entries)
    out[out.index((len(gone), surface.read(stored.get(gone), gone)))] = \
        (len(joins), surface.read(stored.get(joins), joins))
    return out
