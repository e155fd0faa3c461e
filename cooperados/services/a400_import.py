"""Apply a parsed A400 file: create and update cooperados, line by line.

A400 owns provider code, name, login, CRM, CPF and profile: an import overwrites
them (a login changed anywhere else comes back). It never touches passwords and
sets the system e-mail only while the record has none (the gestor maintains it
afterwards). Applying the same file twice changes nothing the second time.
"""

import itertools
from collections.abc import Callable
from dataclasses import dataclass, field

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from cooperados import a400
from cooperados.models import BlockReason, Cooperado, LoginEmail, Situation
from cooperados.services.accounts import apply_situation
from cooperados.services.common import audit_cooperado
from core.errors import Forbidden, InvalidInput
from core.services import audit_record
from unimeds.actors import Actor
from unimeds.models import Level, Module, Unimed

OWNED_FIELDS = ("full_name", "login", "crm_number", "crm_uf", "cpf", "profile")
CHUNK = 500
CREATED, UPDATED, UNCHANGED, REJECTED = "criado", "atualizado", "sem_alteracao", "rejeitado"


@dataclass(frozen=True)
class LineResult:
    line_no: int
    status: str
    provider_code: str = ""
    login: str = ""
    detail: str = ""


@dataclass
class ImportReport:
    unimed_code: str
    filename: str
    lines: list[LineResult] = field(default_factory=list)

    def count(self, status: str) -> int:
        return sum(1 for line in self.lines if line.status == status)

    @property
    def counts(self) -> dict[str, int]:
        return {s: self.count(s) for s in (CREATED, UPDATED, UNCHANGED, REJECTED)}


def _target_unimed(actor: Actor | None, code: str) -> Unimed:
    unimed = Unimed.objects.filter(code=code).first()
    if actor is not None and not actor.sees_all_unimeds:
        if not actor.may(Module.COOPERADOS, Level.OPERAR):
            raise Forbidden(_("Seu acesso ao módulo Cooperados não permite importar o A400."))
        if unimed is None or unimed != actor.unimed:
            raise Forbidden(
                _("O arquivo é da Unimed %(code)s; você só pode importar o A400 da sua Unimed.")
                % {"code": code}
            )
    if unimed is None:
        raise InvalidInput(
            _("Unimed %(code)s do cabeçalho não está cadastrada no GPU.") % {"code": code}
        )
    return unimed


def a400_import(*, actor: Actor | None, content: bytes, filename: str = "") -> ImportReport:
    """Import one A400 file and return every line's result (small files: tests, the
    command). File-level problems (header, trailer, encoding, another Unimed's file)
    raise InvalidInput/Forbidden and apply nothing; each provider line is applied in
    its own savepoint and reported with its line number."""
    text = decode_file(content)
    header = check_file(actor, text)
    report = ImportReport(unimed_code=header.unimed_code, filename=filename)
    a400_apply(actor=actor, text=text, filename=filename, on_line=report.lines.append)
    report.lines.sort(key=lambda r: r.line_no)
    return report


def decode_file(content: bytes) -> str:
    try:
        return a400.decode(content)
    except a400.A400FileError as exc:
        raise InvalidInput(str(exc), fields={"arquivo": [str(exc)]}) from None


def check_file(actor: Actor | None, text: str) -> a400.A400File:
    """The first pass: a broken file or another Unimed's file is refused whole."""
    try:
        header = a400.check(text)
    except a400.A400FileError as exc:
        raise InvalidInput(str(exc), fields={"arquivo": [str(exc)]}) from None
    _target_unimed(actor, header.unimed_code)
    return header


def a400_apply(
    *,
    actor: Actor | None,
    text: str,
    filename: str,
    on_line: Callable[[LineResult], None],
    on_batch: Callable[[int], None] | None = None,
) -> dict[str, int]:
    """Apply a checked file line by line, in batches of CHUNK lines (one transaction
    and one lookup of CHUNK codes each: never a query with more parameters than the
    driver allows, never the whole file in memory). Calls on_line for each result and
    on_batch(lines done) after each committed batch; audits the import once at the
    end. Returns the counts."""
    header = a400.read_header(text)
    unimed = _target_unimed(actor, header.unimed_code)
    counts = dict.fromkeys((CREATED, UPDATED, UNCHANGED, REJECTED), 0)
    rejected_sample: list[list] = []
    seen: dict[str, int] = {}
    done = 0

    def emit(result: LineResult) -> None:
        counts[result.status] += 1
        if result.status == REJECTED and len(rejected_sample) < 200:
            rejected_sample.append([result.line_no, result.detail])
        on_line(result)

    lines = a400.iter_lines(text)
    while batch := list(itertools.islice(lines, CHUNK)):
        _apply_batch(actor, unimed, batch, seen, emit)
        done += len(batch)
        if on_batch is not None:
            on_batch(done)
    audit_record(
        actor=actor,
        action="cooperados.a400_importado",
        target_type="cooperados.a400",
        target_id=unimed.code,
        data={
            "unimed": unimed.code,
            "arquivo": filename[:200],
            "gerado_em": header.generated_on.isoformat(),
            "resultado": counts,
            "rejeitadas": sorted(rejected_sample),
        },
    )
    return counts


def _apply_batch(actor, unimed: Unimed, batch: list, seen: dict[str, int], emit) -> None:
    # One transaction per batch (every line still in its own savepoint): one commit per
    # line made a 10,000-line file crawl, one for the whole file would hold its locks
    # for minutes.
    records = [r for r in batch if isinstance(r, a400.ProviderRecord)]
    mine = Cooperado.objects.filter(unimed=unimed)
    existing = {
        c.provider_code: c
        for c in mine.filter(provider_code__in=[r.provider_code for r in records])
    }
    # Who holds each login and login e-mail of the batch: three queries per batch
    # instead of two per line; kept current as lines are applied.
    holders = _Holders(
        logins=dict(
            mine.filter(login__in={r.login for r in records}).values_list("login", "provider_code")
        ),
        emails=set(
            mine.filter(login_email__in={r.email for r in records if r.email}).values_list(
                "login_email", flat=True
            )
        ),
    )
    with transaction.atomic():
        for record in batch:
            if isinstance(record, a400.RejectedLine):
                emit(
                    LineResult(record.line_no, REJECTED, record.provider_code, detail=record.reason)
                )
                continue
            if record.provider_code in seen:
                emit(
                    LineResult(
                        record.line_no,
                        REJECTED,
                        record.provider_code,
                        record.login,
                        f"Código do prestador repetido no arquivo (já na linha {seen[record.provider_code]}).",
                    )
                )
                continue
            seen[record.provider_code] = record.line_no
            coop = existing.get(record.provider_code)
            result = _apply_line(actor, unimed, record, coop, holders)
            if result.status in (CREATED, UPDATED):
                holders.applied(record, previous_login=coop.login if coop else None)
            emit(result)


@dataclass
class _Holders:
    logins: dict[str, str]  # login → provider code
    emails: set[str]  # login e-mails in use

    def applied(self, record: a400.ProviderRecord, previous_login: str | None) -> None:
        if previous_login and self.logins.get(previous_login) == record.provider_code:
            del self.logins[previous_login]
        self.logins[record.login] = record.provider_code
        if record.email:
            self.emails.add(record.email)


def _apply_line(
    actor, unimed: Unimed, record: a400.ProviderRecord, coop: Cooperado | None, holders: "_Holders"
) -> LineResult:
    def result(status, detail=""):
        return LineResult(record.line_no, status, record.provider_code, record.login, detail)

    if coop is not None and record.movement != "E" and _unchanged(coop, record):
        return result(UNCHANGED)  # the common case of a monthly file: no query at all
    clash = holders.logins.get(record.login)
    if clash == record.provider_code:
        clash = None
    if clash and record.movement != "E":
        return result(REJECTED, f"Login {record.login} já pertence ao prestador de código {clash}.")
    try:
        with transaction.atomic():
            if record.movement == "E":
                return _exclude(actor, coop, result)
            if coop is None:
                return _create(actor, unimed, record, result, holders)
            return _update(actor, coop, record, result)
    except IntegrityError:
        return result(
            REJECTED,
            "Conflito com outro cooperado desta Unimed (login ou e-mail de login já em uso).",
        )


def _unchanged(coop: Cooperado, record: a400.ProviderRecord) -> bool:
    return (
        all(getattr(coop, f) == getattr(record, f) or not getattr(record, f) for f in OWNED_FIELDS)
        and not (record.email and not coop.email_unimed)
        and not (coop.is_blocked and coop.block_reason == BlockReason.A400_EXCLUSION)
    )


def _exclude(actor, coop: Cooperado | None, result) -> LineResult:
    if coop is None:
        return result(REJECTED, "Exclusão de prestador que não está cadastrado.")
    coop = Cooperado.objects.select_for_update().select_related("unimed").get(pk=coop.pk)
    if coop.is_blocked:
        return result(UNCHANGED, "Já estava bloqueado.")
    apply_situation(
        actor=actor,
        coop=coop,
        situation=Situation.BLOQUEADO,
        reason=BlockReason.A400_EXCLUSION,
        note="Prestador excluído no A400.",
    )
    return result(UPDATED, "Bloqueado: exclusão no A400.")


def _create(
    actor, unimed: Unimed, record: a400.ProviderRecord, result, holders: "_Holders"
) -> LineResult:
    if record.email and record.email in holders.emails:
        return result(
            REJECTED,
            f"E-mail {record.email} já é o e-mail de login de outro cooperado desta Unimed.",
        )
    coop = Cooperado(
        unimed=unimed,
        provider_code=record.provider_code,
        email_unimed=record.email,
        login_email_source=LoginEmail.UNIMED,
        a400_synced_at=timezone.now(),
        **{f: getattr(record, f) for f in OWNED_FIELDS},
    )
    coop.sync_derived()
    coop.save()
    audit_cooperado(
        actor=actor, action="cooperado.criado_pelo_a400", cooperado=coop, linha=record.line_no
    )
    return result(CREATED)


def _update(actor, coop: Cooperado, record: a400.ProviderRecord, result) -> LineResult:
    coop = Cooperado.objects.select_for_update().select_related("unimed").get(pk=coop.pk)
    before = {f: getattr(coop, f) for f in (*OWNED_FIELDS, "email_unimed")}
    for f in OWNED_FIELDS:
        if getattr(record, f):  # an empty value in the file never erases what is stored
            setattr(coop, f, getattr(record, f))
    if record.email and not coop.email_unimed:
        coop.email_unimed = record.email
    after = {f: getattr(coop, f) for f in (*OWNED_FIELDS, "email_unimed")}
    changes = {k: [before[k], after[k]] for k in after if before[k] != after[k]}
    notes = []
    if changes:
        coop.sync_derived()
        coop.a400_synced_at = timezone.now()
        coop.save()
        audit_cooperado(
            actor=actor,
            action="cooperado.atualizado_pelo_a400",
            cooperado=coop,
            changes=changes,
            linha=record.line_no,
        )
        notes.append("Alterado: " + ", ".join(changes))
    if coop.is_blocked and coop.block_reason == BlockReason.A400_EXCLUSION:
        apply_situation(
            actor=actor, coop=coop, situation=Situation.ATIVO, note="Reincluído no A400."
        )
        notes.append("desbloqueado (reinclusão no A400)")
    return result(UPDATED, "; ".join(notes)) if notes else result(UNCHANGED)
