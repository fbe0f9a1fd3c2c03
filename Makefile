# Build and install soup with its man pages and shell completions.
#   make install PREFIX=/usr/local      release build, then install under PREFIX (DESTDIR for staging;
#                                       BINARY=path installs that executable instead of building one;
#                                       SCRATCH_PATH=dir builds in dir instead of .build)
#   make uninstall PREFIX=/usr/local    remove what install put there
#   make docs                           regenerate man/soup.1 and completions/* (scripts/generate-docs)
#   make check-docs                     fail when the committed ones are not current
PREFIX ?= /usr/local
DESTDIR ?=
CONFIGURATION ?= release
SWIFT ?= swift
BINARY ?=
SCRATCH_PATH ?= .build

# The installed binary carries the Swift runtime inside it (--static-swift-stdlib): linked
# dynamically, it would load libswiftCore.so from the toolchain's folder, stop working when the
# toolchain is removed or upgraded, and start slower (the dynamic loader resolves the runtime's
# symbols at every start; bench/run measures the static build). scripts/static-link-flags adds
# the C++ runtime, SQLite and readline, a fixed-address executable and the code a start runs
# laid out together, which take the page faults of a start from 465 to about 210.
SWIFT_BUILD = $(SWIFT) build -c $(CONFIGURATION) --static-swift-stdlib \
	$(shell scripts/static-link-flags $(SCRATCH_PATH)) --scratch-path $(SCRATCH_PATH)

BINDIR = $(DESTDIR)$(PREFIX)/bin
MANDIR = $(DESTDIR)$(PREFIX)/share/man
BASH_COMPLETIONS = $(DESTDIR)$(PREFIX)/share/bash-completion/completions
ZSH_COMPLETIONS = $(DESTDIR)$(PREFIX)/share/zsh/site-functions
FISH_COMPLETIONS = $(DESTDIR)$(PREFIX)/share/fish/vendor_completions.d

.PHONY: all build install uninstall docs check-docs

all: build

build:
	$(SWIFT_BUILD) --product soup

install: $(if $(BINARY),,build)
	install -d $(BINDIR) $(MANDIR)/man1 $(MANDIR)/man7 $(BASH_COMPLETIONS) $(ZSH_COMPLETIONS) $(FISH_COMPLETIONS)
	install -m 755 "$(or $(BINARY),$$($(SWIFT_BUILD) --show-bin-path)/soup)" $(BINDIR)/soup
	install -m 644 man/soup.1 $(MANDIR)/man1/soup.1
	install -m 644 man/soup-language.7 $(MANDIR)/man7/soup-language.7
	install -m 644 completions/soup.bash $(BASH_COMPLETIONS)/soup
	install -m 644 completions/_soup $(ZSH_COMPLETIONS)/_soup
	install -m 644 completions/soup.fish $(FISH_COMPLETIONS)/soup.fish

uninstall:
	rm -f $(BINDIR)/soup $(MANDIR)/man1/soup.1 $(MANDIR)/man7/soup-language.7
	rm -f $(BASH_COMPLETIONS)/soup $(ZSH_COMPLETIONS)/_soup $(FISH_COMPLETIONS)/soup.fish

docs:
	./scripts/generate-docs

check-docs:
	./scripts/generate-docs --check
