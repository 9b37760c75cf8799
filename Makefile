# pktbpf: everything builds, tests and demos from here.
#   make            build build/pktbpf (installs missing Debian packages first)
#   make test       build and run every test; ends with "N passed, N failed"
#   make demo       a throwaway network, traffic, stats; cleans up after itself
#   make bench      benchmarks (medians, ratios to a baseline run alongside)
#   make deps       install missing build/test dependencies (Debian packages)
#   make V=1 ...    show full commands
OUT ?= build
CC ?= gcc
CLANG ?= clang
BPFTOOL ?= bpftool
ARCH := $(shell uname -m | sed -e 's/x86_64/x86/' -e 's/aarch64/arm64/')
VERSION := 0.1.0

ifeq ($(V),1)
Q :=
msg :=
else
Q := @
msg = @printf '  %-8s %s\n' "$(1)" "$(2)";
MAKEFLAGS += --no-print-directory
endif

.DELETE_ON_ERROR:
# Keep BPF objects and skeletons: later builds and tests reuse them.
.SECONDARY:
.DEFAULT_GOAL := all
.PHONY: all deps test quick unit-tests bpf-tests integration-tests sanitize-tests demo bench \
	clean fuzz fuzz-build fuzz-parts nobpf-libs bench-drop

WARN := -Wall -Wextra -Werror
CFLAGS ?= -g -O2
# user/ is in parts, lowest first; each may include and call only the parts
# listed as what it uses (docs/ARCHITECTURE.md). A part's objects see only
# those parts' folders on the include path, so a header from a part it may
# not use is "No such file or directory"; each part is a library of its own.
PARTS := base dissect policy offline kern output cmd
uses_base :=
uses_dissect := base
uses_policy := base dissect
uses_offline := base dissect policy
uses_kern := base dissect policy
uses_output := base dissect policy offline kern
uses_cmd := base dissect policy offline kern output
part_inc = $(foreach p,$(1) $(uses_$(1)),-Iuser/$(p))
# Tests, tools and benches see every part.
ALL_PARTS_INC := $(foreach p,$(PARTS),-Iuser/$(p))

USER_CFLAGS := $(CFLAGS) $(WARN) -MMD -MP -Iinclude -I$(OUT) \
	-DPKTBPF_VERSION='"$(VERSION)"' $(EXTRA_CFLAGS)
TEST_CFLAGS = $(USER_CFLAGS) $(ALL_PARTS_INC)
# What base, dissect, policy and offline need: no libbpf.
NOBPF_LDLIBS := -ljansson -lz $(EXTRA_LDLIBS)
NOBPF_LDLIBS += -lpcap # pktbpf read, filters
NOBPF_LDLIBS += -linih # detector config files
LDLIBS := -lbpf -lelf $(NOBPF_LDLIBS)
LDLIBS += -lmicrohttpd -lpthread # pktbpf serve
LDLIBS += -lcairo -lfontconfig -lm # pktbpf report (test_report frees fontconfig's cache)
LDLIBS += -lncursesw -ltinfo # pktbpf top
BPF_CFLAGS := -g -O2 -target bpf -D__TARGET_ARCH_$(ARCH) $(WARN) -Iinclude -I$(OUT) \
	$(EXTRA_BPF_CFLAGS)

part_objs = $(filter-out $(OUT)/user/cmd/main.o,\
	$(patsubst user/%.c,$(OUT)/user/%.o,$(wildcard user/$(1)/*.c)))
part_lib = $(OUT)/lib$(1).a
# Top part first, as the linker wants them.
PART_LIBS := $(foreach p,cmd output kern offline policy dissect base,$(call part_lib,$(p)))
# The parts that must build and link without libbpf (the fuzzers link only these).
NOBPF_LIBS := $(foreach p,offline policy dissect base,$(call part_lib,$(p)))
BPF_SRCS := $(wildcard bpf/*.bpf.c)
SKELS := $(patsubst bpf/%.bpf.c,$(OUT)/%.skel.h,$(BPF_SRCS))
UNIT_TESTS := $(patsubst tests/unit/%.c,$(OUT)/tests/unit/%,$(wildcard tests/unit/test_*.c))
BPF_TESTS := $(patsubst tests/bpf/%.c,$(OUT)/tests/bpf/%,$(wildcard tests/bpf/test_*.c))
BENCHES := $(patsubst tools/bench/%.c,$(OUT)/bench/%,$(wildcard tools/bench/*.c))
# Decoder fuzzers (fuzz_read has a rule of its own).
FUZZERS := $(filter-out $(OUT)/fuzz/fuzz_read,\
	$(patsubst tests/fuzz/%.c,$(OUT)/fuzz/%,$(wildcard tests/fuzz/fuzz_*.c)))
# The fuzzers link part libraries built by clang with sanitizers in a tree of
# their own (fuzz-parts), then -fsanitize=fuzzer adds libFuzzer's main.
FUZZ_OUT := $(OUT)/fuzz-parts
FUZZ_SAN := -fsanitize=address,undefined -fno-sanitize-recover=all
FUZZ_LIBS := $(foreach p,offline policy dissect base,$(FUZZ_OUT)/lib$(p).a)
FUZZ_CFLAGS := -g -O1 -fsanitize=fuzzer $(FUZZ_SAN) $(WARN) -Iinclude -Itests/fuzz
# Code the benchmarks and the traffic generator share (crafted frames, ...).
TOOL_OBJS := $(patsubst tools/lib/%.c,$(OUT)/tools/%.o,$(wildcard tools/lib/*.c))
TRAFFICGEN_OBJS := $(patsubst tools/%.c,$(OUT)/tools/%.o,$(wildcard tools/trafficgen/*.c))
# Shared by unit and BPF tests: crafted packets and their expectations.
TEST_FIXTURE_OBJS := $(patsubst tests/%.c,$(OUT)/tests/%.o,$(wildcard tests/fixtures/*.c))

all: deps $(OUT)/pktbpf

# Cheap when nothing is missing (dpkg-query only).
deps:
	$(Q)tools/deps.sh

$(OUT)/vmlinux.h: | $(OUT)
	$(call msg,GEN,$@)
	$(Q)if [ -r /sys/kernel/btf/vmlinux ]; then \
		$(BPFTOOL) btf dump file /sys/kernel/btf/vmlinux format c > $@; \
	else \
		cp vmlinux/vmlinux.h $@; \
	fi

$(OUT) $(OUT)/tests/unit $(OUT)/tests/bpf $(OUT)/tests/fixtures $(OUT)/bench \
$(OUT)/tools $(OUT)/tools/trafficgen:
	$(Q)mkdir -p $@

$(OUT)/%.tmp.bpf.o: bpf/%.bpf.c $(wildcard include/*.h bpf/*.h) $(OUT)/vmlinux.h | $(OUT)
	$(call msg,BPF,$@)
	$(Q)$(CLANG) $(BPF_CFLAGS) -c $< -o $@

$(OUT)/%.bpf.o: $(OUT)/%.tmp.bpf.o
	$(call msg,GEN-OBJ,$@)
	$(Q)$(BPFTOOL) gen object $@ $<

$(OUT)/%.skel.h: $(OUT)/%.bpf.o
	$(call msg,GEN-SKEL,$@)
	$(Q)$(BPFTOOL) gen skeleton $< name $* > $@

# A part's include path: its own folder and the parts it uses (PART_INC).
$(foreach p,$(PARTS),$(eval $(OUT)/user/$(p)/%.o: PART_INC := $(call part_inc,$(p))))
# The parts that see the kernel side use its generated skeletons.
$(foreach p,kern output cmd,$(call part_objs,$(p))) $(OUT)/user/cmd/main.o: $(SKELS)

$(OUT)/user/%.o: user/%.c
	$(call msg,CC,$@)
	$(Q)mkdir -p $(@D)
	$(Q)$(CC) $(USER_CFLAGS) $(PART_INC) -c $< -o $@

$(foreach p,$(PARTS),$(eval $(call part_lib,$(p)): $(call part_objs,$(p))))
$(OUT)/lib%.a:
	$(call msg,AR,$@)
	$(Q)rm -f $@ && ar rcs $@ $^

# For tests/integration/test_layering.sh: the flags a part's objects are
# built with, the parts it may use, any variable (make -s print-PARTS).
part-cflags-%:
	@echo $(USER_CFLAGS) $(call part_inc,$*)
part-uses-%:
	@echo $(uses_$*)
print-%:
	@echo $($*)

$(OUT)/pktbpf: $(OUT)/user/cmd/main.o $(PART_LIBS)
	$(call msg,LINK,$@)
	$(Q)$(CC) $(USER_CFLAGS) $< $(PART_LIBS) $(LDLIBS) -o $@

$(OUT)/tests/fixtures/%.o: tests/fixtures/%.c | $(OUT)/tests/fixtures
	$(call msg,CC,$@)
	$(Q)$(CC) $(TEST_CFLAGS) -c $< -o $@

$(OUT)/libpbtest.a: $(TEST_FIXTURE_OBJS)
	$(call msg,AR,$@)
	$(Q)rm -f $@ && ar rcs $@ $^

# The unit test of tools/lib (crafted frames) links it as well.
$(OUT)/tests/unit/test_craft: $(OUT)/libpbtools.a
$(OUT)/tests/unit/test_craft: TEST_CFLAGS += -Itools/lib
$(OUT)/tests/unit/test_craft: LDLIBS := $(OUT)/libpbtools.a $(LDLIBS)

$(OUT)/tests/unit/%: tests/unit/%.c $(OUT)/libpbtest.a $(PART_LIBS) | $(OUT)/tests/unit
	$(call msg,CC,$@)
	$(Q)$(CC) $(TEST_CFLAGS) -Itests $< $(OUT)/libpbtest.a $(PART_LIBS) $(LDLIBS) -lcmocka -o $@

$(OUT)/tests/bpf/%: tests/bpf/%.c $(OUT)/libpbtest.a $(PART_LIBS) $(SKELS) | $(OUT)/tests/bpf
	$(call msg,CC,$@)
	$(Q)$(CC) $(TEST_CFLAGS) -Itests $< $(OUT)/libpbtest.a $(PART_LIBS) $(LDLIBS) -lcmocka -o $@

$(OUT)/tools/%.o: tools/lib/%.c $(SKELS) | $(OUT)/tools
	$(call msg,CC,$@)
	$(Q)$(CC) $(TEST_CFLAGS) -Itools/lib -c $< -o $@

$(OUT)/libpbtools.a: $(TOOL_OBJS)
	$(call msg,AR,$@)
	$(Q)rm -f $@ && ar rcs $@ $^

$(OUT)/tools/trafficgen/%.o: tools/trafficgen/%.c $(SKELS) | $(OUT)/tools/trafficgen
	$(call msg,CC,$@)
	$(Q)$(CC) $(TEST_CFLAGS) -Itools/lib -Ibpf -c $< -o $@

# The traffic generator (issue 9): build/trafficgen --help.
$(OUT)/trafficgen: $(TRAFFICGEN_OBJS) $(OUT)/libpbtools.a $(PART_LIBS)
	$(call msg,LINK,$@)
	$(Q)$(CC) $(USER_CFLAGS) $(TRAFFICGEN_OBJS) $(OUT)/libpbtools.a $(PART_LIBS) $(LDLIBS) -o $@

$(OUT)/bench/%: tools/bench/%.c $(OUT)/libpbtools.a $(PART_LIBS) $(SKELS) | $(OUT)/bench
	$(call msg,CC,$@)
	$(Q)$(CC) $(TEST_CFLAGS) -Itools/lib $< $(OUT)/libpbtools.a $(PART_LIBS) $(LDLIBS) -o $@

# The part libraries the fuzzers link, built once by clang with the
# sanitizers and libFuzzer's coverage (no libbpf among them). Remade when
# anything in those parts changes; the sub-make then rebuilds what it must.
$(FUZZ_LIBS) &: $(wildcard $(foreach p,offline policy dissect base,user/$(p)/*) include/*.h) Makefile
	$(Q)$(MAKE) OUT=$(FUZZ_OUT) CC=$(CLANG) CFLAGS='-g -O1' \
		EXTRA_CFLAGS='-fsanitize=fuzzer-no-link $(FUZZ_SAN)' nobpf-libs
	$(Q)touch $(FUZZ_LIBS)
fuzz-parts: $(FUZZ_LIBS)
nobpf-libs: $(NOBPF_LIBS)

# Decoder fuzzers (libFuzzer, ASan, UBSan): tests/fuzz/decoders.sh runs them.
$(OUT)/fuzz/fuzz_%: tests/fuzz/fuzz_%.c tests/fuzz/fuzz.h $(FUZZ_LIBS) | $(OUT)/fuzz
	$(call msg,FUZZ-CC,$@)
	$(Q)$(CLANG) $(FUZZ_CFLAGS) $(call part_inc,dissect) $< $(FUZZ_OUT)/libdissect.a \
		$(FUZZ_OUT)/libbase.a -ljansson -o $@

$(OUT)/fuzz/make_seeds: tests/fuzz/make_seeds.c $(PART_LIBS) | $(OUT)/fuzz
	$(call msg,CC,$@)
	$(Q)$(CC) $(TEST_CFLAGS) $< $(PART_LIBS) $(LDLIBS) -o $@

unit-tests: $(UNIT_TESTS)
bpf-tests: $(BPF_TESTS)

# Unit and BPF program tests only: a minute, not the full run's nine.
quick: all unit-tests bpf-tests
	$(Q)OUT=$(OUT) tests/run.sh --programs

# The userspace tests once more under AddressSanitizer and UBSan.
SAN_FLAGS := -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer
sanitize-tests:
	$(Q)$(MAKE) OUT=$(OUT)/asan EXTRA_CFLAGS='$(SAN_FLAGS)' EXTRA_LDLIBS='$(SAN_FLAGS)' unit-tests

# libFuzzer harness of pktbpf read (capture reader, parser, printer,
# detectors): the offline part and what it uses, without libbpf.
FUZZ_TIME ?= 300

$(OUT)/fuzz:
	$(Q)mkdir -p $@

$(OUT)/fuzz/fuzz_read: tests/fuzz/fuzz_read.c $(FUZZ_LIBS) | $(OUT)/fuzz
	$(call msg,FUZZ-CC,$@)
	$(Q)$(CLANG) $(FUZZ_CFLAGS) $(call part_inc,offline) $< $(FUZZ_LIBS) $(NOBPF_LDLIBS) -o $@

fuzz-build: $(OUT)/fuzz/fuzz_read $(FUZZERS) $(OUT)/fuzz/make_seeds

fuzz: all fuzz-build
	$(Q)OUT=$(OUT) tests/fuzz/run.sh $(FUZZ_TIME)
	$(Q)OUT=$(OUT) FUZZ_SECONDS=$${FUZZ_SECONDS:-120} tests/fuzz/decoders.sh

test: all unit-tests bpf-tests sanitize-tests fuzz-build $(OUT)/trafficgen
	$(Q)OUT=$(OUT) tests/run.sh

demo: all
	$(Q)OUT=$(OUT) tools/demo.sh

# Benchmarks only: a pktbpf whose XDP verdict is forced to drop (see
# bpf/pktbpf.bpf.c), in its own tree, never installed or tested as the product.
bench-drop:
	$(Q)$(MAKE) OUT=$(OUT)/bench-drop EXTRA_BPF_CFLAGS=-DPB_BENCH_VERDICT_DROP $(OUT)/bench-drop/pktbpf

bench: all $(BENCHES) $(OUT)/trafficgen bench-drop
	$(Q)OUT=$(OUT) tools/bench.sh

clean:
	$(call msg,CLEAN,$(OUT))
	$(Q)rm -rf $(OUT)

-include $(wildcard $(OUT)/user/*/*.d $(OUT)/tests/*/*.d $(OUT)/tools/*.d $(OUT)/tools/trafficgen/*.d $(OUT)/bench/*.d)
