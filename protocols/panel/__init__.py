"""Contingency panel: the browser workplace of non-integrated Unimeds (docs/panel.md).

Views call protocols.services and read through protocols.selectors /
protocols.panel.selectors; no rule lives here.
"""
