# GPU — two commands: `make run` and `make test`. Everything else is optional.
PY ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
HOST ?= 127.0.0.1
PORT ?= 8000
# The one address e-mails and the simulators use for the site (settings.GPU_BASE_URL).
GPU_BASE_URL ?= http://$(if $(filter 0.0.0.0,$(HOST)),127.0.0.1,$(HOST)):$(PORT)

.PHONY: install run serve worker beat test lint format migrations-check ci clean

$(STAMP): pyproject.toml
	@command -v $(PY) >/dev/null 2>&1 || { echo "Python 3.11 não encontrado ($(PY))."; exit 1; }
	@test -x $(BIN)/python || $(PY) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[dev]"
	@touch $(STAMP)

install: $(STAMP)

run: $(STAMP)
	@mkdir -p var
	GPU_DEBUG=1 $(BIN)/python manage.py migrate --no-input
	GPU_DEBUG=1 GPU_BASE_URL=$(GPU_BASE_URL) $(BIN)/python manage.py seed_demo
	@echo ""
	@echo "GPU no ar em http://$(HOST):$(PORT)/entrar/  (portal: http://$(HOST):$(PORT)/portal/, API: http://$(HOST):$(PORT)/api/v1/docs/)"
	@echo "Logins de demonstração: atendente.0137 | supervisor.0137 | vendedor.0137 | gestor.0137 | admin — senha: $${GPU_DEMO_PASSWORD:-gpu-demo-2026}"
	@echo "(Demonstração sem segundo fator obrigatório: GPU_2FA_REQUIRED_ROLES vazio. Em produção gestor e admin do hub cadastram um autenticador.)"
	GPU_DEBUG=1 GPU_BASE_URL=$(GPU_BASE_URL) GPU_2FA_REQUIRED_ROLES= $(BIN)/python manage.py runserver $(HOST):$(PORT)

worker: $(STAMP)
	$(BIN)/celery -A gpu_project worker --loglevel=INFO

beat: $(STAMP)
	$(BIN)/celery -A gpu_project beat --loglevel=INFO

lint: $(STAMP)
	$(BIN)/ruff check .

format: $(STAMP)
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

migrations-check: $(STAMP)
	GPU_DEBUG=1 $(BIN)/python manage.py makemigrations --check --dry-run

test: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/python -m pytest $(PYTEST_ARGS)

ci:
	bash .ci/run

clean:
	rm -rf $(VENV) var .pytest_cache .ruff_cache
