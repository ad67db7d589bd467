# The two commands a newcomer needs: `make demo` and `make test`. Both install what a fresh Debian machine lacks.
SWIFT ?= swift
# Everything a fresh Debian machine lacks, in one list: `.ci/run`, `make demo` and `make test` all install it.
APT_PACKAGES = make pkg-config libavformat-dev libavcodec-dev libavutil-dev libswscale-dev libswresample-dev \
	libavfilter-dev libsqlite3-dev ffmpeg sqlite3 openssl curl time python3 python3-pip python3-venv \
	python3-jsonschema python3-selenium chromium chromium-driver slurm-wlm munge wrk nginx

.PHONY: deps build demo test lint bench

deps:
	@if ! dpkg -s $(APT_PACKAGES) >/dev/null 2>&1; then \
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

# The Swift runtime and Foundation linked in: about 20 ms less to start (0.09 s against 0.11 s here), which the
# benchmarks of short commands see.
bench: deps
	$(SWIFT) build -c release --static-swift-stdlib
	@for script in bench/*.sh; do [ "$$script" = bench/lib.sh ] || "$$script"; done
