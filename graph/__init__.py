"""cmkg: the critical-mineral dependency knowledge graph.

Articles go in, an RDF knowledge graph with provenance comes out. The package is organised by
the stages the data passes through: read (articles) → extract → rdf → store → analyse → render/export.
"""

__version__ = "0.1.0"
