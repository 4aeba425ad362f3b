#!/usr/bin/python3
"""Execute one notebook cell by cell with the project's tslab kernel (nbclient, no per-cell timeout).

Usage: nbexec.py IN.ipynb OUT.ipynb OUT.html REPORT.json KERNEL_NAME WORKDIR
Always writes OUT.ipynb (partial when a cell fails) and OUT.html, then a JSON report:
{"ok": bool, "cells": n, "failed_cell": index|null, "source": str, "error": str, "seconds": float}.
Progress lines go to stdout, one per code cell. Called by lib/notebooks/runner.ts.
"""
import json
import os
import sys
import time

import nbformat
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError, DeadKernelError


def error_text(cell):
    parts = []
    for out in cell.get("outputs", []):
        if out.get("output_type") == "error":
            head = f"{out.get('ename', '')}: {out.get('evalue', '')}".strip(": ")
            if head:
                parts.append(head)
            tb = "\n".join(out.get("traceback") or [])
            if tb.strip():
                parts.append(tb)
        elif out.get("output_type") == "stream" and out.get("name") == "stderr":
            parts.append(out.get("text", ""))
    return "\n".join(p for p in parts if p.strip())


def write_atomic(path, text):
    tmp = path + ".tmp"
    with open(tmp, "w", encoding="utf-8") as f:
        f.write(text)
    os.replace(tmp, path)


def main():
    src, out_nb, out_html, report_path, kernel, workdir = sys.argv[1:7]
    nb = nbformat.read(src, as_version=4)
    client = NotebookClient(nb, timeout=None, startup_timeout=180, kernel_name=kernel,
                            allow_errors=False, resources={"metadata": {"path": workdir}})
    report = {"ok": True, "cells": len(nb.cells), "failed_cell": None, "source": "", "error": "", "seconds": 0.0}
    start = time.time()
    code_cells = [i for i, c in enumerate(nb.cells) if c.cell_type == "code"]
    try:
        with client.setup_kernel():
            for k, index in enumerate(code_cells):
                cell = nb.cells[index]
                t0 = time.time()
                try:
                    client.execute_cell(cell, index)
                except (CellExecutionError, DeadKernelError, RuntimeError) as e:
                    report.update(ok=False, failed_cell=index, source=cell.source,
                                  error=error_text(cell) or str(e) or type(e).__name__)
                    break
                # tslab's execute_reply carries no execution_count: number the cells as a live session would
                if cell.get("execution_count") is None:
                    cell["execution_count"] = k + 1
                print(f"  cell {index + 1}/{len(nb.cells)} ok ({time.time() - t0:.1f} s)", flush=True)
    except Exception as e:  # kernel failed to start, etc.
        if report["ok"]:
            report.update(ok=False, error=f"{type(e).__name__}: {e}")
    report["seconds"] = round(time.time() - start, 1)
    write_atomic(out_nb, nbformat.writes(nb))
    try:
        from nbconvert import HTMLExporter
        html, _ = HTMLExporter().from_notebook_node(nb)
        write_atomic(out_html, html)
    except Exception as e:  # HTML is a convenience; never hide the notebook's own result
        print(f"  (HTML export failed: {type(e).__name__}: {e})", flush=True)
    write_atomic(report_path, json.dumps(report))
    sys.exit(0 if report["ok"] else 1)


if __name__ == "__main__":
    main()
