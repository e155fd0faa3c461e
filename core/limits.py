"""Request size and JSON depth limits, answered before anything parses the body.

A request announcing a body over the limit is refused from its Content-Length at once
(413), so nothing reads 50 MB to refuse it afterwards; a body without a length is
empty to Django (the reverse proxy limits chunked uploads: docs/operations.md).
Multipart requests (attachments, A400 files) get GPU_MAX_UPLOAD_BYTES, everything
else GPU_MAX_BODY_BYTES.
"""

from django.conf import settings
from django.http import JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

# Nesting deeper than this is refused with 400 before json.loads: no GPU message nests
# past a handful of levels, and a deep one would exhaust the recursion limit.
MAX_JSON_DEPTH = 64


def body_limit(request) -> int:
    if (request.content_type or "").startswith("multipart/"):
        return settings.GPU_MAX_UPLOAD_BYTES
    return settings.GPU_MAX_BODY_BYTES


def _wants_json(request) -> bool:
    return request.path.startswith(("/api/", "/o/")) or "text/html" not in request.headers.get(
        "Accept", ""
    )


class RequestSizeLimitMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        limit = body_limit(request)
        if length > limit:
            return too_large_response(request, limit)
        return self.get_response(request)


def too_large_response(request, limit: int):
    megabytes = f"{limit / (1024 * 1024):.0f}"
    message = _(
        "O corpo da requisição passa do limite de %(mb)s MB; nada foi lido nem gravado."
    ) % {"mb": megabytes}
    if _wants_json(request):
        from core.api import error_body

        response = JsonResponse(error_body("corpo_grande_demais", message, status=413), status=413)
    else:
        response = render(request, "erro.html", {"status": 413, "mensagem": message}, status=413)
    response["Connection"] = "close"  # the unread body must not be taken for the next request
    return response


def json_depth(raw: bytes) -> int:
    """Deepest nesting of arrays/objects in a JSON text (brackets inside strings skipped)."""
    depth = deepest = 0
    in_string = escaped = False
    for byte in raw:
        if in_string:
            if escaped:
                escaped = False
            elif byte == 0x5C:  # backslash
                escaped = True
            elif byte == 0x22:
                in_string = False
        elif byte == 0x22:
            in_string = True
        elif byte in (0x5B, 0x7B):
            depth += 1
            deepest = max(deepest, depth)
        elif byte in (0x5D, 0x7D):
            depth -= 1
    return deepest


def too_deep(raw: bytes) -> bool:
    # Counting brackets is done in C; only a body with many of them is scanned.
    if raw.count(b"[") + raw.count(b"{") <= MAX_JSON_DEPTH:
        return False
    return json_depth(raw) > MAX_JSON_DEPTH
