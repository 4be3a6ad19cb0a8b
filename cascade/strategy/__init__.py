"""The strategy tree: authoring nodes (`operations`), the tree page a page at a time
(`folding`), the whole tree as an outline loaded in a fixed number of queries (`outline`),
and the node page and inbox built from it."""
