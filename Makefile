# `make test` runs every test; `make sandbox` runs the product locally on the embedded emulator.
#
# `sam build` uses the build-<Function> targets (template.yaml: BuildMethod makefile, CodeUri .):
# SAM runs `make build-<LogicalId>` with ARTIFACTS_DIR set, in a copy of this folder. Each target
# builds only its function's Maven module (and what it depends on) and lays out the Lambda
# package: one jar in lib/, the function and its runtime dependencies shrunk by ProGuard
# (infra/lambda/shrink.pro) to what the function's code can reach.

SHELL := /bin/bash
JAVA_HOME := $(shell infra/bin/java-home)
export JAVA_HOME
JAVA_MAJOR := $(shell "$(JAVA_HOME)/bin/java" -XshowSettings:properties -version 2>&1 | awk -F'= ' '/java.specification.version/ {split($$2, v, "."); print v[1]}')
# Maven 3.8's bundled Guava warns about sun.misc.Unsafe on JDK 24+; the flag keeps the log readable.
ifeq ($(shell [ "$(JAVA_MAJOR)" -ge 24 ] 2>/dev/null && echo yes),yes)
export MAVEN_OPTS := $(MAVEN_OPTS) --sun-misc-unsafe-memory-access=allow
endif
# A quiet build: no colour codes (Maven's console library still writes two resets, cut out in
# the sandbox target), and no SLF4J "no providers" notice from a plugin's own logging.
MVN := mvn -B -q -Dstyle.color=never -Dslf4j.internal.verbosity=ERROR

# The local cloud runs each function from its deployable package (the shrunk jar SAM deploys).
PACKAGES := -Dfunctions.from=packages

.PHONY: test unit sandbox package asl bench-cost bench-scale bench-coldstart prerequisites-sandbox prerequisites-test

# The independent judges of AWS's rules the tests run (IAM evaluator, CloudFormation Guard), from npm.
AWS_RULES := infra/aws-rules/node_modules/.package-lock.json
# The judges of the pages and email HTML (axe-core inside Chromium, the W3C Nu HTML checker), from npm.
PAGE_CHECKS := infra/page-checks/node_modules/.package-lock.json

# Each command first checks what it needs on this machine and installs what is missing when it
# can (infra/bin/prerequisites: the one list, also used by .ci/run).
# The fast tier: every test not tagged "full" (no emulator, no real server, no tool beyond the
# JDK and bash), in under a minute on a built tree. `make test` runs these and the full tier.
unit:
	mvn -B -Dstyle.color=never -Punit test

test: prerequisites-test
	$(MAKE) --no-print-directory $(AWS_RULES) $(PAGE_CHECKS)
	mvn -B -Dstyle.color=never verify

$(AWS_RULES): infra/aws-rules/package-lock.json
	npm ci --prefix infra/aws-rules

$(PAGE_CHECKS): infra/page-checks/package-lock.json
	npm ci --prefix infra/page-checks

prerequisites-sandbox prerequisites-test:
	@infra/bin/prerequisites $(subst prerequisites-,,$@)

# Maven compiles only what changed; each function's ProGuard step runs only when the function's
# jar or dependencies changed (infra/lambda/if-changed).
package:
	$(MVN) -DskipTests package

# The deployed state machine files from their sources (statemachine.asl.yaml, cleanup.asl.yaml:
# named Retry and Catch policies); AslSourceTest fails when a JSON file and its source differ.
asl: package
	"$(JAVA_HOME)/bin/java" -cp "infra/local/target/classes:$$(cat infra/local/target/classpath.txt)" de.shopmigration.local.AslSource .

sandbox: prerequisites-sandbox
	@echo "Building the function packages (only what changed since the last build) ..."
	@set -o pipefail; $(MVN) -DskipTests package 2>&1 | sed 's/\x1b\[[0-9;]*m//g'
	"$(JAVA_HOME)/bin/java" $(PACKAGES) -cp "infra/local/target/classes:$$(cat infra/local/target/classpath.txt)" de.shopmigration.local.Sandbox

# What one migration costs: state transitions, Lambda, DynamoDB, SES per migration, priced (target/bench/cost.md).
bench-cost: package
	"$(JAVA_HOME)/bin/java" $(PACKAGES) -cp "infra/local/target/classes:$$(cat infra/local/target/classpath.txt)" de.shopmigration.local.bench.CostBenchmark

# Many migrations at once, each driven through its emails; proves exactly-once emails and no double booking.
MIGRATIONS ?= 200
bench-scale: package
	"$(JAVA_HOME)/bin/java" $(PACKAGES) -cp "infra/local/target/classes:$$(cat infra/local/target/classpath.txt)" de.shopmigration.local.bench.ScaleBenchmark $(MIGRATIONS)

# Cold-start benchmark (a program that prints figures, not a test): every function's deployable
# artifact started in a fresh JVM against the local emulator, the references Hello and MinimalSdk,
# class counts, and the warm link pages. Options: make bench-coldstart BENCH_ARGS="--runs 10".
# The benchmark JVM runs with the template's JIT flags, so the warm link pages run as in Lambda.
bench-coldstart: package
	"$(JAVA_HOME)/bin/java" $(PACKAGES) -XX:+TieredCompilation -XX:TieredStopAtLevel=1 \
	  -cp "infra/local/target/classes:$$(cat infra/local/target/classpath.txt)" \
	  de.shopmigration.local.bench.ColdStartBenchmark $(BENCH_ARGS)

lower = $(shell echo '$(1)' | tr '[:upper:]' '[:lower:]')

build-%Function:
	@test -n "$(ARTIFACTS_DIR)" || { echo "ARTIFACTS_DIR is not set (sam build sets it)"; exit 1; }
	rm -rf functions/$(call lower,$*)/target/lambda functions/$(call lower,$*)/target/lambda-deps
	$(MVN) -Dmaven.test.skip=true -pl functions/$(call lower,$*) -am package
	mkdir -p "$(ARTIFACTS_DIR)/lib"
	cp functions/$(call lower,$*)/target/lambda/$(call lower,$*)-function.jar "$(ARTIFACTS_DIR)/lib/"
