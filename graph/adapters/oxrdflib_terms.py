"""pyoxigraph terms <-> rdflib terms, exactly as oxrdflib converts them.

Uses `oxrdflib._converter` (private in oxrdflib 0.5). Why not our own conversion: the rdflib view of
the store (`KnowledgeStore.dataset`, an `oxrdflib.OxigraphStore`) converts terms with these very
functions, so rows read through `KnowledgeStore.query` and terms read through the rdflib view compare
equal (e.g. a simple literal comes back as `Literal(..., datatype=XSD.string)` in both). Pinned by
`tests/test_store.py::test_term_adapter_round_trips`.
"""

from __future__ import annotations

from oxrdflib._converter import from_ox as _from_ox
from oxrdflib._converter import to_ox as _to_ox

__all__ = ["from_ox", "to_ox"]


def from_ox(term):
    """A pyoxigraph term (NamedNode, BlankNode, Literal, Triple) as the rdflib term; None stays None."""
    return _from_ox(term)


def to_ox(term):
    """An rdflib term (URIRef, BNode, Literal) as the pyoxigraph term; raises ValueError for an invalid one."""
    return _to_ox(term)
