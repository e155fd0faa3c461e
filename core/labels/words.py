"""The words: audit actions, data fields, non-person actors and scheduled jobs, in pt-BR."""

ACTION_LABELS: dict[str, str] = {
    # Cooperados (app accounts)
    "cooperado.visualizado": "Cadastro do cooperado visualizado",
    "cooperado.emails_alterados": "E-mails alterados",
    "cooperado.bloqueado": "Cooperado bloqueado",
    "cooperado.desbloqueado": "Cooperado desbloqueado",
    "cooperado.senha_definida": "Senha definida pelo gestor",
    "cooperado.link_de_senha_enviado": "Link para criar senha enviado",
    "cooperado.senha_redefinida_pelo_link": "Senha redefinida pelo link",
    "cooperado.senha_trocada_no_app": "Senha trocada no aplicativo",
    "cooperado.link_de_senha_pedido_no_app": "Link de senha pedido no aplicativo",
    "cooperado.criado_pelo_a400": "Cooperado incluído pelo A400",
    "cooperado.atualizado_pelo_a400": "Cooperado atualizado pelo A400",
    "cooperados.busca": "Busca de cooperados",
    "cooperados.a400_importacao_pedida": "Importação do A400 pedida",
    "cooperados.a400_importado": "Arquivo A400 importado",
    "cooperados.troca_forcada_pedida": "Troca de senha obrigatória pedida em massa",
    "cooperados.troca_forcada_concluida": "Troca de senha obrigatória em massa concluída",
    # Protocols
    "protocolo.visualizado": "Protocolo visualizado",
    "protocolo.consultado_api": "Protocolo consultado pela API",
    "protocolo.anexo_baixado": "Anexo do protocolo baixado",
    "protocolo.atribuido": "Protocolo atribuído",
    "protocolos.listados": "Lista de protocolos consultada",
    "protocolos.lote_pedido": "Ação em lote pedida",
    "protocolos.lote_concluido": "Ação em lote concluída",
    "protocolos.regra_distribuicao": "Regra de distribuição de protocolos alterada",
    "portal.protocolo_consultado": "Protocolo consultado no portal",
    "resposta_pronta.salva": "Resposta pronta salva",
    "resposta_pronta.excluida": "Resposta pronta excluída",
    "entrega.reenviada": "Entrega reenviada",
    "email.reenviado": "E-mail reenviado",
    # Leads
    "lead.criado": "Lead criado",
    "lead.visualizado": "Lead visualizado",
    "lead.contato": "Contato registrado",
    "lead.etapa": "Mudança de etapa do lead",
    "lead.nova_demanda": "Nova demanda para o lead",
    "lead.reatribuido": "Lead reatribuído",
    "leads.regra_distribuicao": "Regra de distribuição de leads alterada",
    "reserva.criada": "Reserva de mercado criada",
    "reserva.renovada": "Reserva de mercado renovada",
    "reserva.liberada": "Reserva de mercado liberada",
    "reserva.expirada": "Reserva de mercado expirada",
    "contrato.criado": "Contrato ativo registrado",
    "contrato.atualizado": "Contrato ativo atualizado",
    # Retention
    "retencao.caso_visualizado": "Caso de retenção visualizado",
    "retencao.caso_reatribuido": "Caso de retenção reatribuído",
    "retencao.prazo_primeiro_contato": "Prazo do primeiro contato alterado",
    "retencao.regra_criada": "Regra da régua criada",
    "retencao.regra_alterada": "Regra da régua alterada",
    "retencao.importacao_faturas": "Faturas em atraso importadas",
    "retencao.importacao_indicadores": "Indicadores de contratos importados",
    # Regulatório
    "regulatorio.demanda_registrada": "Demanda regulatória registrada",
    "regulatorio.abi_importado": "ABI importado",
    "regulatorio.anexo_baixado": "Anexo da demanda baixado",
    # Intercâmbio (risk sharing)
    "compartilhamento_risco.inclusao": "Compartilhamento de risco incluído",
    "compartilhamento_risco.alteracao": "Compartilhamento de risco alterado",
    "compartilhamento_risco.sem_alteracao": "Compartilhamento de risco recebido sem alteração",
    "compartilhamento_risco.desatualizada": "Mensagem de compartilhamento de risco antiga ignorada",
    "compartilhamento_risco.pendente": "Compartilhamento de risco pendente de confirmação",
    "compartilhamento_risco.confirmado": "Compartilhamento de risco confirmado",
    "compartilhamento_risco.recusado": "Compartilhamento de risco recusado",
    "compartilhamento_risco.encerrado": "Compartilhamento de risco encerrado",
    "compartilhamento_risco.consultado": "Compartilhamento de risco consultado",
    "compartilhamento_risco.habitualidade_consultada": "Habitualidade consultada",
    # Reports
    "relatorio.solicitado": "Relatório pedido",
    "relatorio.baixado": "Relatório baixado",
    "relatorio.queued": "Relatório na fila",
    "relatorio.running": "Relatório em geração",
    "relatorio.done": "Relatório pronto",
    "relatorio.failed": "Relatório falhou",
    "relatorio.expired": "Relatório expirado",
    # Team and network
    "equipe.convidado": "Pessoa convidada para a equipe",
    "equipe.convite_reenviado": "Convite reenviado",
    "equipe.papeis": "Papéis alterados",
    "equipe.permissoes": "Permissões por módulo alteradas",
    "equipe.ativado": "Acesso reativado",
    "equipe.desativado": "Acesso desativado",
    "equipe.desbloqueado": "Acesso desbloqueado",
    "equipe.segundo_fator_ativado": "Segundo fator ativado",
    "equipe.segundo_fator_redefinido": "Segundo fator redefinido",
    "equipe.codigos_recuperacao_gerados": "Códigos de recuperação gerados",
    "equipe.senha_redefinida_por_email": "Senha redefinida por e-mail",
    "conta_servico.criada": "Conta de serviço criada",
    "unimed.endpoint_configurado": "Endereço de integração configurado",
}

# Keys of an audit row's data and of its changes, where the model's own field name
# (verbose_name) is missing or reads worse.
FIELD_LABELS: dict[str, str] = {
    "senha": "Senha",
    "must_change_password": "Troca de senha obrigatória",
    "login_email_source": "E-mail de login do aplicativo",
    "situation": "Situação",
    "block_reason": "Motivo do bloqueio",
    "block_note": "Observação do bloqueio",
    "status": "Situação",
    "name": "Nome",
    "cpf_hash": "CPF (pseudônimo)",
    "email": "E-mail",
    "unimed": "Unimed",
    "owner": "Responsável",
    "owner_id": "Responsável",
    # A400 import result counts
    "criado": "Incluídos",
    "atualizado": "Atualizados",
    "sem_alteracao": "Sem alteração",
    "rejeitado": "Rejeitados",
}

# Who acted, when it was not a person (unimeds.actors.ActorKind values and prefixes).
ACTOR_LABELS: dict[str, str] = {
    "system": "Sistema",
    "portal": "Portal",
    "scheduled": "Tarefa agendada",
    "service": "Conta de serviço",
    "user": "Equipe",
}
JOB_LABELS: dict[str, str] = {
    "reservas_expirar": "expiração das reservas de mercado",
    "regulatorio.alertas": "alertas de prazo regulatório",
}

# One line of an imported file (retention feeds, PERSUS ABI, contracts).
RESULT_LABELS: dict[str, str] = {
    "criado": "Criado",
    "atualizado": "Atualizado",
    "sem_alteracao": "Sem alteração",
    "ja_importado": "Já importado",
    "valor_divergente": "Valor divergente",
    "caso_aberto": "Caso aberto",
    "evento": "Registrado no caso aberto",
    "fora_da_regua": "Fora da régua",
    "erro": "Erro",
    "rejeitado": "Rejeitado",
}
