"""Time gradex as whole processes: ``.venv/bin/python bench/bench.py``.

(a) ``gradex --help``;
(b) 20 students x 2 questions in Bangla, PDF sheet + key: ``bench/quiz-b.yaml``,
    the scalar-RNN BPTT gradient part and one multiple-choice question on
    exploding/vanishing gradients;
(c) 40 students of a 6-question Bangla quiz, HTML + PDF; then two floors,
    each bare WeasyPrint with the same number of worker processes:
    - the HTML files that (c) wrote (the issue's floor). They carry the math
      as inline SVG, which WeasyPrint draws itself;
    - the HTML that gradex hands WeasyPrint for the same pages (math and QR
      as empty boxes that gradex draws into the PDF afterwards), written by
      this script, untimed. Bare WeasyPrint on it draws no math at all, so
      it is the stricter floor: pure layout of the same pages.
``--memory`` adds a 200-student class (peak memory must stay under 300 MB).

For each run: wall seconds, CPU seconds (user + system of every process),
PDF pages, and peak memory: the largest single process (ru_maxrss) and the
largest sum of PSS (shared pages counted once) over the whole process
tree, sampled every 50 ms.

The machine may be shared, and its speed drifts (the same work has taken
twice as long an hour later): each run is preceded by a calibration (a fixed
pure-Python loop, seconds), and (b) is run three times (median and best).
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
GRADEX = [sys.executable, "-m", "generator"]
# Families of the quizzes. Change here when more families exist (the issue
# asks for the scalar-rnn gradient part plus a multiple-choice
# exploding/vanishing question in (b)).
QUIZ_B = ROOT / "bench" / "quiz-b.yaml"  # the BPTT gradient part and an exploding/vanishing MCQ
QUIZ_C = ["scalar-rnn", "layer-product", "vector-clipping", "truncated-bptt", "pascanu-condition", "concepts"]
QUIZ_MEMORY = ["scalar-rnn"]
SEED = 2026

FLOOR = r"""
import multiprocessing, sys, time
from pathlib import Path

def init():
    global FC
    from weasyprint.text.fonts import FontConfiguration
    FC = FontConfiguration()

def render(job):
    from weasyprint import HTML
    src, dest = job
    doc = HTML(filename=src).render(font_config=FC)
    doc.write_pdf(dest)
    return len(doc.pages)

if __name__ == "__main__":
    src, dest, workers = Path(sys.argv[1]), Path(sys.argv[2]), int(sys.argv[3])
    jobs = [(str(f), str(dest / (f.stem + ".pdf"))) for f in sorted(src.glob("*.html"))]
    with multiprocessing.Pool(workers, initializer=init) as pool:
        pages = sum(pool.imap(render, jobs, chunksize=1))
    print(pages)
"""


def _pss(pid: int) -> int:
    """Proportional set size in bytes: shared pages split between their users."""
    for row in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
        if row.startswith("Pss:"):
            return int(row.split()[1]) * 1024
    return 0


def _tree_rss(root_pid: int) -> int:
    """Sum of PSS (bytes) over root_pid and its descendants."""
    parents: dict[int, int] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            stat = Path(f"/proc/{entry}/stat").read_text()
            parents[int(entry)] = int(stat.rsplit(")", 1)[1].split()[1])
        except (OSError, IndexError, ValueError):
            continue
    tree, frontier = {root_pid}, [root_pid]
    while frontier:
        pid = frontier.pop()
        for child, parent in parents.items():
            if parent == pid and child not in tree:
                tree.add(child)
                frontier.append(child)
    total = 0
    for pid in tree:
        try:
            total += _pss(pid)
        except (OSError, ValueError):
            pass
    return total


def measure(cmd: list[str], **kw) -> dict:
    """Run cmd as a whole process in a fresh measuring process."""
    helper = (
        "import json, resource, subprocess, sys, time\n"
        "t = time.perf_counter()\n"
        "p = subprocess.run(sys.argv[1:], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)\n"
        "wall = time.perf_counter() - t\n"
        "r = resource.getrusage(resource.RUSAGE_CHILDREN)\n"
        "print(json.dumps({'rc': p.returncode, 'wall': wall, 'cpu': r.ru_utime + r.ru_stime,\n"
        "  'maxrss_mb': r.ru_maxrss / 1024, 'out': p.stdout[-2000:], 'err': p.stderr[-2000:]}))\n"
    )
    proc = subprocess.Popen([sys.executable, "-c", helper, *cmd], stdout=subprocess.PIPE, text=True, **kw)
    peak = 0
    done = threading.Event()

    def sample():
        nonlocal peak
        while not done.is_set():
            peak = max(peak, _tree_rss(proc.pid))
            done.wait(0.05)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    out, _ = proc.communicate()
    done.set()
    sampler.join()
    import json

    result = json.loads(out)
    result["tree_mb"] = peak / 2**20
    if result["rc"] != 0:
        raise SystemExit(f"bench: command failed ({result['rc']}): {' '.join(cmd)}\n{result['err']}")
    return result


CALIBRATE = "import time\nt = time.perf_counter()\nx = 0\nfor i in range(10_000_000): x += i\nprint(time.perf_counter() - t)"


def calibration() -> float:
    """Seconds for a fixed pure-Python loop: how fast the machine is now."""
    out = subprocess.run([sys.executable, "-c", CALIBRATE], capture_output=True, text=True, check=True).stdout
    return float(out)


def pdf_pages(folder: Path) -> int:
    from pypdf import PdfReader

    return sum(len(PdfReader(str(folder / n)).pages) for n in ("class-sheets.pdf", "class-keys.pdf"))


def generate(quiz, students, out: Path, fmt: str) -> dict:
    cmd = [*GRADEX, "generate", "--students", str(students), "--seed", str(SEED),
           "--format", fmt, "--out", str(out), "--force"]
    if isinstance(quiz, Path):
        cmd += ["--spec", str(quiz)]
    else:
        cmd += ["--lang", "bn"]
        for fam in quiz:
            cmd += ["--family", fam]
    return measure(cmd, cwd=ROOT)


def pdf_input_html(families, students: int, dest: Path) -> None:
    """The HTML gradex lays out with WeasyPrint for (c)'s PDFs (untimed)."""
    sys.path.insert(0, str(ROOT))
    from generator import pdf
    from generator.paper import QuizSpec, paper
    from generator.pdfvector import Overlay

    spec = QuizSpec.build(families, None, SEED, "bn", None)
    for k in range(1, students + 1):
        p = paper(spec, k)
        for kind in ("sheet", "key"):
            html = pdf.html_for_pdf(p, kind, Overlay(), inline_css=True)
            (dest / f"student-{k:02d}-{kind}.html").write_text(html, encoding="utf-8")


def line(label: str, r: dict, pages: int | None = None) -> None:
    extra = f"  pages {pages:5d}" if pages is not None else ""
    print(f"{label:<44} wall {r['wall']:7.2f} s  cpu {r['cpu']:7.2f} s{extra}  "
          f"peak {r['maxrss_mb']:6.1f} MB/process (RSS), {r['tree_mb']:6.1f} MB all processes (PSS)", flush=True)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--memory", action="store_true", help="also run a 200-student class for peak memory")
    ap.add_argument("--memory-students", type=int, default=200)
    ap.add_argument("--skip-c", action="store_true", help="only (a) and (b)")
    ap.add_argument("--only-memory", action="store_true", help="only the 200-student memory run")
    args = ap.parse_args()
    from generator.batch import default_workers

    workers = default_workers()
    print(f"gradex bench: {os.cpu_count()} CPUs, {workers} worker processes, "
          f"load average {os.getloadavg()[0]:.2f}, calibration loop {calibration():.2f} s "
          "(lower is a faster machine)", flush=True)
    tmp = Path(tempfile.mkdtemp(prefix="gradex-bench-"))
    try:
        if args.only_memory:
            args.memory, args.skip_c = True, True
        runs = [] if args.only_memory else [measure([*GRADEX, "--help"], cwd=ROOT) for _ in range(5)]
        if runs:
            line("(a) gradex --help (best of 5)", min(runs, key=lambda r: r["wall"]))
            out = tmp / "b"
            runs = []
            for _ in range(3):
                runs.append(generate(QUIZ_B, 20, out, "pdf"))
            runs.sort(key=lambda r: r["wall"])
            line("(b) 20 students x 2 q, bn, PDF (median of 3)", runs[1], pdf_pages(out))
            line("    best of 3", runs[0])
            print(f"    calibration loop after (b): {calibration():.2f} s", flush=True)

        if not args.skip_c:
            out = tmp / "c"
            r = generate(QUIZ_C, 40, out, "all")
            pages = pdf_pages(out)
            line(f"(c) 40 students x {len(QUIZ_C)} q, bn, HTML+PDF", r, pages)
            floors = []
            for name, src in (("written HTML, math as SVG", out), ("gradex's PDF input", tmp / "input")):
                if src != out:
                    src.mkdir()
                    pdf_input_html(QUIZ_C, 40, src)
                dest = tmp / f"floor-{len(floors)}"
                dest.mkdir()
                f = measure([sys.executable, "-c", FLOOR, str(src), str(dest), str(workers)], cwd=ROOT)
                line(f"    floor: bare WeasyPrint, {name}", f, int(f["out"].split()[-1]))
                floors.append((name, f))
            for name, f in floors:
                print(f"    ratio (c) / floor ({name}): wall {r['wall'] / f['wall']:.2f}x, "
                      f"cpu {r['cpu'] / f['cpu']:.2f}x (target <= 1.3x)")
            print("    ((c) also solves, typesets math, draws it, writes the HTML and the class files)")

        if args.memory:
            out = tmp / "m"
            n = args.memory_students
            r = generate(QUIZ_MEMORY, n, out, "pdf")
            line(f"(m) {n} students x {len(QUIZ_MEMORY)} q, bn, PDF", r, pdf_pages(out))
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
