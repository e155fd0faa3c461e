"""Cache invalidation only: a membership, role or Unimed edited anywhere (services or
the Django admin) must take effect on the user's next request."""

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from unimeds.actors import forget_access
from unimeds.models import Membership, ModuleGrant, RoleGrant, Unimed


@receiver([post_save, post_delete], sender=Membership)
def _membership_changed(sender, instance, **kwargs):
    forget_access(instance.user_id)


@receiver([post_save, post_delete], sender=RoleGrant)
def _grant_changed(sender, instance, **kwargs):
    user_id = (
        Membership.objects.filter(pk=instance.membership_id)
        .values_list("user_id", flat=True)
        .first()
    )
    if user_id is not None:
        forget_access(user_id)


@receiver(post_save, sender=Unimed)
def _unimed_changed(sender, instance, **kwargs):
    for user_id in Membership.objects.filter(unimed=instance).values_list("user_id", flat=True):
        forget_access(user_id)


def _connect_reference_data() -> None:
    """Rows memoised by core.refcache: any change drops every process's memo."""
    from oauth2_provider.models import AccessToken, Application

    from core import refcache
    from unimeds.models import Municipality, ServiceAccount

    for model in (Unimed, Municipality, ServiceAccount, Application, AccessToken):
        post_save.connect(
            _reference_saved, sender=model, dispatch_uid=f"refcache-{model._meta.label}-save"
        )
        post_delete.connect(
            refcache.bump, sender=model, dispatch_uid=f"refcache-{model._meta.label}-delete"
        )


def _reference_saved(sender, instance, created, **kwargs):
    from oauth2_provider.models import AccessToken

    from core import refcache

    # A new token is not in anyone's memo yet (unknown tokens are never memoised); a
    # changed or revoked one is.
    if not (created and sender is AccessToken):
        refcache.bump()


_connect_reference_data()


@receiver([post_save, post_delete], sender=ModuleGrant)
def _module_grant_changed(sender, instance, **kwargs):
    _grant_changed(sender, instance)
