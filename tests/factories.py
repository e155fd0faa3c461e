"""factory_boy factories for the network: Unimeds, staff users, memberships, service accounts."""

from datetime import timedelta
from functools import lru_cache

import factory
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.utils import timezone
from oauth2_provider.models import AccessToken

from unimeds.models import Membership, Role, RoleGrant, Unimed
from unimeds.services import service_account_create

PASSWORD = "senha-de-teste-2026"


def _password_hash() -> str:
    # Per hasher: a hash cached while a test ran with a fast hasher (leads' conftest)
    # would not verify once the settings are back to the default ones.
    return _password_hash_with(settings.PASSWORD_HASHERS[0])


@lru_cache(maxsize=4)
def _password_hash_with(hasher: str) -> str:
    return make_password(PASSWORD)  # Argon2 is slow on purpose: hash once per run


class UnimedFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Unimed
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"{(n % 9000) + 1000:04d}")
    ans_registry = factory.Sequence(lambda n: f"{(n % 900000) + 100000:06d}")
    name = factory.LazyAttribute(lambda o: f"Unimed Teste {o.code}")
    uf = "SP"
    is_integrated = False


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)

    username = factory.Sequence(lambda n: f"usuario{n}")
    email = factory.LazyAttribute(lambda o: f"{o.username}@example.com.br")
    first_name = "Usuária"
    last_name = "Teste"
    password = factory.LazyFunction(_password_hash)


def staff_user(unimed: Unimed, *roles: str, username: str | None = None, **kwargs):
    """A staff user of `unimed` with the given roles (default: atendente)."""
    user = UserFactory(**({"username": username} if username else {}), **kwargs)
    membership, _ = Membership.objects.get_or_create(user=user, defaults={"unimed": unimed})
    for role in roles or (Role.ATENDENTE,):
        RoleGrant.objects.get_or_create(membership=membership, role=role)
    return user


def service_token(unimed: Unimed, *, expires_in: int = 3600) -> str:
    """A bearer token of a fresh service account bound to `unimed`."""
    account, _secret = service_account_create(unimed=unimed, name=f"teste {unimed.code}")
    token = AccessToken.objects.create(
        application=account.application,
        token=f"tok-{unimed.code}-{account.pk}-{timezone.now().timestamp()}",
        expires=timezone.now() + timedelta(seconds=expires_in),
        scope="gpu",
    )
    return token.token
