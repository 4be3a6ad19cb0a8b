"""How Cascade is served: the production server's settings and what tells a load balancer
whether this process may take requests.

`make run` serves with gunicorn configured by `cascade.serving.gunicorn` (workers and threads
sized for the machine, time limits, an access log); `make dev` keeps Flask's reloader.
`health` holds the checks behind `/healthz` (the process answers) and `/readyz` (it can
serve pages: the database answers, Redis when configured, and Graphviz's `dot` runs).
"""
