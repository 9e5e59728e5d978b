"""Read-only tables loaded once in the fork server, so that every worker forked from it starts with them.

A local pool's workers are forked from a server process (see :class:`analysis.engine.PoolEngine`).
Each new cleaning worker used to load lingua's language models on its first task (about 2 s of
CPU and 190 MB for the eight default languages): with ``N`` workers, ``N`` times, each copy held
by its worker. When the server loads them before forking, workers share its pages
(copy-on-write) and start at full speed. So with the boilerplate rules' plan (their regexes
parsed and joined, about 0.5 s: see :func:`analysis.boilerplate._plan`), which every worker would
otherwise make again, for as few as an addition's new articles. So with the country matcher of
the build's ``[countries]`` options (its gazetteer's automata and babel's locale data, about 1 s
of CPU), which each worker computing a country task would otherwise build. simplemma's dictionaries are left
to the workers: a corpus rarely has every configured language, and a worker reads a language's
compact form first (a few MB, see :data:`analysis.tokens.COMPACT_LOOKUPS`), loading the full one
(25 to 120 MB) only for a language it meets often.

The server reads what to load from the environment variable :data:`ENV` (JSON, see :func:`spec`)
when it imports this module, which happens as it starts; once done it removes the file the
:data:`DONE` key names, which tells the build it can fork (until then the build runs tasks itself).
It is purely a matter of time and memory: a worker lacking a table loads it when needed, with
the same results.

lingua is only ever called here through its sequential API: its parallel calls start a thread
pool, whose threads a forked child would not have (the child would wait on them forever).
"""

from __future__ import annotations

import base64
import contextlib
import json
import os
import pickle
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from analysis.config import CountryOptions

ENV = "ANALYSIS_WARM"
#: The key of :data:`ENV` naming a file to remove once the warm-up is over (the server can fork).
DONE = "done"
#: The most bytes of pickled options :data:`ENV` carries (the system caps one variable at 128 kB):
#: a server not given the options of a longer list of extra aliases leaves the matcher to the workers.
ENV_OPTIONS_BYTES = 32_768

#: One text per writing system that lingua tells languages apart in by their models: detecting
#: it loads the models of every configured language of that script (for the eight defaults,
#: the Latin text loads them all; a second, shorter text loads nothing more). Plain ASCII keeps
#: every Latin-script language a candidate. Each is under 120 letters: lingua reads a longer
#: text with its trigram models only (15 MB and 0.06 s for the eight defaults, measured), a
#: shorter one with all five n-gram sizes (about 190 MB and 1.2 s). Short texts are common:
#: headline-only records, as in Media Cloud exports (12,776 of the 12,794 articles of one).
SAMPLES = (
    "the main road into town was closed for works on monday and the mayor said it would open again "
    "before the market day at the end of the month",
    "قال المتحدث باسم الحكومة إن الاجتماع المقبل سيعقد غدا في العاصمة لمناقشة الميزانية الجديدة "
    "وخطة الإصلاح الاقتصادي للعام المقبل",
    "министр заявил что переговоры между двумя странами продолжатся на следующей неделе в столице "
    "и что новое соглашение будет подписано",
    "सरकार ने आज नई योजना की घोषणा की जिसके तहत देश के सभी गांवों में अगले साल तक बिजली और पानी पहुंचाने का लक्ष्य रखा गया है",
)


def spec(
    languages: tuple[str, ...],
    rules: tuple[Mapping[str, Any], ...] | None = None,
    countries: CountryOptions | None = None,
) -> dict[str, Any]:
    """What to load: lingua's models for ``languages`` (the ``[language]`` option), the plan of
    the boilerplate rules with the user's ``rules`` (``[boilerplate] extra_rules``; None: no plan),
    and the country matcher of ``countries`` (the ``[countries]`` options; None: none)."""
    wanted: dict[str, Any] = {"languages": list(languages)}
    if rules is not None:
        wanted["extra_rules"] = [dict(rule) for rule in rules]
    if countries is not None:  # (pickled: its tasks name it by the repr of the options they are given)
        encoded = base64.b64encode(pickle.dumps(countries, pickle.HIGHEST_PROTOCOL)).decode("ascii")
        if len(encoded) <= ENV_OPTIONS_BYTES:
            wanted["countries"] = encoded
    return wanted


def warm(wanted: Mapping[str, Any]) -> None:
    """Load what ``wanted`` (a :func:`spec`) names into this process; what cannot be loaded is skipped."""
    from analysis.language import _build_detector

    languages = tuple(str(code) for code in wanted.get("languages", ()))
    try:
        detector = _build_detector(languages)
    except ValueError:
        detector = None
    if detector is not None:
        for text in SAMPLES:
            detector.compute_language_confidence_values(text)  # sequential: no thread pool (see above)
    rules = wanted.get("extra_rules")
    if isinstance(rules, list):
        from analysis import boilerplate

        with contextlib.suppress(ValueError):  # a bad rule: the build says so, not the server
            boilerplate._plan(boilerplate.load_rules(rules))
    country_options = wanted.get("countries")
    if isinstance(country_options, str):
        from analysis import countries

        countries.shared_matcher(pickle.loads(base64.b64decode(country_options)))


def _from_environment() -> None:
    value = os.environ.get(ENV)
    if not value:
        return
    done = None
    try:
        wanted = json.loads(value)
        done = wanted.get(DONE) if isinstance(wanted, dict) else None
        warm(wanted)
    except Exception:  # only a head start: a worker loads what it needs anyway
        return
    finally:
        if isinstance(done, str):
            with contextlib.suppress(OSError):
                os.unlink(done)  # tells the build the server is ready (see PoolEngine.warm)


_from_environment()
