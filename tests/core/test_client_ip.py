"""One trusted client address (core.client_ip) for the portal, the cooperado sign-in
throttle, the staff lockout and the audit trail: count GPU_TRUSTED_PROXIES from the
right of X-Forwarded-For, never trust an entry the client wrote."""

import pytest

from core.client_ip import client_ip


def test_no_proxy_ignores_the_header(rf, settings):
    settings.GPU_TRUSTED_PROXIES = 0
    request = rf.get("/", REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="6.6.6.6")
    assert client_ip(request) == "10.0.0.1"


def test_counts_our_proxies_from_the_right(rf, settings):
    settings.GPU_TRUSTED_PROXIES = 2  # a CDN, then our load balancer
    request = rf.get(
        "/", REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="6.6.6.6, 203.0.113.7, 198.51.100.1"
    )
    assert client_ip(request) == "203.0.113.7"


def test_a_client_changing_entries_cannot_move_its_address(rf, settings):
    """Whatever the client puts before our proxies' entries, the address stays the one
    our outermost proxy appended."""
    settings.GPU_TRUSTED_PROXIES = 1
    for claimed in ("", "1.2.3.4", "1.2.3.4, 5.6.7.8", "lixo"):
        header = f"{claimed}, 203.0.113.7" if claimed else "203.0.113.7"
        assert (
            client_ip(rf.get("/", REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR=header))
            == "203.0.113.7"
        )


def test_too_few_entries_or_garbage_fall_back_to_the_connection(rf, settings):
    settings.GPU_TRUSTED_PROXIES = 2
    assert (
        client_ip(rf.get("/", REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="6.6.6.6")) == "10.0.0.1"
    )
    settings.GPU_TRUSTED_PROXIES = 1
    assert (
        client_ip(rf.get("/", REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="<script>"))
        == "10.0.0.1"
    )


@pytest.mark.django_db
def test_cooperado_throttle_counts_clients_behind_the_load_balancer_apart(
    api_client, unimed, settings
):
    """Before: the throttle keyed on REMOTE_ADDR (the load balancer), so one client used up
    every sign-in of everyone behind it."""
    settings.GPU_TRUSTED_PROXIES = 1
    settings.GPU_COOPERADO_SIGNIN_PER_IP = 3
    attacker = {"HTTP_X_FORWARDED_FOR": "203.0.113.66"}
    for _ in range(3):
        assert (
            api_client.post(
                "/api/v1/cooperados/sessao",
                {"unimed": "0137", "usuario": f"x{_}", "senha": "x"},
                format="json",
                REMOTE_ADDR="10.0.0.1",
                **attacker,
            ).status_code
            == 401
        )
    spoofed = {"HTTP_X_FORWARDED_FOR": "9.9.9.9, 203.0.113.66"}  # a claimed entry changes nothing
    assert (
        api_client.post(
            "/api/v1/cooperados/sessao",
            {"unimed": "0137", "usuario": "y", "senha": "x"},
            format="json",
            REMOTE_ADDR="10.0.0.1",
            **spoofed,
        ).status_code
        == 429
    )
    other = {"HTTP_X_FORWARDED_FOR": "203.0.113.8"}
    assert (
        api_client.post(
            "/api/v1/cooperados/sessao",
            {"unimed": "0137", "usuario": "y", "senha": "x"},
            format="json",
            REMOTE_ADDR="10.0.0.1",
            **other,
        ).status_code
        == 401
    )
