# mk/stage.mk: compile one stage's tangled sources. Called by the top-level Makefile:
#   make -f mk/stage.mk SRC=build/stage3/src OUT=build/stage3 CFLAGS='...'
# The same file is copied into every build/stageN/code/ as its Makefile, so that a reader
# can build a stage's readable sources by themselves: `make` there puts the programs in
# build/bin/, with the book's flags.
SRC     ?= .
OUT     ?= build
CFLAGS  ?= -std=c11 -Wall -Wextra -Werror -D_XOPEN_SOURCE=700 -D_DEFAULT_SOURCE -O2 -g
LDLIBS  ?= -lm
# SRC/loop/ is the library: every .c and .S (assembly, run through the C preprocessor)
# there goes into OUT/libloop.a.
# SRC/programs/ holds the programs: every .c with a line starting "int main" becomes
# OUT/bin/<name>; the other .c files there (helpers such as args.c) go into
# OUT/libprograms.a. Each program links against both libraries.
LIBSRC   := $(wildcard $(SRC)/loop/*.c)
ASMSRC   := $(wildcard $(SRC)/loop/*.S)
PROGSRC  := $(wildcard $(SRC)/programs/*.c)
MAINS    := $(if $(PROGSRC),$(shell grep -l '^int main' $(PROGSRC)))
HELPSRC  := $(filter-out $(MAINS),$(PROGSRC))
LIBOBJS  := $(patsubst $(SRC)/%.c,$(OUT)/obj/%.o,$(LIBSRC)) \
            $(patsubst $(SRC)/%.S,$(OUT)/obj/%.o,$(ASMSRC))
HELPOBJS := $(patsubst $(SRC)/%.c,$(OUT)/obj/%.o,$(HELPSRC))
PROGS    := $(patsubst $(SRC)/programs/%.c,$(OUT)/bin/%,$(MAINS))
INCLUDES := -I$(SRC)/loop -I$(SRC)/programs
# From chapter 13 on, loop/poller_uring.c needs liburing (Debian's liburing-dev). URING=
# leaves the io_uring poller out: the AArch64 build does, and so can a machine without it.
URING    ?= $(if $(wildcard $(SRC)/loop/poller_uring.c),yes)
URING_FLAGS := $(if $(URING),-DHAVE_LIBURING)
URING_LIBS  := $(if $(URING),-luring)

all: $(PROGS) $(OUT)/libloop.a
	@:

$(OUT)/obj/%.o: $(SRC)/%.c
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) $(URING_FLAGS) $(INCLUDES) -MMD -MP -c $< -o $@

$(OUT)/obj/%.o: $(SRC)/%.S
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) $(URING_FLAGS) $(INCLUDES) -MMD -MP -c $< -o $@

$(OUT)/libloop.a: $(LIBOBJS)
	@rm -f $@
	$(AR) rcs $@ $(LIBOBJS)

$(OUT)/libprograms.a: $(HELPOBJS)
	@rm -f $@
	$(AR) rcs $@ $(HELPOBJS)

$(OUT)/bin/%: $(OUT)/obj/programs/%.o $(OUT)/libprograms.a $(OUT)/libloop.a
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) -o $@ $< $(OUT)/libprograms.a $(OUT)/libloop.a $(LDLIBS) $(URING_LIBS)

.SECONDARY:
.DELETE_ON_ERROR:
-include $(wildcard $(OUT)/obj/*/*.d)

# In a starter kit (make starter N=4), which has a tests/ folder: run the tests of the
# chapters against this build; EXERCISES=yes adds the tests of the chapter's exercises.
.PHONY: test
test: all
	@test -d tests || { echo "no tests/ folder here: make test runs in a starter kit"; exit 1; }
	STAGE_DIR="$(abspath $(OUT))" bats tests/[0-9]*.bats $(if $(EXERCISES),$(wildcard tests/exercises/*.bats))
