"""Cache invalidation only: a membership, role or Unimed edited anywhere (services or
the Django admin) must take effect on the user's next request."""

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from unimeds.actors import forget_access
from unimeds.models import Membership, RoleGrant, Unimed


@receiver([post_save, post_delete], sender=Membership)
def _membership_changed(sender, instance, **kwargs):
    forget_access(instance.user_id)


@receiver([post_save, post_delete], sender=RoleGrant)
def _grant_changed(sender, instance, **kwargs):
    user_id = Membership.objects.filter(pk=instance.membership_id).values_list("user_id", flat=True).first()
    if user_id is not None:
        forget_access(user_id)


@receiver(post_save, sender=Unimed)
def _unimed_changed(sender, instance, **kwargs):
    for user_id in Membership.objects.filter(unimed=instance).values_list("user_id", flat=True):
        forget_access(user_id)
