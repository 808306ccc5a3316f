# mk/stage.mk: compile one stage's tangled sources. Called by the top-level Makefile:
#   make -f mk/stage.mk SRC=build/stage3/src OUT=build/stage3 CFLAGS='...'
# Every .c with a line starting "int main" becomes OUT/bin/<name>; every other .c goes
# into OUT/libloop.a, which each program links against.
SOURCES := $(wildcard $(SRC)/*.c)
MAINS   := $(if $(SOURCES),$(shell grep -l '^int main' $(SOURCES)))
LIBSRC  := $(filter-out $(MAINS),$(SOURCES))
OBJS    := $(patsubst $(SRC)/%.c,$(OUT)/obj/%.o,$(LIBSRC))
PROGS   := $(patsubst $(SRC)/%.c,$(OUT)/bin/%,$(MAINS))

all: $(PROGS) $(OUT)/libloop.a
	@:

$(OUT)/obj/%.o: $(SRC)/%.c
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) -I$(SRC) -MMD -MP -c $< -o $@

$(OUT)/libloop.a: $(OBJS)
	@rm -f $@
	$(AR) rcs $@ $(OBJS)

$(OUT)/bin/%: $(OUT)/obj/%.o $(OUT)/libloop.a
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) -o $@ $< $(OUT)/libloop.a $(LDLIBS)

.SECONDARY:
.DELETE_ON_ERROR:
-include $(wildcard $(OUT)/obj/*.d)
