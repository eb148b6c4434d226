#!/usr/bin/env python3
"""Flags training text that copies from the held-out letters.

For every line of the given files: the longest run of content characters it shares with
any held-out letter (`*.heldout.txt`), and the share of its character bigrams found in the
single closest held-out letter. Lines over either limit are printed; exit status 1 if any.
Long lines share courtesy formulas with the letters ("尊敬的领导您好！我是…的业主"), so
lines of 60 characters or more may share runs up to 20 characters.

    python3 compose/leakcheck.py compose/*.issue.txt ...   (run from app/domain/corpus)
"""
import glob
import re
import sys

MAX_RUN = 10          # shared characters in a row (lines under 60 characters)
MAX_RUN_LONG = 20     # the same for longer lines
MAX_CONTAINED = 0.6   # share of the line's bigrams inside one held-out letter
MIN_BIGRAMS = 12      # shorter lines are only checked for shared runs


def content(text):
    return re.sub(r"[^\w]", "", text.lower())


def bigrams(text):
    c = content(text)
    return {c[i:i + 2] for i in range(len(c) - 1)}


def longest_run(a, b):
    # Longest common substring by dynamic programming over the shorter string.
    best = 0
    prev = [0] * (len(b) + 1)
    for ca in a:
        cur = [0] * (len(b) + 1)
        for j, cb in enumerate(b, 1):
            if ca == cb:
                cur[j] = prev[j - 1] + 1
                if cur[j] > best:
                    best = cur[j]
        prev = cur
    return best


def main(paths):
    held = []
    for path in sorted(glob.glob("*.heldout.txt")):
        held += [l.strip() for l in open(path, encoding="utf-8") if l.strip()]
    held_content = [content(h) for h in held]
    held_bigrams = [bigrams(h) for h in held]
    flagged = 0
    for path in paths:
        for n, line in enumerate(open(path, encoding="utf-8"), 1):
            line = line.strip()
            if not line:
                continue
            mine = bigrams(line)
            best = max(range(len(held)), key=lambda i: len(mine & held_bigrams[i]))
            contained = len(mine & held_bigrams[best]) / max(len(mine), 1)
            run = max(longest_run(content(line), h) for h in held_content)
            limit = MAX_RUN if len(line) < 60 else MAX_RUN_LONG
            if run >= limit or (len(mine) >= MIN_BIGRAMS and contained >= MAX_CONTAINED):
                flagged += 1
                print(f"{path}:{n}: run {run}, contained {contained:.2f}: {line}")
    print(f"{flagged} lines flagged", file=sys.stderr)
    return 1 if flagged else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
