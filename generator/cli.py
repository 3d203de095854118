"""The ``gradex`` command: thin click commands over the library.

Heavy modules (sympy, weasyprint, ziamath) are imported inside commands, so
``gradex --help`` stays fast. Every error reaches the user as one line on
stderr: usage errors exit 2, other failures 1, never a traceback (set
GRADEX_DEBUG=1 to see one).
"""

from __future__ import annotations

import os
import sys

import click

from . import __version__

LANGS = ("bn", "en", "both")
DIGITS = ("bangla", "latin")
MAX_MESSAGE = 300  # characters of a one-line error
PAPER_FORMATS = ("html", "pdf", "all")
FORMATS = PAPER_FORMATS + ("moodle", "qti", "json")


def _parse_sets(values, default_family=None) -> dict[str, dict[str, str]]:
    """``NAME=VALUE`` or ``FAMILY:NAME=VALUE`` -> {family or None: {name: raw}}."""
    out: dict = {}
    for item in values:
        if "=" not in item:
            raise click.UsageError(f"--set {item}: expected NAME=VALUE")
        key, raw = item.split("=", 1)
        fam, _, name = key.rpartition(":")
        name = name.strip()
        if not name or not raw.strip():
            raise click.UsageError(f"--set {item}: expected NAME=VALUE")
        out.setdefault(fam.strip() or default_family, {})[name] = raw.strip()
    return out


def _seed(seed, announce=True):
    """The given seed, or a fresh random one (reported on stderr)."""
    if seed is None:
        import secrets

        seed = secrets.randbelow(1_000_000)
        if announce:
            _announce_seed(seed)
    return seed


def _announce_seed(seed):
    click.echo(f"gradex: using seed {seed}", err=True)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="gradex")
def cli():
    """Randomized exam questions on gradient dynamics, with worked answer keys,
    in Bangla and English."""


@cli.command()
def families():
    """List the question families."""
    from . import bank

    for fam in bank.families().values():
        click.echo(
            f"{fam.id:<20} {fam.title['en']}  "
            f"[topic: {fam.topic}; difficulty: {fam.difficulty}; formats: {', '.join(fam.formats)}]"
        )


@cli.command()
@click.argument("family")
@click.option("--seed", type=click.IntRange(0, 2**63 - 1), help="Variant seed (random if omitted).")
@click.option("--set", "sets", multiple=True, metavar="NAME=VALUE", help="Fix a parameter (integer, decimal or fraction like 1/2).")
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object.")
def solve(family, seed, sets, as_json):
    """Solve one variant of FAMILY with every step."""
    import json

    from . import bank

    fam = bank.get(family)
    raw = _parse_sets(sets, default_family=family)
    other = set(raw) - {family}
    if other:
        raise click.UsageError(f"--set names family '{sorted(other)[0]}', but you are solving '{family}'")
    fixed = fam.parse_fixed(raw.get(family, {}))
    variant = fam.variant(_seed(seed), fixed)
    data = variant.to_data()
    if as_json:
        click.echo(json.dumps(data, ensure_ascii=False, indent=2))
        return
    click.echo(f"{fam.id} (seed {variant.seed}): " + ", ".join(f"{k}={v}" for k, v in data["params"].items()))
    for part in data["parts"]:
        click.echo(f"\n[{part['id']}] answer: {part['answer']['exact']}")
        for step in part["steps"]:
            fields = ", ".join(f"{k}={v}" for k, v in step.items() if k != "kind")
            click.echo(f"  - {step['kind']}: {fields}")


@cli.command()
@click.option("--family", "family_ids", multiple=True, metavar="ID", help="Family to include (repeat for more; default: scalar-rnn).")
@click.option("--students", type=click.IntRange(1, 500), default=1, show_default=True, help="Papers to write, one per student.")
@click.option("--seed", type=click.IntRange(0, 2**63 - 1), help="Class seed (random if omitted).")
@click.option("--lang", type=click.Choice(LANGS), default=None, help="Language(s) of the paper [default: both, or the spec's].")
@click.option("--digits", type=click.Choice(DIGITS), default=None, help="Digits in text [default: Bangla digits in Bangla text, Latin in English].")
@click.option("--format", "fmt", type=click.Choice(FORMATS), default="html", show_default=True,
              help="html, pdf or all (both): sheet + key per student; moodle/qti/json: one file with --students variants per family.")
@click.option("--set", "sets", multiple=True, metavar="[FAMILY:]NAME=VALUE", help="Fix a parameter for every paper.")
@click.option("--mcq", is_flag=True, help="Ask the parts that support it as multiple choice.")
@click.option("--spec", "spec_file", type=click.Path(dir_okay=False), help="Exam spec (YAML): title, course, duration, sections, families.")
@click.option("--out", type=click.Path(file_okay=False), default="output", show_default=True)
@click.option("--force", is_flag=True, help="Write into a folder that already holds files.")
def generate(family_ids, students, seed, lang, digits, fmt, sets, mcq, spec_file, out, force):
    """Write a problem sheet and a worked answer key for each student."""
    from . import bank
    from .build import expand_formats, generate as run
    from .paper import QuizSpec

    if spec_file:
        if family_ids or sets or mcq or lang or digits:
            raise click.UsageError("--spec sets families, parameters, formats, language and digits itself; leave out --family, --set, --mcq, --lang and --digits")
        from .spec import load

        spec = load(spec_file).quiz(_seed(seed, announce=False))
    else:
        family_ids = list(family_ids) or ["scalar-rnn"]
        for fid in family_ids:
            bank.get(fid)
        fixed = _fixed_for(_parse_sets(sets), family_ids)
        formats = ["mcq" if mcq and "mcq" in bank.get(f).formats else "numeric" for f in family_ids]
        spec = QuizSpec.build(family_ids, fixed, _seed(seed, announce=False), lang or "both", digits, formats)
    if seed is None:
        _announce_seed(spec.seed)
    _run_batch(lambda cb: run(spec, students, out, expand_formats(fmt), force, cb), students)
    if fmt in ("html", "pdf", "all"):
        click.echo(f"gradex: wrote {students} sheet(s) and key(s) to {out}", err=True)
    else:
        from .export import FILENAMES

        click.echo(f"gradex: wrote {students} variant(s) per family to {out}/{FILENAMES[fmt]}", err=True)


def _fixed_for(raw, family_ids):
    from . import bank

    fixed: dict = {}
    for fam_key, values in raw.items():
        targets = [fam_key] if fam_key else family_ids
        if fam_key and fam_key not in family_ids:
            raise click.UsageError(f"--set names family '{fam_key}', which is not in this quiz")
        for name, value in values.items():
            hit = [f for f in targets if name in bank.get(f).params]
            if not hit:
                raise click.UsageError(f"--set {name}={value}: no family in this quiz has a parameter '{name}'")
            for f in hit:
                fixed.setdefault(f, {})[name] = value
    return fixed


def _run_batch(job, total):
    from .errors import Interrupted

    done = 0

    def counted(update):
        def on_paper(k):
            nonlocal done
            done = k
            if update:
                update(1)
        return on_paper

    try:
        if total > 1 and sys.stderr.isatty():
            with click.progressbar(length=total, label="papers", file=sys.stderr) as bar:
                return job(counted(bar.update))
        return job(counted(None))
    except KeyboardInterrupt:  # before click's own handler, which would print a blank line
        raise Interrupted(
            f"interrupted after {done} of {total} paper(s); the files written are complete, none is half-written"
        ) from None


@cli.command()
@click.argument("version_id")
@click.option("--format", "fmt", type=click.Choice(PAPER_FORMATS), default="html", show_default=True, help="html, pdf, or all (both).")
@click.option("--out", type=click.Path(file_okay=False), default="output", show_default=True)
@click.option("--force", is_flag=True, help="Write into a folder that already holds files.")
@click.option("--spec", "spec_file", type=click.Path(dir_okay=False), help="The exam spec the paper was made from.")
def regenerate(version_id, fmt, out, force, spec_file):
    """Write again exactly the paper and key with VERSION_ID."""
    from pathlib import Path

    from .build import expand_formats, write_paper
    from .output import prepare_dir
    from .paper import from_version_id, paper

    exam = None
    if spec_file:
        from .spec import load

        exam = load(spec_file)
    spec, student = from_version_id(version_id, exam)
    p = paper(spec, student)
    out_dir = prepare_dir(Path(out), force)
    write_paper(p, out_dir, p.version_id, expand_formats(fmt))
    click.echo(f"gradex: wrote {p.version_id}-sheet and -key to {out}", err=True)


@cli.command()
@click.argument("family")
@click.option("--n", "n", type=click.IntRange(1, 100_000), default=1000, show_default=True, help="Variants to draw.")
@click.option("--seed", type=click.IntRange(0, 2**62), default=0, show_default=True, help="First variant seed (seeds SEED..SEED+n-1).")
def stress(family, n, seed):
    """Draw n variants of FAMILY and report cases, answer spread, hand-workability,
    duplicates, MCQ options, step checks and solve time; exit 1 if a hard rule fails."""
    from . import bank
    from .errors import GradexError
    from .stress import stress as run

    report = run(bank.get(family), n=n, seed=seed)
    click.echo(report.table())
    failures = report.failures()
    for line in failures:
        click.echo(f"gradex: stress: FAIL {line}", err=True)
    if failures:
        raise GradexError(f"stress {family}: {len(failures)} hard rule(s) failed")


@cli.command()
@click.argument("paths", nargs=-1, type=click.Path())
@click.option("--fix", is_flag=True, help="Repair mojibake and non-NFC text in place (atomic rewrite).")
def lint(paths, fix):
    """Check bank files and exam specs (default: the question bank).

    One line per problem, FILE:LINE: FIELD: MESSAGE; exit 1 if any remain."""
    from .lint import lint as run

    findings = run(paths, fix=fix)
    for f in findings:
        click.echo(f.format())
    problems = [f for f in findings if not f.fixed]
    if problems:
        click.echo(f"gradex: lint found {len(problems)} problem(s)", err=True)
        raise click.exceptions.Exit(1)


@cli.command()
@click.option("--family", "family_ids", multiple=True, metavar="ID", help="Family to include (repeat for more; default: scalar-rnn).")
@click.option("--lang", type=click.Choice(LANGS), default="both", show_default=True, help="Languages on the page (both: a switch).")
@click.option("--pool", type=click.IntRange(1, 200), default=20, show_default=True, help="Variants per family embedded in the page.")
@click.option("--seed", type=click.IntRange(0, 2**63 - 1), help="Pool seed (random if omitted).")
@click.option("--out", required=True, type=click.Path(file_okay=False), help="Folder for practice.html and its fonts.")
@click.option("--force", is_flag=True, help="Write into a folder that already holds files.")
def practice(family_ids, lang, pool, seed, out, force):
    """Write a self-contained practice page (answers checked, steps revealed, offline)."""
    from .practice import write_practice

    path = write_practice(out, list(family_ids), lang, pool, _seed(seed), force)
    click.echo(f"gradex: wrote {path} ({pool} variants per family; fonts in {path.parent / 'fonts'})", err=True)


def main(argv=None) -> int:
    """Entry point: run the CLI and turn every failure into one line."""
    from .errors import GradexError, Interrupted, UsageError

    try:
        rv = cli.main(args=argv, prog_name="gradex", standalone_mode=False)
        return rv if isinstance(rv, int) else 0  # click returns Exit's code here
    except click.exceptions.Exit as exc:
        return exc.exit_code
    except click.ClickException as exc:
        _fail(exc.format_message(), exc.exit_code)
    except UsageError as exc:
        _fail(str(exc), 2)
    except Interrupted as exc:
        _fail(str(exc), 130)
    except GradexError as exc:
        _fail(str(exc), 1)
    except (KeyboardInterrupt, click.Abort):
        _fail("interrupted; files already written are complete, none is half-written", 130)
    except Exception as exc:  # a bug: still one line unless debugging
        if os.environ.get("GRADEX_DEBUG"):
            raise
        _fail(f"internal error: {type(exc).__name__}: {exc} (set GRADEX_DEBUG=1 for details)", 1)
    return 0


def _fail(message: str, code: int):
    message = " ".join(str(message).split())
    if len(message) > MAX_MESSAGE:  # never echo a huge input back
        message = message[: MAX_MESSAGE - 1] + "…"
    click.echo(f"gradex: error: {message}", err=True)
    sys.exit(code)


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())


def entry():  # console-script target
    sys.exit(main())
