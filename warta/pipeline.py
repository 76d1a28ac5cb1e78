"""The pipeline: registered stages run in order over one :class:`~warta.doc.Article` at a time.

A stage is a plain function ``stage(article) -> article`` registered with :func:`stage`, which records
what it reads and writes (as spaCy's ``Language.component`` does), so :func:`build` can check the order
before any text is read. A stage that fails on one article marks that article's ``errors`` and the batch
goes on: one bad article never stops a run.
"""

from __future__ import annotations

import importlib
import logging
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import TypeVar

from .doc import Article
from .errors import NoSuchStage, StageOrderError, WartaError

log = logging.getLogger(__name__)

StageFunc = Callable[[Article], Article]
T = TypeVar("T")


@dataclass(frozen=True)
class Stage:
    name: str
    func: StageFunc
    requires: tuple[str, ...]
    assigns: tuple[str, ...]
    version: str


STAGES: dict[str, Stage] = {}

# The default order, as data; each name is also the module that registers it. Time runs before
# entities so that roles valid only for a period (a party in government, a president in office) can be
# checked against a publication date found in the text.
DEFAULT_STAGES = ("clean", "language", "time", "entities", "quotes", "events")

# What ingest provides before any stage runs.
_INGESTED = ("article.raw", "article.meta")


def stage(name: str, *, requires: Iterable[str] = (), assigns: Iterable[str] = (), version: str = "v1"):
    """Register a function as the pipeline stage ``name``.

    :param name: the stage's name, equal to its module's name.
    :param requires: attributes (``article.text``) an earlier stage must assign.
    :param assigns: attributes this stage fills in.
    :param version: recorded with everything the stage produces.
    """

    def register(func: StageFunc) -> StageFunc:
        STAGES[name] = Stage(name, func, tuple(requires), tuple(assigns), f"{name}.{version}")
        return func

    return register


def get_stage(name: str) -> Stage:
    """Return the registered stage ``name``, importing its module ``warta.<name>`` on first use.

    :raises NoSuchStage: when no module registers that name.
    """
    if name not in STAGES:
        try:
            importlib.import_module(f"warta.{name}")
        except ModuleNotFoundError as error:
            raise NoSuchStage(f"No stage named {name!r}: there is no module warta.{name}.") from error
    if name not in STAGES:
        raise NoSuchStage(f"Module warta.{name} registers no stage named {name!r}.")
    return STAGES[name]


class Pipeline:
    """An ordered list of stages, checked when built, run over articles one at a time."""

    def __init__(self, names: Iterable[str] = DEFAULT_STAGES):
        self.stages = [get_stage(name) for name in names]
        provided = set(_INGESTED)
        for st in self.stages:
            missing = [r for r in st.requires if r not in provided]
            if missing:
                raise StageOrderError(
                    f"Stage {st.name!r} requires {', '.join(missing)}, which no earlier stage assigns."
                )
            provided.update(st.assigns)

    @property
    def versions(self) -> dict[str, str]:
        return {st.name: st.version for st in self.stages}

    def __call__(self, article: Article) -> Article:
        """Run every stage over ``article``; a failing stage is recorded in ``article.errors``."""
        for st in self.stages:
            try:
                result = st.func(article)
            except WartaError as error:
                article.errors.append(f"{st.name}: {error}")
                break
            except Exception as error:  # one article's bug must not stop a batch
                log.exception("stage %s failed on %s", st.name, article.doc)
                article.errors.append(f"{st.name}: {type(error).__name__}: {error}")
                break
            if not isinstance(result, Article):
                raise StageOrderError(f"Stage {st.name!r} returned {type(result).__name__}, not Article.")
            article = result
        return article

    def pipe(self, articles: Iterable[Article | T]) -> Iterator[Article | T]:
        """Run the pipeline over a stream of articles, yielding each as soon as it is done.

        Anything else in the stream (``warta.ingest.Rejected``) passes through unchanged, in its place.
        """
        for article in articles:
            yield self(article) if isinstance(article, Article) else article


def analyze(text: str, *, doc: str = "text", **meta) -> Article:
    """Run the default pipeline over one text and return the analysed article.

    :param text: the article as found (boilerplate included).
    :param doc: the name to give it.
    :param meta: input metadata (``title``, ``source``, ``published``, ``url``) that overrides the text's.
    """
    from .ingest import article_from_text

    return Pipeline()(article_from_text(text, doc=doc, meta=meta))
