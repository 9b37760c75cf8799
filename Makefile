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
.PHONY: all deps test unit-tests bpf-tests integration-tests sanitize-tests demo bench clean \
	fuzz fuzz-build bench-drop

WARN := -Wall -Wextra -Werror
CFLAGS ?= -g -O2
USER_CFLAGS := $(CFLAGS) $(WARN) -MMD -MP -Iinclude -Iuser -I$(OUT) \
	-DPKTBPF_VERSION='"$(VERSION)"' $(EXTRA_CFLAGS)
LDLIBS := -lbpf -ljansson -lelf -lz $(EXTRA_LDLIBS)
LDLIBS += -lpcap # pktbpf read
LDLIBS += -linih # detector config files
LDLIBS += -lmicrohttpd -lpthread # pktbpf serve
LDLIBS += -lcairo -lfontconfig -lm # pktbpf report (test_report frees fontconfig's cache)
LDLIBS += -lncursesw -ltinfo # pktbpf top
BPF_CFLAGS := -g -O2 -target bpf -D__TARGET_ARCH_$(ARCH) $(WARN) -Iinclude -I$(OUT) \
	$(EXTRA_BPF_CFLAGS)

USER_SRCS := $(wildcard user/*.c)
USER_OBJS := $(patsubst user/%.c,$(OUT)/user/%.o,$(USER_SRCS))
LIB_OBJS := $(filter-out $(OUT)/user/main.o,$(USER_OBJS))
BPF_SRCS := $(wildcard bpf/*.bpf.c)
SKELS := $(patsubst bpf/%.bpf.c,$(OUT)/%.skel.h,$(BPF_SRCS))
UNIT_TESTS := $(patsubst tests/unit/%.c,$(OUT)/tests/unit/%,$(wildcard tests/unit/test_*.c))
BPF_TESTS := $(patsubst tests/bpf/%.c,$(OUT)/tests/bpf/%,$(wildcard tests/bpf/test_*.c))
BENCHES := $(patsubst tools/bench/%.c,$(OUT)/bench/%,$(wildcard tools/bench/*.c))
# Decoder fuzzers (fuzz_read has a rule of its own).
FUZZERS := $(filter-out $(OUT)/fuzz/fuzz_read,\
	$(patsubst tests/fuzz/%.c,$(OUT)/fuzz/%,$(wildcard tests/fuzz/fuzz_*.c)))
DECODE_SRCS := user/decode.c $(wildcard user/decode_*.c)
FUZZ_CFLAGS := -g -O1 -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all $(WARN) \
	-Iinclude -Iuser -Itests/fuzz
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

$(OUT) $(OUT)/user $(OUT)/tests/unit $(OUT)/tests/bpf $(OUT)/tests/fixtures $(OUT)/bench \
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

$(OUT)/user/%.o: user/%.c $(SKELS) | $(OUT)/user
	$(call msg,CC,$@)
	$(Q)$(CC) $(USER_CFLAGS) -c $< -o $@

$(OUT)/libpktbpf.a: $(LIB_OBJS)
	$(call msg,AR,$@)
	$(Q)rm -f $@ && ar rcs $@ $^

$(OUT)/pktbpf: $(OUT)/user/main.o $(OUT)/libpktbpf.a
	$(call msg,LINK,$@)
	$(Q)$(CC) $(USER_CFLAGS) $^ $(LDLIBS) -o $@

$(OUT)/tests/fixtures/%.o: tests/fixtures/%.c | $(OUT)/tests/fixtures
	$(call msg,CC,$@)
	$(Q)$(CC) $(USER_CFLAGS) -c $< -o $@

$(OUT)/libpbtest.a: $(TEST_FIXTURE_OBJS)
	$(call msg,AR,$@)
	$(Q)rm -f $@ && ar rcs $@ $^

# The unit test of tools/lib (crafted frames) links it as well.
$(OUT)/tests/unit/test_craft: $(OUT)/libpbtools.a
$(OUT)/tests/unit/test_craft: USER_CFLAGS += -Itools/lib
$(OUT)/tests/unit/test_craft: LDLIBS := $(OUT)/libpbtools.a $(LDLIBS)

$(OUT)/tests/unit/%: tests/unit/%.c $(OUT)/libpbtest.a $(OUT)/libpktbpf.a | $(OUT)/tests/unit
	$(call msg,CC,$@)
	$(Q)$(CC) $(USER_CFLAGS) -Itests $< $(OUT)/libpbtest.a $(OUT)/libpktbpf.a $(LDLIBS) -lcmocka -o $@

$(OUT)/tests/bpf/%: tests/bpf/%.c $(OUT)/libpbtest.a $(OUT)/libpktbpf.a $(SKELS) | $(OUT)/tests/bpf
	$(call msg,CC,$@)
	$(Q)$(CC) $(USER_CFLAGS) -Itests $< $(OUT)/libpbtest.a $(OUT)/libpktbpf.a $(LDLIBS) -lcmocka -o $@

$(OUT)/tools/%.o: tools/lib/%.c | $(OUT)/tools
	$(call msg,CC,$@)
	$(Q)$(CC) $(USER_CFLAGS) -Itools/lib -c $< -o $@

$(OUT)/libpbtools.a: $(TOOL_OBJS)
	$(call msg,AR,$@)
	$(Q)rm -f $@ && ar rcs $@ $^

$(OUT)/tools/trafficgen/%.o: tools/trafficgen/%.c $(SKELS) | $(OUT)/tools/trafficgen
	$(call msg,CC,$@)
	$(Q)$(CC) $(USER_CFLAGS) -Itools/lib -Ibpf -c $< -o $@

# The traffic generator (issue 9): build/trafficgen --help.
$(OUT)/trafficgen: $(TRAFFICGEN_OBJS) $(OUT)/libpbtools.a $(OUT)/libpktbpf.a
	$(call msg,LINK,$@)
	$(Q)$(CC) $(USER_CFLAGS) $^ $(LDLIBS) -o $@

$(OUT)/bench/%: tools/bench/%.c $(OUT)/libpbtools.a $(OUT)/libpktbpf.a $(SKELS) | $(OUT)/bench
	$(call msg,CC,$@)
	$(Q)$(CC) $(USER_CFLAGS) -Itools/lib $< $(OUT)/libpbtools.a $(OUT)/libpktbpf.a $(LDLIBS) -o $@

# Decoder fuzzers (libFuzzer, ASan, UBSan): tests/fuzz/decoders.sh runs them.
$(OUT)/fuzz/fuzz_%: tests/fuzz/fuzz_%.c tests/fuzz/fuzz.h $(DECODE_SRCS) user/decode.h user/bytes.h \
		include/pb_parse.h | $(OUT)/fuzz
	$(call msg,FUZZ-CC,$@)
	$(Q)$(CLANG) $(FUZZ_CFLAGS) $< $(DECODE_SRCS) -ljansson -o $@

$(OUT)/fuzz/make_seeds: tests/fuzz/make_seeds.c $(OUT)/libpktbpf.a | $(OUT)/fuzz
	$(call msg,CC,$@)
	$(Q)$(CC) $(USER_CFLAGS) $< $(OUT)/libpktbpf.a $(LDLIBS) -o $@

unit-tests: $(UNIT_TESTS)
bpf-tests: $(BPF_TESTS)

# The userspace tests once more under AddressSanitizer and UBSan.
SAN_FLAGS := -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer
sanitize-tests:
	$(Q)$(MAKE) OUT=$(OUT)/asan EXTRA_CFLAGS='$(SAN_FLAGS)' EXTRA_LDLIBS='$(SAN_FLAGS)' unit-tests

# libFuzzer harness of pktbpf read (capture reader, parser, printer), built
# with clang and sanitizers from the sources it exercises.
FUZZ_SRCS := $(addprefix user/,capture.c frame.c pkt_fmt.c print_pkt.c pkt_json.c stats.c \
	stats_fmt.c log.c)
# the detectors `read --alerts` runs, and what stats needs to show their counts
FUZZ_SRCS += $(addprefix user/,detect.c lru.c detect_cfg.c deny.c detect_stats.c alert_fmt.c \
	state.c pin.c cli.c netns.c map_read.c)
FUZZ_SRCS += user/utf8.c # names in alerts' JSON
FUZZ_FLAGS := -g -O1 -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=undefined
FUZZ_TIME ?= 300

$(OUT)/fuzz:
	$(Q)mkdir -p $@

$(OUT)/fuzz/fuzz_read: tests/fuzz/fuzz_read.c $(FUZZ_SRCS) $(wildcard include/*.h user/*.h) \
		| $(OUT)/fuzz
	$(call msg,FUZZ-CC,$@)
	$(Q)$(CLANG) $(FUZZ_FLAGS) $(WARN) -Iinclude -Iuser $< $(FUZZ_SRCS) $(LDLIBS) -o $@

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

-include $(wildcard $(OUT)/user/*.d $(OUT)/tests/*/*.d $(OUT)/tools/*.d $(OUT)/tools/trafficgen/*.d $(OUT)/bench/*.d)
