"""Warta: Indonesian news to structured, verifiable event data."""

from .doc import Actor, Article, Entity, Event, Evidence, Mention, Quote, Sentence, Timex, Token
from .errors import BadInput, WartaError
from .pipeline import Pipeline, analyze

__all__ = [
    "Actor",
    "Article",
    "BadInput",
    "Entity",
    "Event",
    "Evidence",
    "Mention",
    "Pipeline",
    "Quote",
    "Sentence",
    "Timex",
    "Token",
    "WartaError",
    "analyze",
]
