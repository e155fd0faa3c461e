"""Demo network for `seed_demo`: four Unimeds, their staff and service accounts.

Every demo Unimed starts in contingency: an integrated one needs a receiver listening at
its endpoint, and without one its deliveries would wait "Na fila" forever. Each has a
signing secret, so `manage.py simulate_unimed --codigo 0025 --port 8025 --registrar`
makes it integrated (README, "Unimed integrada na demonstração")."""

from django.conf import settings
from django.contrib.auth import get_user_model
from oauth2_provider.models import Application

from unimeds.models import Membership, Role, RoleGrant, ServiceAccount, Unimed
from unimeds.services import service_account_create, unimed_set_area

User = get_user_model()

DEMO_UNIMEDS = [
    {
        "code": "0025",
        "ans_registry": "302147",
        "name": "Unimed Grande Florianópolis (demo)",
        "uf": "SC",
        "is_integrated": False,
        "endpoint_url": "",
        "area": [
            "4205407",
            "4216602",
            "4211900",
            "4202305",
        ],  # Florianópolis, São José, Palhoça, Biguaçu
    },
    {
        "code": "0137",
        "ans_registry": "322831",
        "name": "Unimed São Paulo (demo)",
        "uf": "SP",
        "is_integrated": False,
        "endpoint_url": "",
        "area": ["3550308", "3518800", "3547809"],  # São Paulo, Guarulhos, Santo André
    },
    {
        "code": "0666",
        "ans_registry": "366601",
        "name": "Unimed Curitiba (demo)",
        "uf": "PR",
        "is_integrated": False,
        "endpoint_url": "",
        "area": ["4106902", "4125506"],  # Curitiba, São José dos Pinhais
    },
    {
        "code": "0667",
        "ans_registry": "366701",
        "name": "Unimed Porto Alegre (demo)",
        "uf": "RS",
        "is_integrated": False,
        "endpoint_url": "",
        "area": ["4314902", "4304606"],  # Porto Alegre, Canoas
    },
]

STAFF_ROLES = {
    "atendente": [Role.ATENDENTE],
    "supervisor": [Role.SUPERVISOR, Role.ATENDENTE],
    "vendedor": [Role.VENDEDOR],
    "gestor": [Role.GESTOR, Role.SUPERVISOR],
}


def _user(username: str, password: str, *, email: str, first: str, last: str, superuser=False):
    user, created = User.objects.get_or_create(username=username)
    user.email, user.first_name, user.last_name = email, first, last
    user.is_active = True
    user.is_staff = user.is_superuser = superuser
    user.set_password(password)
    user.save()
    return user, created


def seed(stdout) -> None:
    password = settings.GPU_DEMO_PASSWORD
    for spec in DEMO_UNIMEDS:
        data = {k: v for k, v in spec.items() if k not in ("code", "area")}
        unimed, created = Unimed.objects.update_or_create(
            code=spec["code"],
            defaults={
                **data,
                "signing_secret": f"demo-secret-{spec['code']}-gpu",
                "contingency_email": f"contingencia.{spec['code']}@example.com.br",
            },
        )
        unimed.full_clean()
        unimed_set_area(unimed=unimed, municipality_codes=spec["area"])
        stdout.write(f"Unimed {unimed.code} {'criada' if created else 'atualizada'}: {unimed.name}")
        for kind, roles in STAFF_ROLES.items():
            username = f"{kind}.{unimed.code}"
            user, _ = _user(
                username,
                password,
                email=f"{username}@example.com.br",
                first=kind.capitalize(),
                last=f"Unimed {unimed.code}",
            )
            membership, _ = Membership.objects.update_or_create(
                user=user, defaults={"unimed": unimed}
            )
            for role in roles:
                RoleGrant.objects.get_or_create(membership=membership, role=role)
        client_id = f"svc-{unimed.code}"
        app = Application.objects.filter(client_id=client_id).first()
        if app is None:
            service_account_create(
                unimed=unimed,
                name=f"Sistema da Unimed {unimed.code}",
                client_id=client_id,
                client_secret=password,
            )
        else:
            app.client_secret = password  # re-hashed on save: the demo secret stays known
            app.save()
            ServiceAccount.objects.update_or_create(
                application=app, defaults={"unimed": unimed, "name": app.name}
            )
    _user(
        "admin",
        password,
        email="admin@example.com.br",
        first="Administração",
        last="do hub",
        superuser=True,
    )
    stdout.write(
        f"Usuários: atendente|supervisor|vendedor|gestor.<código> e admin, senha '{password}'."
    )
    stdout.write("Contas de serviço: client_id svc-<código>, client_secret = a mesma senha.")
