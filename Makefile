# The two commands a newcomer needs: `make demo` and `make test`. Both install what a fresh Debian machine lacks.
SWIFT ?= swift
APT_PACKAGES = make libavformat-dev libavcodec-dev libavutil-dev libswscale-dev libswresample-dev libavfilter-dev \
	libsqlite3-dev ffmpeg pkg-config python3 python3-venv python3-jsonschema curl time sqlite3 openssl

.PHONY: deps build demo test lint bench

deps:
	@if ! pkg-config --exists libavformat libavcodec libavutil libswscale libswresample libavfilter || \
	   ! command -v ffmpeg >/dev/null || ! command -v sqlite3 >/dev/null || ! command -v openssl >/dev/null || \
	   ! dpkg -s python3-jsonschema python3-venv time >/dev/null 2>&1; then \
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

# Suites whose HTTP clients run inside the test process: they run on their own, after the rest, because the
# suites that block Swift's cooperative pool (ffmpeg fixtures, child processes) would otherwise starve their
# streams past the idle timeouts they test.
IN_PROCESS_NETWORK = DownloaderTests|S3ClientTests|S3RetryTests

test: deps lint
	$(SWIFT) build --build-tests
	$(SWIFT) test --skip-build --skip '$(IN_PROCESS_NETWORK)'
	$(SWIFT) test --skip-build --filter '$(IN_PROCESS_NETWORK)'

bench: deps
	$(SWIFT) build -c release
	@for script in bench/*.sh; do [ "$$script" = bench/lib.sh ] || "$$script"; done
