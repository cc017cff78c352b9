"""Workflow: review states, roles, approval hashes, audit chain, broadcast rules."""
