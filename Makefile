# Makefile for "Async from Scratch in C".
#   make            check tools, tangle, build every stage, the HTML, PDF and EPUB book, run the demo
#   make test       lints + every stage's tests (STAGE=N: only stage N; STAGE_DIR=dir: your build)
#   make check      every stage built with ASan/UBSan, tests run against that build
#   make grade      score every chapter's and exercise's tests (STAGE_DIR=dir: a student's build)
#   make exercise CH=3 EX=5   one exercise's tests (STAGE_DIR=dir: a student's build)
#   make starter N=4          a folder to write chapter 4 in: stage 3, the tests, a README
#   make guide      the instructor's guide (HTML and PDF), apart from the book
#   make tangled    rewrite tangled/ (the whole program, no #line) from the chapters
#   make bench      chapter 9's benchmarks on the last stage, with libuv, libev and asyncio
#                   peers in the same run (and, from chapter 10, the stage built with the
#                   ucontext switch): one table, also in build/bench/results.txt (.json)
#   make SWITCH=ucontext ...  build the stages with chapter 2's switch (chapter 10)
#   make BACKEND=poll ...     make poll (or select, io_uring) the stages' default poller (chapters 12, 13)
#   make html | pdf | epub | stages | stageN | demo | deps | clean
# The chapter order comes from book.md (the YAML lists "chapters:" and "appendices:").
SHELL       := /bin/bash
export PYTHONUTF8 := 1
.DELETE_ON_ERROR:
.SUFFIXES:

BOOK        := book.md
CC          := gcc
# every stage is built optimised, as a user of the library would build it; make check keeps
# its own flags (no -O2: a sanitizer's reports read best unoptimised)
WARNINGS    := -std=c11 -Wall -Wextra -Werror -D_XOPEN_SOURCE=700 -D_DEFAULT_SOURCE
CFLAGS      := $(WARNINGS) -O2 -g
ASAN_CFLAGS := $(WARNINGS) -g -fsanitize=address,undefined -fno-omit-frame-pointer
LDLIBS      := -lm
# make SWITCH=ucontext: build the stages with Chapter 2's switch instead of chapter 10's
SWITCH      :=
CFLAGS      += $(if $(filter ucontext,$(SWITCH)),-DSWITCH_UCONTEXT)
# make BACKEND=poll (or select): the poller the stages wait in by default, from chapter 12
# on (epoll on Linux otherwise); ASYNC_POLLER=NAME in a program's environment overrides it
BACKEND     :=
export BACKEND
$(if $(filter-out select poll epoll io_uring,$(BACKEND)),$(error BACKEND=$(BACKEND): choose select, poll, epoll or io_uring))
CFLAGS      += $(if $(filter select,$(BACKEND)),-DPOLLER_DEFAULT_SELECT)
CFLAGS      += $(if $(filter poll,$(BACKEND)),-DPOLLER_DEFAULT_POLL)
CFLAGS      += $(if $(filter io_uring,$(BACKEND)),-DPOLLER_DEFAULT_URING)
DEMO        := demo
PY          := python3
DEBIAN_PY   := /usr/bin/python3
NOWEB       := /usr/lib/noweb
PANDOC      := pandoc
HIGHLIGHT   := pygments
MARGIN      := 2.5cm
# the room for a figure in the PDF, in points: A4's width less two MARGINs, and
# under three fifths of its height (620 on a page of its own); text at 7 points or more
FIG_ROOM    := FIG_MAX_WIDTH=453 FIG_MAX_HEIGHT=400 FIG_PAGE_HEIGHT=620 FIG_MIN_FONT=7
B           := build
T           := $(B)/tools
TOOLS       := $(T)/.stamp

# --- the book's parts, in order, from book.md --------------------------------------------
yaml_list = $(shell awk '/^---[ \t]*$$/ { n++; next } \
    n == 1 && /^$(1):/ { f = 1; next } n == 1 && /^[^ \t-]/ { f = 0 } \
    f && /^[ \t]*- / { sub(/^[ \t]*- */, ""); gsub(/["\047]/, ""); print }' $(BOOK))
CHAPTERS    := $(wildcard $(addprefix chapters/,$(call yaml_list,chapters)))
APPENDIX    := $(wildcard $(addprefix chapters/,$(call yaml_list,appendices)))
# the instructor's guide: the book with the answers after its appendices (make guide)
ANSWERS     := $(foreach c,$(CHAPTERS),$(wildcard chapters/answers/$(notdir $(c))))
TOOLS_NW    := $(APPENDIX)
GUIDE_BOOK  := chapters/answers/guide.md
ALL_NW      := $(CHAPTERS) $(APPENDIX)
TITLE       := $(shell sed -n 's/^title: *//p' $(BOOK) | head -n1 | tr -d '"')
# chapnum FILE: 04-timers.nw -> 4; pad2 N: 4 -> 04. These and the lists below use make's own
# functions, not $(shell): make evaluates them thousands of times while it reads this file.
chapnum      = $(patsubst 0%,%,$(firstword $(subst -, ,$(notdir $(1)))))
pad2         = $(if $(filter 1 2 3 4 5 6 7 8 9,$(1)),0$(1),$(1))
rest         = $(wordlist 2,$(words $(1)),$(1))
STAGES      := $(foreach c,$(CHAPTERS),$(call chapnum,$(c)))
LAST        := $(lastword $(STAGES))
# upto N: the chapters of stage N, in book order (which is the chapters' order) up to N
upto         = $(call until_chapter,$(1),$(CHAPTERS))
until_chapter = $(if $(2),$(firstword $(2)) $(if $(filter $(1),$(call chapnum,$(firstword $(2)))),,$(call until_chapter,$(1),$(call rest,$(2)))))
slug         = $(if $(findstring /answers/,$(1)),answers-)$(basename $(notdir $(1)))

.PHONY: all everything deps tools tangled stages html pdf epub demo bench test test-run check check-run \
        clean selftest answers exercise grade starter guide $(addprefix answer,$(EXERCISES)) $(addprefix stage,$(STAGES)) $(addprefix asan-stage,$(STAGES))

all: deps
	@$(MAKE) --no-print-directory everything
	@$(MAKE) --no-print-directory demo

everything: tangled stages html pdf epub $(if $(wildcard $(GUIDE_BOOK)),guide)

deps:
	@.ci/deps

# --- bootstrapping: the appendix holds the tools; plain notangle gets the first one out ----
tools: $(TOOLS)
$(TOOLS): $(TOOLS_NW)
	@test -n "$(TOOLS_NW)" || { echo "book.md lists no appendix with the tools"; exit 1; }
	@mkdir -p $(T)
	@for tool in tangle.py nwreplace.py; do \
	  notangle -R"tools/$$tool" $(TOOLS_NW) > $(T)/$$tool.tmp 2> $(T)/$$tool.err \
	  && ! test -s $(T)/$$tool.err \
	  || { echo "cannot bootstrap tools/$$tool:"; cat $(T)/$$tool.err; rm -f $(T)/$$tool.*; exit 1; }; \
	  cmp -s $(T)/$$tool.tmp $(T)/$$tool && rm $(T)/$$tool.tmp || mv $(T)/$$tool.tmp $(T)/$$tool; \
	  rm -f $(T)/$$tool.err; \
	done
	@$(PY) $(T)/tangle.py --out $(B) --roots 'tools/.*' $(TOOLS_NW)
	@touch $@

# --- tangled/: the whole program, as committed ------------------------------------------
tangled: $(B)/tangled.stamp
$(B)/tangled.stamp: $(CHAPTERS) $(TOOLS)
	@$(if $(CHAPTERS),$(PY) $(T)/tangle.py --out tangled --prune --banner "$(TITLE)" $(CHAPTERS),echo "no chapters yet")
	@touch $@

# --- stages: stage N = chapters 1..N ----------------------------------------------------
$(B)/empty:
	@mkdir -p $@

define stage_rules
$(B)/stage$(1)/.tangled: $(call upto,$(1)) $(TOOLS) mk/stage.mk
	@mkdir -p $(B)/stage$(1)
	@$(PY) $(T)/tangle.py --out $(B)/stage$(1)/src --line --prune $(call upto,$(1))
	@$(PY) $(T)/tangle.py --out $(B)/stage$(1)/code --prune $(call upto,$(1))
	@cp mk/stage.mk $(B)/stage$(1)/code/Makefile
	@touch $$@

$(B)/stage$(1)/changes.diff: $(B)/stage$(1)/.tangled $(2)
	@diff -ruN $(3) $(B)/stage$(1)/code > $$@.tmp; test $$$$? -le 1
	@sed -i -E 's/^((---|\+\+\+) [^\t]*)\t.*/\1/' $$@.tmp
	@mv $$@.tmp $$@

stage$(1): $(B)/stage$(1)/.tangled $(B)/stage$(1)/changes.diff
	@$$(MAKE) --no-print-directory -f mk/stage.mk SRC=$(B)/stage$(1)/src OUT=$(B)/stage$(1) \
	  CC='$(CC)' CFLAGS='$(CFLAGS)' LDLIBS='$(LDLIBS)'

asan-stage$(1): $(B)/stage$(1)/.tangled
	@$$(MAKE) --no-print-directory -f mk/stage.mk SRC=$(B)/stage$(1)/src OUT=$(B)/asan/stage$(1) \
	  CC='$(CC)' CFLAGS='$(ASAN_CFLAGS)' LDLIBS='$(LDLIBS)'

$(B)/html/stage-$(1)/index.html: $(B)/stage$(1)/.tangled $(B)/stage$(1)/changes.diff $(TOOLS)
	@rm -rf $(B)/html/stage-$(1)
	$(PY) $(T)/stagepages.py $(1) $(B)/stage$(1)/code $(B)/stage$(1)/changes.diff \
	  $(B)/html/stage-$(1) $(T)/page.html "$(TITLE)" \
	  $(call slug,$(lastword $(call upto,$(1)))).html
endef
# before N: the stage before stage N (nothing for the first)
before       = $(lastword $(call stages_before,$(1),$(STAGES)))
stages_before = $(if $(filter-out $(1),$(firstword $(2))),$(firstword $(2)) $(call stages_before,$(1),$(call rest,$(2))))
$(foreach n,$(STAGES),$(eval $(call stage_rules,$(n),$(if $(filter $(n),$(firstword $(STAGES))),$(B)/empty,$(B)/stage$(call before,$(n))/.tangled),$(if $(filter $(n),$(firstword $(STAGES))),$(B)/empty,$(B)/stage$(call before,$(n))/code))))

stages: $(addprefix stage,$(STAGES))

# --- the other switches (chapter 10) ---------------------------------------------------
# From chapter 10 on, make test also tests the last stage built with the ucontext fallback,
# and built for AArch64 by Debian's cross compiler, each program run under qemu-user
# through a three-line script in bin/ ("# elf: PATH" names the program it runs).
HAS_SWITCH   := $(filter-out 1 2 3 4 5 6 7 8 9,$(LAST))
AARCH64_CC   := aarch64-linux-gnu-gcc
AARCH64_ROOT := /usr/aarch64-linux-gnu
QEMU_AARCH64 := qemu-aarch64
VARIANTS     := $(if $(HAS_SWITCH),$(B)/ucontext/stage$(LAST)/.built $(B)/aarch64/stage$(LAST)/.built)
VARIANT_ARGS := --variant 'with the ucontext switch::$(B)/ucontext/stage$(LAST)::EXPECT_SWITCH=ucontext' \
                --variant 'built for AArch64, run under qemu-user::$(B)/aarch64/stage$(LAST)::EXPECT_SWITCH=aarch64'
# From chapter 12 on, the same build runs every chapter's tests again on each poller other
# than its default, chosen by ASYNC_POLLER: the backend test matrix.
HAS_POLLERS  := $(filter-out 1 2 3 4 5 6 7 8 9 10 11,$(LAST))
# chapter 13 adds io_uring, whose tests skip, saying why, where the kernel refuses it
HAS_URING    := $(filter-out 12,$(HAS_POLLERS))
OTHER_POLLERS := $(filter-out $(or $(BACKEND),epoll),select poll epoll $(if $(HAS_URING),io_uring))
VARIANT_ARGS += $(if $(HAS_POLLERS),$(foreach p,$(OTHER_POLLERS),\
                --variant 'on the $(p) poller::$(B)/stage$(LAST)::ASYNC_POLLER=$(p)'))

$(B)/ucontext/stage$(LAST)/.built: stage$(LAST)
	@$(MAKE) --no-print-directory -f mk/stage.mk SRC=$(B)/stage$(LAST)/src OUT=$(@D) \
	  CC='$(CC)' CFLAGS='$(CFLAGS) -DSWITCH_UCONTEXT' LDLIBS='$(LDLIBS)'
	@touch $@

$(B)/aarch64/stage$(LAST)/.built: stage$(LAST)
	@mkdir -p $(B)/aarch64/include $(@D)/bin
	@ln -sfn /usr/include/valgrind $(B)/aarch64/include/valgrind
	@$(MAKE) --no-print-directory -f mk/stage.mk SRC=$(B)/stage$(LAST)/src OUT=$(@D)/elf URING= \
	  CC='$(AARCH64_CC)' CFLAGS='$(CFLAGS) -isystem $(B)/aarch64/include' LDLIBS='$(LDLIBS)'
	@for program in $(@D)/elf/bin/*; do \
	  name=$${program##*/}; elf=$$(cd $(@D)/elf/bin && pwd)/$$name; \
	  printf '#!/bin/sh\n# elf: %s\nexec %s -L %s "%s" "$$@"\n' \
	    "$$elf" "$(QEMU_AARCH64)" "$(AARCH64_ROOT)" "$$elf" > $(@D)/bin/$$name; \
	  chmod +x $(@D)/bin/$$name; \
	done
	@touch $@

# --- the classroom kit: an answer stage per code exercise --------------------------------
# tests/exercises/NN-K-name.bats tests exercise K of chapter NN. Its answer is section
# "## Exercise K" of chapters/answers/NN-*.nw; the answer stage N.K is stage N with that
# section's chunks added (tangle.py --exercise K), built like a stage in build/answers/N.K.
EXERCISE_TESTS := $(sort $(wildcard tests/exercises/[0-9][0-9]-*-*.bats))
exercise_id     = $(patsubst 0%,%,$(word 1,$(subst -, ,$(notdir $(1))))).$(word 2,$(subst -, ,$(notdir $(1))))
EXERCISES      := $(foreach t,$(EXERCISE_TESTS),$(call exercise_id,$(t)))
ex_chapter      = $(firstword $(subst ., ,$(1)))
ex_number       = $(lastword $(subst ., ,$(1)))
answers_of      = $(wildcard chapters/answers/$(call pad2,$(call ex_chapter,$(1)))-*.nw)

define answer_rules
$(B)/answers/$(1)/.tangled: $(call upto,$(call ex_chapter,$(1))) $(call answers_of,$(1)) $(TOOLS)
	@test -n "$(call answers_of,$(1))" || { echo "exercise $(1) has a test but no chapters/answers/$(call pad2,$(call ex_chapter,$(1)))-*.nw"; exit 1; }
	@grep -qE '^## Exercise $(call ex_number,$(1))\b' $(call answers_of,$(1)) || { echo "$(call answers_of,$(1)): no section \"## Exercise $(call ex_number,$(1))\" for exercise $(1)"; exit 1; }
	@mkdir -p $(B)/answers/$(1)
	@$(PY) $(T)/tangle.py --out $(B)/answers/$(1)/src --line --prune --exercise $(call ex_number,$(1)) \
	  $(call upto,$(call ex_chapter,$(1))) $(call answers_of,$(1)) >/dev/null
	@$(PY) $(T)/tangle.py --out $(B)/answers/$(1)/code --prune --exercise $(call ex_number,$(1)) \
	  $(call upto,$(call ex_chapter,$(1))) $(call answers_of,$(1)) >/dev/null
	@touch $$@

answer$(1): $(B)/answers/$(1)/.tangled stage$(call ex_chapter,$(1))
	@$$(MAKE) --no-print-directory -f mk/stage.mk SRC=$(B)/answers/$(1)/src OUT=$(B)/answers/$(1) \
	  CC='$(CC)' CFLAGS='$(CFLAGS)' LDLIBS='$(LDLIBS)'
endef
$(foreach e,$(EXERCISES),$(eval $(call answer_rules,$(e))))

answers: $(addprefix answer,$(EXERCISES))

# make starter N=4 [STARTER=dir]: the folder a student writes chapter 4 in
STARTER ?= $(B)/starter/chapter-$(N)
starter: $(TOOLS)
	@test -n "$(N)" && echo " $(STAGES) " | grep -q " $(N) " || { echo "usage: make starter N=chapter (one of: $(STAGES))"; exit 1; }
	@$(MAKE) --no-print-directory $(B)/stage$(N)/.tangled $(if $(call before,$(N)),$(B)/stage$(call before,$(N))/.tangled)
	@$(PY) $(T)/starter.py $(N) $(if $(call before,$(N)),--before $(B)/stage$(call before,$(N))/code) \
	  --after $(B)/stage$(N)/code --chapter-file $(lastword $(call upto,$(N))) \
	  --makefile mk/stage.mk --tests tests --out $(STARTER)

# make guide: the instructor's guide, in build/guide/ (html/ and guide.pdf): the whole book
# woven again with chapters/answers/*.nw as further appendices, so that an answer's chunk
# links lead to the chapter's chunks. The student's book (build/html, build/book.pdf) never
# contains them.
# The stage pages are the book's, copied: the guide's own make leaves them out (STAGE_PAGES=).
guide: $(TOOLS) $(foreach n,$(STAGES),$(B)/html/stage-$(n)/index.html)
	@mkdir -p $(B)/guide/html
	@for n in $(STAGES); do rm -rf $(B)/guide/html/stage-$$n; cp -r $(B)/html/stage-$$n $(B)/guide/html/; done
	@$(MAKE) --no-print-directory B=$(B)/guide T=$(T) BOOK=$(GUIDE_BOOK) CHAPTERS="$(CHAPTERS)" \
	  APPENDIX="$(APPENDIX) $(ANSWERS)" TOOLS_NW="$(TOOLS_NW)" STAGE_PAGES= html pdf
	@cp $(B)/guide/book.pdf $(B)/guide/guide.pdf
	@echo "wrote $(B)/guide/html/index.html and $(B)/guide/guide.pdf"

# --- weaving: one pass over every chapter, appendix last --------------------------------
MD := $(B)/md/.stamp
WEAVE = $(NOWEB)/markup $(ALL_NW) | $(PY) $(T)/nwreplace.py weave | $(PY) $(T)/finduses.py
$(MD): $(ALL_NW) $(TOOLS)
	@mkdir -p $(B)/md
	@set -o pipefail; $(WEAVE) | $(NOWEB)/noidx | $(PY) $(T)/nw2md.py $(B)/md
	@touch $@

CHAPTER_PAGES := $(foreach c,$(ALL_NW),$(B)/html/$(call slug,$(c)).html)
STAGE_PAGES ?= $(foreach n,$(STAGES),$(B)/html/stage-$(n)/index.html)
HTML_PAGES := $(B)/html/index.html $(B)/html/indexes.html $(CHAPTER_PAGES) $(STAGE_PAGES) \
              $(addprefix $(B)/html/,book.css book.js code-light.css code-dark.css lunr.js \
                search-index.js book.pdf book.epub)
PANDOC_HTML = $(PANDOC) -f markdown -t html5 -s --template $(T)/page.html \
              --highlight-style $(HIGHLIGHT) --section-divs --toc --toc-depth=2 \
              --lua-filter $(T)/chunks.lua --lua-filter $(T)/diagrams.lua \
              -M book-title="$(TITLE)"

html: $(HTML_PAGES)

$(B)/html/book.css $(B)/html/book.js: $(B)/html/%: $(TOOLS)
	@mkdir -p $(@D)
	cp $(T)/$* $@

$(B)/html/lunr.js:
	@mkdir -p $(@D)
	cp /usr/share/javascript/lunr/lunr.js $@

$(B)/html/book.pdf $(B)/html/book.epub: $(B)/html/%: $(B)/%
	@mkdir -p $(@D)
	cp $< $@

# the highlighting colours, as pandoc writes them for its own styles
CODE_STYLE_light := $(HIGHLIGHT)
CODE_STYLE_dark  := breezedark
$(B)/html/code-%.css: $(TOOLS)
	@mkdir -p $(@D)
	@printf '$$highlighting-css$$\n' > $(T)/highlighting-css.template
	printf '~~~ c\nint x;\n~~~\n' | $(PANDOC) -f markdown -t html5 -s --highlight-style $(CODE_STYLE_$*) \
	  --template $(T)/highlighting-css.template -M pagetitle=css -o $@

$(B)/html/search-index.js: $(B)/html/index.html $(CHAPTER_PAGES) $(TOOLS)
	$(DEBIAN_PY) $(T)/searchindex.py $@ $(B)/html index.html $(notdir $(CHAPTER_PAGES))

$(B)/html/index.html: $(BOOK) $(MD)
	@mkdir -p $(@D)
	$(PANDOC_HTML) --metadata-file $(B)/md/toc.json $(BOOK) -o $@

$(B)/html/indexes.html: $(MD)
	@mkdir -p $(@D)
	$(PANDOC_HTML) --metadata-file $(B)/md/indexes.json $(B)/md/indexes.md -o $@

# chapter pages: numbered chapters keep the book's section numbers
$(B)/html/%.html: $(MD)
	@mkdir -p $(@D)
	@n=$*; n=$${n%%-*}; case $$n in [0-9]*) num="--number-sections --number-offset=$$((10#$$n - 1))";; *) num="";; esac; \
	echo "pandoc $*.md -> $@"; \
	FIG_DIR=$(B)/html/fig FIG_URL=fig $(PANDOC_HTML) $$num --metadata-file $(B)/md/$*.json $(B)/md/$*.md -o $@

# --- the PDF: one LaTeX book -------------------------------------------------------------
pdf: $(B)/book.pdf

$(B)/latex/book.tex: $(BOOK) $(MD)
	@mkdir -p $(@D)
	@printf '\\frontmatter\n' > $(B)/md/_frontmatter.tex
	@printf '\n```{=latex}\n\\mainmatter\n```\n' > $(B)/md/_mainmatter.md
	@printf '\n```{=latex}\n\\appendix\n```\n' > $(B)/md/_appendix.md
	@printf '\n```{=latex}\n\\backmatter\n```\n' > $(B)/md/_backmatter.md
	FIG_DIR=$(B)/latex/fig FIG_URL=fig $(FIG_ROOM) $(PANDOC) -f markdown -t latex -s \
	  --top-level-division=chapter --number-sections --toc --toc-depth=1 \
	  -M has-frontmatter=false --include-before-body $(B)/md/_frontmatter.tex \
	  --highlight-style $(HIGHLIGHT) --include-in-header $(T)/book-header.tex \
	  --lua-filter $(T)/chunks.lua --lua-filter $(T)/diagrams.lua \
	  -V documentclass=book -V classoption=oneside -V papersize=a4 -V fontsize=11pt \
	  -V geometry=margin=$(MARGIN) -V colorlinks=true -V linkcolor=blue -V fontfamily=lmodern \
	  $(BOOK) $(B)/md/_mainmatter.md $(foreach c,$(CHAPTERS),$(B)/md/$(call slug,$(c)).md) \
	  $(if $(APPENDIX),$(B)/md/_appendix.md $(foreach c,$(APPENDIX),$(B)/md/$(call slug,$(c)).md)) \
	  $(B)/md/_backmatter.md $(B)/md/indexes.md -o $@

$(B)/book.pdf: $(B)/latex/book.tex
	@cd $(B)/latex && for pass in 1 2; do \
	  pdflatex -interaction=nonstopmode -halt-on-error book.tex > pdflatex.out 2>&1 \
	  || { grep -A8 '^!' book.log || tail -30 pdflatex.out; echo "pdflatex failed: see $(B)/latex/book.log"; exit 1; }; \
	done
	@if grep -q '^! ' $(B)/latex/book.log; then grep -A8 '^!' $(B)/latex/book.log; exit 1; fi
	@cp $(B)/latex/book.pdf $@
	@echo "wrote $@"

# --- the EPUB: the same sources, one document, split by pandoc into chapters ------------
epub: $(B)/book.epub

$(B)/book.epub: $(BOOK) $(MD) $(TOOLS)
	@mkdir -p $(B)/epub
	@printf '\n::: appendices\n:::\n' > $(B)/epub/appendices.md
	FIG_DIR=$(B)/epub/fig FIG_URL=$(B)/epub/fig $(PANDOC) -f markdown -t epub3 \
	  --toc --toc-depth=1 --number-sections --epub-chapter-level=1 --css $(T)/book.css \
	  --highlight-style $(HIGHLIGHT) --lua-filter $(T)/chunks.lua --lua-filter $(T)/diagrams.lua \
	  $(BOOK) $(foreach c,$(CHAPTERS),$(B)/md/$(call slug,$(c)).md) \
	  $(if $(APPENDIX),$(B)/epub/appendices.md $(foreach c,$(APPENDIX),$(B)/md/$(call slug,$(c)).md)) \
	  $(B)/md/indexes.md -o $@
	@echo "wrote $@"

# --- the demo ----------------------------------------------------------------------------
demo:
	@prog=$(B)/stage$(LAST)/bin/$(DEMO); \
	if [ -n "$(LAST)" ] && [ -x $$prog ]; then echo "--- $$prog"; timeout 60 $$prog; \
	else echo "demo: $$prog does not exist yet (no chapter defines $(DEMO)); nothing to run"; fi

# --- benchmarks (chapter 9) -------------------------------------------------------------
# The last stage's benchmark programs, the C peers compiled from its bench/ folder, and the
# driver, which runs every row and the peers in the same run and writes build/bench/.
BENCH_CODE := $(B)/stage$(LAST)/code/bench
bench: stage$(LAST)
	@.ci/deps
	@test -f $(BENCH_CODE)/bench.py || { echo "bench: stage $(LAST) has no bench/bench.py (chapter 9 writes it)"; exit 1; }
	@mkdir -p $(B)/bench
	$(CC) $(CFLAGS) -o $(B)/bench/uv_echo $(BENCH_CODE)/uv_echo.c -luv
	$(CC) $(CFLAGS) -o $(B)/bench/ev_echo $(BENCH_CODE)/ev_echo.c -lev
	$(if $(HAS_SWITCH),@$(MAKE) -s --no-print-directory -f mk/stage.mk SRC=$(B)/stage$(LAST)/src \
	  OUT=$(B)/bench/ucontext CC='$(CC)' CFLAGS='$(CFLAGS) -DSWITCH_UCONTEXT' LDLIBS='$(LDLIBS)')
	$(PY) $(BENCH_CODE)/bench.py --bin $(B)/stage$(LAST)/bin --peers $(B)/bench \
	  --python $(DEBIAN_PY) --out $(B)/bench

# --- tests -------------------------------------------------------------------------------
# STAGE=N: only stage N (tests of chapters 1..N). STAGE_DIR=dir: test dir/bin instead of ours.
TEST_STAGES := $(if $(STAGE),$(STAGE),$(STAGES))
# exercises checked at once (their tests mostly wait on timers and sockets)
TEST_JOBS   := $(shell nproc 2>/dev/null || echo 1)
# (chapter 2's kit: the smallest whose chapter adds files to loop/ and to programs/)
STARTER_LINT = --lint 'a starter kit for chapter 2 fails its tests, and passes them with the book'"'"'s chapter 2::d=$$(mktemp -d); trap "rm -rf $$d" EXIT; $(MAKE) --no-print-directory -s starter N=2 STARTER=$$d/kit >/dev/null && ! $(MAKE) -s -C $$d/kit test >$$d/before.out 2>&1 && grep -q "^not ok" $$d/before.out && cp -r $(B)/stage2/code/loop $(B)/stage2/code/programs $$d/kit/ && $(MAKE) -s -C $$d/kit test >$$d/after.out 2>&1 || { cat $$d/before.out $$d/after.out 2>/dev/null | tail -30; exit 1; }'
GUIDE_LINT = --lint 'the instructor'"'"'s guide builds, as HTML with working links and as a PDF::$(MAKE) --no-print-directory -s guide >/dev/null && $(PY) $(T)/checklinks.py $(B)/guide/html'
LINTS = \
  --lint 'every used chunk is defined::d=$$(mktemp -d); trap "rm -rf $$d" EXIT; $(if $(CHAPTERS),$(PY) $(T)/tangle.py --out $$d/c $(CHAPTERS) >/dev/null &&) $(PY) $(T)/tangle.py --out $$d/t --roots "tools/.*" $(APPENDIX) >/dev/null' \
  --lint 'root chunks are files::$(PY) $(T)/tangle.py --list-roots $(ALL_NW) | grep -Ev "^((loop|programs)/[^/]*\.[ch]|loop/[^/]*\.S|bench/[^/]*\.(c|py)|tools/.*)$$" | sed "s/.*/probably a misspelled chunk name (defined, never used): <<&>>/" | grep . && exit 1 || exit 0' \
  --lint 'tangled/ is fresh::d=$$(mktemp -d); trap "rm -rf $$d" EXIT; $(if $(CHAPTERS),$(PY) $(T)/tangle.py --out $$d --banner "$(TITLE)" $(CHAPTERS) >/dev/null &&) diff -r $$d tangled >/dev/null || { diff -rq $$d tangled; echo "tangled/ is stale: run \`make tangled\` and commit"; exit 1; }' \
  --lint 'the library keeps no state outside a loop or a thread::objs=$$(ls $(B)/stage$(LAST)/obj/loop/*.o) && objdump -t $$objs | awk '"'"'/^[^ ]*\.o:/ { file = $$1 } $$0 ~ /[ \t]\.(data|bss)[ \t]/ && $$NF !~ /^\./ { print file " " $$NF; bad = 1 } END { exit bad }'"'"' || { echo "mutable globals in the library: make them per loop or _Thread_local"; exit 1; }' \
  --lint 'identifiers are used in code, not in strings or comments::set -o pipefail; $(WEAVE) | $(PY) $(T)/finduses.py --check' \
  --lint 'the HTML book has no broken links::$(MAKE) --no-print-directory -s html >/dev/null && $(PY) $(T)/checklinks.py $(B)/html' \
  --lint 'the PDF builds without LaTeX errors::$(MAKE) --no-print-directory -s pdf' \
  --lint 'the EPUB is a whole zip and its links work::$(MAKE) --no-print-directory -s epub >/dev/null && unzip -tq $(B)/book.epub && d=$$(mktemp -d); trap "rm -rf $$d" EXIT; unzip -q $(B)/book.epub -d $$d && $(PY) $(T)/checklinks.py $$d' \
  --lint 'the web book works in Chromium at 390 and 1366 px::$(MAKE) --no-print-directory -s html >/dev/null && $(DEBIAN_PY) $(T)/browsercheck.py $(B)/html index.html indexes.html $(notdir $(CHAPTER_PAGES)) $(if $(LAST),stage-$(LAST)/index.html stage-$(LAST)/changes.html)' \
  $(if $(filter 2,$(STAGES)),$(STARTER_LINT)) \
  $(if $(wildcard $(GUIDE_BOOK)),$(GUIDE_LINT)) \
  --lint 'no word of the PDF runs into the right margin::$(MAKE) --no-print-directory -s pdf >/dev/null && $(PY) $(T)/pdfmargins.py $(B)/book.pdf --margin $(MARGIN)'

test:
	@.ci/deps
	@$(MAKE) --no-print-directory test-run

# the exercises of the stages tested: each one's test must pass on its answer stage and fail
# on the chapter's stage (only for our own build: a STAGE_DIR is a student's)
TEST_EXERCISES := $(if $(STAGE_DIR),,$(foreach e,$(EXERCISES),$(if $(filter $(call ex_chapter,$(e)),$(TEST_STAGES)),$(e))))
ifeq ($(STAGE_DIR),)
test-run: $(addprefix stage,$(TEST_STAGES)) $(addprefix answer,$(TEST_EXERCISES)) \
          $(if $(STAGE),,$(VARIANTS))
endif
test-run: $(TOOLS)
	@$(PY) $(T)/runtests.py $(if $(STAGE),,$(LINTS)) --stages "$(TEST_STAGES)" \
	  $(if $(STAGE_DIR),--stage-dir "$(STAGE_DIR)") --exercises "$(TEST_EXERCISES)" \
	  $(if $(STAGE)$(STAGE_DIR),,$(if $(HAS_SWITCH),$(VARIANT_ARGS))) \
	  --jobs $(TEST_JOBS) --build $(B) --tests tests

# make exercise CH=3 EX=5 [STAGE_DIR=dir]: one exercise's tests, against a student's build
# (or against the book's answer when STAGE_DIR is not given)
exercise: $(TOOLS) $(if $(STAGE_DIR),,answer$(CH).$(EX))
	@test -n "$(CH)" -a -n "$(EX)" || { echo "usage: make exercise CH=3 EX=5 [STAGE_DIR=dir]"; exit 1; }
	@f=$$(ls tests/exercises/$$(printf %02d $(CH))-$(EX)-*.bats 2>/dev/null); \
	test -n "$$f" || { echo "exercise $(CH).$(EX) has no test (tests/exercises/$$(printf %02d $(CH))-$(EX)-*.bats)"; exit 1; }; \
	d="$(if $(STAGE_DIR),$(STAGE_DIR),$(B)/answers/$(CH).$(EX))"; \
	[ -d "$$d/exercises/$(CH).$(EX)" ] && d="$$d/exercises/$(CH).$(EX)"; \
	echo "exercise $(CH).$(EX) against $$d"; STAGE_DIR="$$(cd "$$d" && pwd)" bats "$$f"

# make grade [STAGE_DIR=dir] [STAGE=N]: a score per chapter and per exercise, up to stage N
GRADE_STAGE := $(if $(STAGE),$(STAGE),$(LAST))
grade: $(TOOLS) $(if $(STAGE_DIR),,stage$(GRADE_STAGE) answers)
	@$(PY) $(T)/runtests.py --grade $(GRADE_STAGE) $(if $(STAGE_DIR),--stage-dir "$(STAGE_DIR)") \
	  --exercises "$(EXERCISES)" --build $(B) --tests tests

check:
	@.ci/deps
	@$(MAKE) --no-print-directory check-run

check-run: $(addprefix asan-stage,$(TEST_STAGES)) $(TOOLS)
	@ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1 \
	  $(PY) $(T)/runtests.py --stages "$(TEST_STAGES)" --build $(B)/asan --tests tests --jobs $(TEST_JOBS)

clean:
	rm -rf $(B)

# the machinery's own test: a tiny fixture book built and tested in a temporary directory
selftest:
	@tests/fixtures/selftest/run
