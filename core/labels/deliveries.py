"""Why a delivery failed, as a sentence for people (the protocol's timeline); the
technical error stays on the delivery for operators (integrations page, admin)."""

from datetime import datetime

from django.utils import timezone


def _http_reason(status: int) -> str:
    if 300 <= status < 400:
        return f"o endereço de integração da Unimed de destino mudou (redirecionamento HTTP {status}); é preciso atualizá-lo"
    if status in (404, 410):
        return f"o endereço de integração da Unimed de destino não existe (HTTP {status})"
    if status in (401, 403):
        return f"a Unimed de destino recusou a assinatura ou o acesso (HTTP {status})"
    if status in (408, 504):
        return f"a Unimed de destino demorou demais para responder (HTTP {status})"
    if status == 429:
        return "a Unimed de destino pediu para aguardar (HTTP 429, excesso de envios)"
    if status == 503:
        return "o sistema da Unimed de destino está indisponível (HTTP 503)"
    if status >= 500:
        return f"o sistema da Unimed de destino respondeu com erro (HTTP {status})"
    return f"a Unimed de destino recusou a mensagem (HTTP {status})"


# (markers in the technical error, lower case) → reason. The error is what
# protocols.outbox.services stores: "<exception class>: <message>" or its own sentence.
_ERROR_REASONS: tuple[tuple[tuple[str, ...], str], ...] = (
    (
        ("endereço interno", "netguard"),
        "o envio foi bloqueado pela proteção de rede: o endereço da Unimed de destino aponta para uma rede interna",
    ),
    (
        ("não está integrada", "não tem endpoint"),
        "a Unimed de destino não está integrada ou não tem endereço de integração configurado",
    ),
    (
        ("connectionrefused", "connection refused", "errno 111"),
        "a Unimed de destino não respondeu (conexão recusada)",
    ),
    (
        (
            "gaierror",
            "nameresolution",
            "name or service not known",
            "nodename nor servname",
            "temporary failure in name resolution",
            "errno -2",
            "errno -3",
        ),
        "o endereço da Unimed de destino não foi encontrado (DNS)",
    ),
    (
        ("ssl", "certificate", "tls"),
        "a conexão segura com a Unimed de destino falhou (certificado ou TLS)",
    ),
    (
        ("prazo de", "timeout", "timed out", "esgotado"),
        "a Unimed de destino não respondeu a tempo (tempo esgotado)",
    ),
    (
        ("no route to host", "network is unreachable", "errno 113", "errno 101"),
        "a rede da Unimed de destino está inalcançável",
    ),
    (
        (
            "connectionreset",
            "remotedisconnected",
            "brokenpipe",
            "connection aborted",
            "connection reset",
            "badstatusline",
            "incompleteread",
        ),
        "a conexão com a Unimed de destino caiu antes da resposta",
    ),
)


def delivery_failure_reason(error: str, http_status: int | None = None) -> str:
    """Why a delivery failed, in words, from the HTTP status or the stored technical
    error (the error itself stays for operators: integrations page, admin)."""
    if http_status and not 200 <= http_status < 300:
        return _http_reason(http_status)
    text = str(error or "").lower()
    for markers, reason in _ERROR_REASONS:
        if any(marker in text for marker in markers):
            return reason
    return "falha de comunicação com a Unimed de destino"


def _when(moment: datetime) -> str:
    local = timezone.localtime(moment)
    if local.date() == timezone.localdate():
        return f"às {local:%H:%M}"
    return f"em {local:%d/%m/%Y} às {local:%H:%M}"


def delivery_summary(delivery) -> str:
    """One sentence on where a delivery stands, for people (the protocol's timeline)."""
    status = delivery.status
    if status == "delivered":
        when = (
            f" em {timezone.localtime(delivery.delivered_at):%d/%m/%Y %H:%M}"
            if delivery.delivered_at
            else ""
        )
        return f"Entregue{when}."
    if status == "sending":
        return "Enviando agora."
    if not delivery.last_error:
        return "Na fila para envio."
    reason = delivery_failure_reason(delivery.last_error, delivery.last_http_status)
    tries = f"{delivery.attempts} tentativa{'s' if delivery.attempts != 1 else ''}"
    if status == "dead":
        return f"Falha na entrega: {reason}; as tentativas acabaram ({tries})."
    return f"Falha na entrega: {reason}; nova tentativa {_when(delivery.next_attempt_at)} ({tries} até agora)."
