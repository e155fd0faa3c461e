from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from core.health import liveness_report, readiness_report


@never_cache
@require_GET
def healthz(request):
    """Liveness: the process answers and reaches its database. No worker is asked."""
    healthy, report = liveness_report()
    return JsonResponse(
        {"status": "ok" if healthy else "falha", **report}, status=200 if healthy else 503
    )


@never_cache
@require_GET
def healthz_ready(request):
    """Readiness details: database, cache, workers and beat heartbeats, outbox backlog."""
    healthy, report = readiness_report()
    return JsonResponse(
        {"status": "ok" if healthy else "falha", **report}, status=200 if healthy else 503
    )
