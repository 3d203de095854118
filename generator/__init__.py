"""gradex: randomized, fully worked exam questions on gradient dynamics.

The package is importable without the CLI: ``generator.bank`` finds question
families, a family's ``solve`` returns a :class:`generator.model.Variant`
(parts, exact answers, steps as data), ``generator.render`` turns variants into
HTML and ``generator.pdf`` into PDF. Nothing here prints or exits; errors are
:class:`generator.errors.GradexError` subclasses.

Keep this module light: ``gradex --help`` imports it, and must not pull in
sympy or weasyprint.
"""

__version__ = "0.1.0"
