# The two commands a newcomer needs: `make demo` and `make test`. Both install what a fresh Debian machine lacks.
SWIFT ?= swift
APT_PACKAGES = make libavformat-dev libavcodec-dev libavutil-dev libswscale-dev libswresample-dev libsqlite3-dev \
	ffmpeg pkg-config python3 python3-venv python3-jsonschema curl time

.PHONY: deps build demo test lint bench

deps:
	@if ! pkg-config --exists libavformat libavcodec libavutil libswscale libswresample || \
	   ! command -v ffmpeg >/dev/null || ! dpkg -s python3-jsonschema python3-venv time >/dev/null 2>&1; then \
		echo "installing: $(APT_PACKAGES)"; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $(APT_PACKAGES) >/dev/null; \
	fi
	@python3 -c 'import jsonschema' 2>/dev/null || python3 -m pip install -q jsonschema  # a python3 not from apt

build: deps
	$(SWIFT) build

demo: build
	.build/debug/reel run pipelines/demo.json

lint:
	$(SWIFT) format lint --strict -r Sources Tests Package.swift

test: deps lint
	$(SWIFT) build --build-tests
	$(SWIFT) test --skip-build

bench: deps
	$(SWIFT) build -c release
	@for script in bench/*.sh; do [ "$$script" = bench/lib.sh ] || "$$script"; done
