from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from unimeds.api.permissions import api_actor
from unimeds.models import Unimed


class EuView(APIView):
    """The token's Unimed: the smallest protected endpoint."""

    class OutputSerializer(serializers.Serializer):
        cd_unimed = serializers.CharField(source="code")
        nome = serializers.CharField(source="name")
        nr_ans = serializers.CharField(source="ans_registry")
        integrada = serializers.BooleanField(source="is_integrated")

    @extend_schema(
        summary="Unimed do token",
        responses={
            200: inline_serializer(
                "Eu",
                {
                    "cd_unimed": serializers.CharField(),
                    "nome": serializers.CharField(),
                    "nr_ans": serializers.CharField(),
                    "integrada": serializers.BooleanField(),
                },
            )
        },
    )
    def get(self, request):
        # Read fresh (not the token's memoised copy): an integrator checks here whether
        # its integration is on right after configuring it.
        unimed = Unimed.objects.get(pk=api_actor(request).unimed.pk)
        return Response(self.OutputSerializer(unimed).data)
