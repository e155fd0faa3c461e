"""GPU transaction API (POST /api/v1/gpu/<operacao>) and the protocol read API."""
