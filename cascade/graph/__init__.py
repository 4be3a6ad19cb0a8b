"""The coherence graph: the analysed workspace drawn with Graphviz, for coaches.

scope (filters) -> collapse (node budget) -> build (graphviz.Digraph) -> render (dot, safe
SVG) -> view (cached per workspace content and options); room: a picture packed and folded
to be read on a projector.
"""

from cascade.graph.options import GraphOptions
from cascade.graph.render import RenderError
from cascade.graph.view import GraphView, export, graph_view, init_app

__all__ = ["GraphOptions", "GraphView", "RenderError", "export", "graph_view", "init_app"]
