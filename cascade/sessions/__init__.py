"""Facilitated sessions: revealing one part of the system to itself, in the room."""
