"""Telling people what happened: the outbox of events, who may hear of each, their
preferences, and the e-mail and webhook deliveries the background jobs make."""
