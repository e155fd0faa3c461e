from django import forms
from django.contrib import admin

from unimeds.models import (
    RECEIVER_MESSAGE_CHOICES,
    Membership,
    ModuleGrant,
    Municipality,
    RoleGrant,
    ServiceAccount,
    Unimed,
)


class MunicipalityInline(admin.TabularInline):
    model = Municipality
    fields = ("code", "name", "uf")
    readonly_fields = ("code", "name", "uf")
    extra = 0
    can_delete = False
    show_change_link = True

    def has_add_permission(self, request, obj=None):
        return False


class UnimedAdminForm(forms.ModelForm):
    """The webhook signing secret is write-only: never rendered back (not even in the
    page source); left empty, the stored one is kept. The receiver's accepted messages
    are ticked from the list of message types the hub delivers."""

    signing_secret = forms.CharField(
        label="Segredo de assinatura",
        required=False,
        strip=True,
        max_length=128,
        widget=forms.PasswordInput(render_value=False, attrs={"autocomplete": "new-password"}),
        help_text="Só escrita: deixe em branco para manter o atual. Mínimo de 16 caracteres.",
    )
    receiver_accepts = forms.MultipleChoiceField(
        label="Mensagens que o receptor aceita",
        choices=RECEIVER_MESSAGE_CHOICES,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="O hub só entrega esses tipos; os demais ficam no painel e na API de leitura da Unimed.",
    )

    class Meta:
        model = Unimed
        fields = (
            "code",
            "ans_registry",
            "name",
            "uf",
            "is_active",
            "is_integrated",
            "endpoint_url",
            "signing_secret",
            "contingency_email",
            "carnival_is_holiday",
            "ash_wednesday_is_holiday",
            "corpus_christi_is_holiday",
            "hub_sequence_start",
            "receiver_accepts",
        )

    def clean_signing_secret(self):
        value = self.cleaned_data.get("signing_secret") or ""
        if not value:
            return self.instance.signing_secret if self.instance.pk else ""
        if len(value) < 16:
            raise forms.ValidationError("O segredo de assinatura deve ter ao menos 16 caracteres.")
        return value


@admin.register(Unimed)
class UnimedAdmin(admin.ModelAdmin):
    form = UnimedAdminForm
    list_display = ("code", "name", "ans_registry", "uf", "is_integrated", "is_active")
    list_filter = ("is_integrated", "is_active", "uf")
    search_fields = ("code", "name", "ans_registry")
    inlines = [MunicipalityInline]
    fieldsets = (
        (None, {"fields": ("code", "ans_registry", "name", "uf", "is_active")}),
        (
            "Integração",
            {"fields": ("is_integrated", "endpoint_url", "signing_secret", "contingency_email")},
        ),
        (
            "Calendário",
            {
                "fields": (
                    "carnival_is_holiday",
                    "ash_wednesday_is_holiday",
                    "corpus_christi_is_holiday",
                )
            },
        ),
        ("Numeração", {"fields": ("hub_sequence_start",)}),
        ("Receptor da Unimed", {"fields": ("receiver_accepts",)}),
    )


@admin.register(Municipality)
class MunicipalityAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "uf", "unimed")
    list_filter = ("uf",)
    search_fields = ("code", "name")
    autocomplete_fields = ("unimed",)
    readonly_fields = ("code", "name", "uf")

    def has_add_permission(self, request):
        return False


class RoleGrantInline(admin.TabularInline):
    model = RoleGrant
    extra = 1


class ModuleGrantInline(admin.TabularInline):
    model = ModuleGrant
    extra = 0


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ("user", "unimed")
    list_filter = ("unimed",)
    search_fields = ("user__username", "user__email", "unimed__code")
    inlines = [RoleGrantInline, ModuleGrantInline]
    autocomplete_fields = ("user", "unimed")


@admin.register(ServiceAccount)
class ServiceAccountAdmin(admin.ModelAdmin):
    list_display = ("name", "unimed", "client_id", "is_active", "created_at")
    list_filter = ("is_active",)
    search_fields = ("name", "application__client_id", "unimed__code")
    readonly_fields = ("application",)
