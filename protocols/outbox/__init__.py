"""Outbound delivery of GPU messages to integrated Unimeds (the outbox).

`signing` (sign/verify, also for receivers), `messages` (event → GPU message),
`services` (create, attempt, redeliver, sweep), `selectors` (scoped reads).
"""
