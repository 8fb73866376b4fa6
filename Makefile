# Two commands for a fresh clone: `make run` and `make test`.
SHELL := /bin/bash
.DEFAULT_GOAL := help

# Rasa 3.6 needs Python 3.10: take the first interpreter that really is 3.10.
PYTHON310 ?= $(shell for p in python3.10 $$HOME/.pyenv/versions/3.10*/bin/python3.10 /usr/local/bin/python3.10 /usr/bin/python3.10; do \
	$$p -c 'import sys; assert sys.version_info[:2] == (3, 10)' >/dev/null 2>&1 && { echo $$p; break; }; done)
VENV := .venv
PY := $(VENV)/bin/python
RASA := $(VENV)/bin/rasa
export RASA_TELEMETRY_ENABLED := false
export PYTHONPATH := $(CURDIR)
export SQLALCHEMY_SILENCE_UBER_WARNING := 1
export TF_CPP_MIN_LOG_LEVEL := 2

NATIONAL ?= ../shared/catalogue/national_catalogue.jsonl.gz
TRAINING_FILES := config.yml $(shell find bot/domain bot/data -name '*.yml' 2>/dev/null | sort) \
	$(shell find bot/components vietnamese -name '*.py' -o -name '*.txt' 2>/dev/null | sort) $(shell find procedures_kb/data/curated -name '*.yml' | sort)
MODEL := models/current.tar.gz
# Demo dossiers are generated around this date, so that their codes (listed in the README) stay the same.
DEMO_ANCHOR ?= 2026-11-20

.PHONY: help setup venv db model browser nginx run run-cluster bench-load lint test test-fast test-unit train train-header test-stories test-e2e bench bench-answers eval-nlu nlu-data \
	import-national validate clean

help:
	@echo "make run    – cài đặt mọi thứ rồi chạy trợ lý (Rasa :5005, actions :5055)"
	@echo "make test   – cài đặt mọi thứ rồi chạy toàn bộ bộ kiểm thử (lint → unit → validate → train → stories → e2e)"
	@echo "make test-fast – lint và kiểm thử đơn vị (không cần mô hình, không khởi động máy chủ)"
	@echo "make run-cluster N=2 M=2 – nginx + N máy chủ Rasa + M máy chủ actions, PostgreSQL, Redis (127.0.0.1:8080)"
	@echo "make bench  – đo hiệu năng (cần ../shared/catalogue), ghi vào bench/results/"
	@echo "make bench-load – đo tải: 200 người dân cùng lúc qua nginx, 1 và 2 máy chủ Rasa"
	@echo "make bench-answers – đo chất lượng câu trả lời trên toàn bộ danh mục quốc gia (trước/sau)"
	@echo "make eval-nlu – huấn luyện và đánh giá NLU trên tests/nlu/, so với pipeline mặc định của Rasa"
	@echo "make nlu-data – sinh lại bot/data/nlu/generated/*.yml từ scripts/generate_nlu_data.py"
	@echo "make import-national – nhập lại danh mục quốc gia từ $(NATIONAL) (make run tự nhập khi tệp đổi)"

$(VENV)/.installed: requirements.txt requirements.lock
	@test -n "$(PYTHON310)" || { echo "Cần Python 3.10 (Rasa 3.6 không chạy trên 3.11+)."; exit 1; }
	@test -x $(PY) || $(PYTHON310) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade "pip==24.0" "setuptools<71" wheel
	$(PY) -m pip install --quiet -r requirements.txt -c requirements.lock
	@touch $@

venv: $(VENV)/.installed

# The catalogue `make run` serves: the curated catalogue, then the whole national one when $(NATIONAL) exists.
# Each import runs only when its content changed since the last import of its kind (sha256, checked in Python).
# Demo dossiers are seeded before the national import: they draw their procedures from the catalogue, and a
# fresh clone must give the codes the README lists whether or not the national file is there.
NATIONAL_IMPORT_FLAGS := --if-changed
db: venv
	$(PY) -m migrations upgrade
	$(PY) -m procedures_kb import procedures_kb/data/curated --if-changed --no-progress
	$(PY) -m dossiers seed --count 300 --if-empty --anchor $(DEMO_ANCHOR)
	@if [ -f "$(NATIONAL)" ]; then \
		echo "$(strip $(PY) -m procedures_kb import $(NATIONAL) $(NATIONAL_IMPORT_FLAGS))"; \
		$(PY) -m procedures_kb import "$(NATIONAL)" $(NATIONAL_IMPORT_FLAGS); \
	else \
		echo "Không có danh mục quốc gia ($(NATIONAL)): trợ lý chỉ trả lời các thủ tục của danh mục tuyển chọn."; \
	fi
	$(PY) -m procedures_kb redigest

$(MODEL): $(VENV)/.installed $(TRAINING_FILES)
	$(RASA) train --domain bot/domain --data bot/data --config config.yml \
		--out models --fixed-model-name current
	@touch $@

model: $(MODEL)

setup: venv db model

# The chat page's tests drive a real headless Chromium: Debian's chromium and chromium-driver.
browser:
	@if command -v chromium >/dev/null && command -v chromedriver >/dev/null; then :; \
	else echo "Cài Chromium cho kiểm thử trang chat (apt-get install chromium chromium-driver)..."; \
		SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
		$$SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -q chromium chromium-driver >/dev/null \
		|| { $$SUDO apt-get update -q >/dev/null && $$SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -q chromium chromium-driver >/dev/null; } \
		|| { echo "Không cài được chromium/chromium-driver; hãy cài bằng tay."; exit 1; }; \
	fi

# The production layout's proxy: Debian's nginx (nginx-light), like chromium above.
nginx:
	@if command -v nginx >/dev/null || [ -x /usr/sbin/nginx ]; then :; \
	else echo "Cài nginx cho cụm máy chủ (apt-get install nginx-light)..."; \
		SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
		$$SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -q nginx-light >/dev/null \
		|| { $$SUDO apt-get update -q >/dev/null && $$SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -q nginx-light >/dev/null; } \
		|| { echo "Không cài được nginx; hãy cài bằng tay."; exit 1; }; \
	fi

run: setup
	@bash scripts/run.sh

# The production layout on this machine (README, "Production layout"): nginx on 127.0.0.1:$(CLUSTER_PORT)
# in front of N Rasa servers and M action servers; PostgreSQL and Redis on loopback. Ctrl-C stops all.
N ?= 2
M ?= 2
CLUSTER_PORT ?= 8080
run-cluster: venv model nginx
	$(PY) -m scripts.cluster --rasa $(N) --actions $(M) --port $(CLUSTER_PORT)

# `make test` runs the checks cheapest first and stops at the first that fails:
# lint → unit tests (SQLite and PostgreSQL) → rasa data validate → train → test stories → e2e and browser.
# The order is that of the prerequisites (make builds them left to right; do not use -j here).
test: lint test-unit validate train test-stories test-e2e
	@echo "Tất cả các bước kiểm thử đều đạt."

test-fast: lint test-unit

RUFF ?= $(VENV)/bin/ruff
# A step's header; $(1) is its name.
step = @printf '\n===== %s =====\n' "$(1)"

lint: venv
	$(call step,lint: ruff)
	$(RUFF) check .

# pytest exits 5 when a selection collects no test: a step that should run tests and ran none fails, saying so.
define run_pytest
	$(PY) -m pytest -q -m "$(1)"; status=$$?; \
	if [ $$status -eq 5 ]; then echo "Không có bài kiểm thử nào được chọn bởi -m \"$(1)\"."; fi; exit $$status
endef

# Unit tests: no trained model, no servers; databases on SQLite and on a PostgreSQL database the run creates.
test-unit: venv
	$(call step,unit tests: SQLite and PostgreSQL)
	@$(call run_pytest,not e2e and not model)

# The training step of `make test`: the model is trained only when its inputs changed.
train: train-header $(MODEL)

train-header:
	$(call step,train: $(MODEL) (only when its inputs changed))

# Test stories through the trained NLU and policies; any wrong intent or action fails.
test-stories: model
	$(call step,test stories)
	@mkdir -p var
	$(RASA) test core --e2e --model $(MODEL) --stories tests/stories \
		--fail-on-prediction-errors --out var/test_results >var/test_stories.log 2>&1 \
		|| { tail -40 var/test_stories.log; exit 1; }
	@grep -h "Correct:" var/test_stories.log | sed 's/.*Correct:/Câu chuyện kiểm thử — đúng:/'

# The trained model's NLU, then the servers on loopback over REST, Zalo (fake API) and the chat page in Chromium.
test-e2e: model browser nginx
	$(call step,end-to-end and browser tests)
	@$(call run_pytest,e2e or model)

# Rasa warns that the responses the custom actions send are "not used in any story or rule" (it cannot see
# the actions); tests/bot/test_domain.py checks those names exactly, in both directions.
validate: venv
	$(call step,rasa data validate)
	$(RASA) data validate --fail-on-warnings --domain bot/domain --data bot/data --config config.yml

# `make db` imports $(NATIONAL) when it changed; this imports it again even when it did not.
import-national: NATIONAL_IMPORT_FLAGS :=
import-national: db
	@test -f "$(NATIONAL)" || { echo "Không tìm thấy danh mục quốc gia: $(NATIONAL)"; exit 1; }

bench: setup nginx
	$(PY) -m bench.run_all --national $(NATIONAL)

# Load through nginx: 200 citizens at once against 1 and 2 Rasa servers (bench/results/load.md).
bench-load: venv model nginx
	$(PY) -m bench.run_all --only load

# Answer quality over every national record, the renderer before issue 13 beside the current one (no model needed).
bench-answers: venv
	$(PY) -m bench.run_all --national $(NATIONAL) --only answers

eval-nlu: venv model
	$(PY) -m bench.eval_nlu
	$(PY) -m bench.eval_heldout --default-model models/eval/baseline.tar.gz

nlu-data: venv
	$(PY) -m scripts.generate_nlu_data

clean:
	rm -rf models var .pytest_cache
