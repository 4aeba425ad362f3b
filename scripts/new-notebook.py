#!/usr/bin/python3
"""Author a notebook from a plain-text source: cells separated by lines '# %% [markdown]' or '# %%'.
Markdown cells may be plain text or, as in jupytext's percent format, every line commented ('# text', '#').
Usage: new-notebook.py SRC.ts.txt OUT.ipynb  (writes an output-free nbformat 4 notebook for the safenet kernel)."""
import json, sys

src, out = sys.argv[1:3]
cells, kind, buf = [], None, []
def flush():
    if kind is None:
        return
    text = "\n".join(buf).strip("\n")
    if kind == "markdown":
        # jupytext percent format: markdown written as comments ('# text', '#' for a blank line) loses the prefix
        lines = text.split("\n")
        nonempty = [l for l in lines if l.strip()]
        if (len(nonempty) >= 2 or any(l.startswith("# #") for l in lines)) and all(l.startswith("#") for l in nonempty) and all(l == "#" or l.startswith("# ") or not l.strip() for l in lines):
            text = "\n".join(l[2:] if l.startswith("# ") else "" for l in lines)
        cells.append({"cell_type": "markdown", "metadata": {}, "source": text})
    else:
        cells.append({"cell_type": "code", "execution_count": None, "metadata": {}, "outputs": [], "source": text})
for line in open(src, encoding="utf-8").read().split("\n"):
    if line.startswith("# %%"):
        flush()
        kind, buf = ("markdown" if "[markdown]" in line else "code"), []
    else:
        buf.append(line)
flush()
nb = {"cells": cells, "metadata": {"kernelspec": {"name": "safenet", "display_name": "SafeNet (TypeScript, tslab)", "language": "typescript"},
      "language_info": {"name": "typescript", "file_extension": ".ts"}}, "nbformat": 4, "nbformat_minor": 5}
with open(out, "w", encoding="utf-8") as f:
    json.dump(nb, f, indent=1, ensure_ascii=False)
    f.write("\n")
