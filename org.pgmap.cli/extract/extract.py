#!/usr/bin/env python3
"""pgmap extract: what a ZONE_DEVICE driver's C says about the page refcount protocol, as JSON.

    extract.py FILE.c... [--era NAME] [--allow-no-ops] --out OUT.json|DIR|-

Runs spatch (Coccinelle) with pagemap.cocci and body.cocci on each file, merges the JSON lines
their Python prints, and writes one JSON document: the dev_pagemap_ops and their functions, where
each dev_pagemap's type and ops are set and memremap_pages() is called, and for every function
that does something to the protocol (allocates or frees device pages, takes or drops a page
reference or the page lock, pushes or pops the driver's free list, sets or clears a bitmap bit,
uses a gen_pool, a kref, a pgmap reference, a page field) its body as an ordered tree of the
statements that matter, each with its line and C text. A statement that touches a page but that
nothing here classifies is listed as "unknown", never dropped; the others are counted.

Errors, not guesses: C that spatch cannot parse, or files with no struct dev_pagemap_ops
initializer, end with one line on stderr naming the file and exit status 2.
Python 3 standard library only. File names reach spatch as argv, never through a shell.
"""

import argparse
import bisect
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
COCCI = ("pagemap.cocci", "body.cocci")
TYPES_H = "pgmap_types.h"
MACROS_H = "pgmap_macros.h"
FORMAT = 1
PREFIX = "PGMAPX "


class ExtractError(Exception):
    """A user-facing error: one line, exit status 2."""


# ====================================================================== C text and tokens

_TOKEN = re.compile(rb"""
  (?P<ws>[ \t\r\n\f\v]+)
| (?P<lc>//[^\n]*)
| (?P<bc>/\*.*?\*/)
| (?P<pp>^[ \t]*\#(?:[^\n\\]|\\.)*)
| (?P<str>"(?:[^"\\\n]|\\.)*")
| (?P<chr>'(?:[^'\\\n]|\\.)*')
| (?P<id>[A-Za-z_][A-Za-z_0-9]*)
| (?P<num>\.?[0-9](?:[eEpP][+-]|[A-Za-z_0-9.])*)
| (?P<op>->|\+\+|--|<<=|>>=|<<|>>|<=|>=|==|!=|&&|\|\||\.\.\.|[-+*/%&|^!~<>=]=?|[][(){};:,.?\\])
| (?P<bad>.)
""", re.X | re.S | re.M)

_SKIP = {"ws", "lc", "bc", "pp"}


class Source:
    """A C file: its bytes, line starts, tokens, and (line, col) <-> offset."""

    def __init__(self, path):
        with open(path, "rb") as f:
            self.data = f.read()
        self.starts = [0]
        for m in re.finditer(rb"\n", self.data):
            self.starts.append(m.end())
        self.toks = []  # (kind, text, start, end)
        self.macros = {}  # function-like #define NAME( -> its text
        for m in _TOKEN.finditer(self.data):
            kind = m.lastgroup
            if kind == "pp":
                md = re.match(rb"\s*#\s*define\s+([A-Za-z_]\w*)\(", m.group())
                if md:
                    self.macros[md.group(1).decode()] = m.group().decode("utf-8", "replace").strip()
            if kind in _SKIP:
                continue
            self.toks.append((kind, m.group().decode("utf-8", "replace"), m.start(), m.end()))
        self.tok_starts = [t[2] for t in self.toks]
        self.nlines = len(self.starts) - (1 if self.data.endswith(b"\n") else 0)

    def off(self, line, col):
        return self.starts[line - 1] + col

    def lc(self, off):
        i = bisect.bisect_right(self.starts, off) - 1
        return (i + 1, off - self.starts[i])

    def text(self, l1, c1, l2, c2):
        return self.data[self.off(l1, c1):self.off(l2, c2)].decode("utf-8", "replace")

    def line_text(self, line):
        a = self.starts[line - 1]
        b = self.starts[line] if line < len(self.starts) else len(self.data)
        return self.data[a:b].decode("utf-8", "replace").rstrip("\n")

    def tok_at(self, off):
        """Index of the first token starting at or after off."""
        return bisect.bisect_left(self.tok_starts, off)

    def match(self, i):
        """Index of the token closing the bracket at token i."""
        opener = self.toks[i][1]
        closer = {"(": ")", "[": "]", "{": "}"}[opener]
        depth = 0
        for j in range(i, len(self.toks)):
            t = self.toks[j][1]
            if t == opener:
                depth += 1
            elif t == closer:
                depth -= 1
                if depth == 0:
                    return j
        return None


def norm(s):
    """C text without blanks and comments: the key of an expression."""
    s = re.sub(r"/\*.*?\*/", "", s, flags=re.S)
    return re.sub(r"\s+", "", s)


def strip_addr(s):
    s = norm(s)
    while s.startswith("(") and s.endswith(")"):
        s = s[1:-1]
    if s.startswith("&"):
        s = s[1:]
    while s.startswith("(") and s.endswith(")"):
        s = s[1:-1]
    return s


def one_line(s, limit=400):
    s = re.sub(r"\s*\n\s*", " ", s.strip())
    return s if len(s) <= limit else s[:limit - 3] + "..."


IDENT = re.compile(r"^[A-Za-z_][A-Za-z_0-9]*$")

# ====================================================================== running spatch


def spatch_version(spatch):
    try:
        r = subprocess.run([spatch, "--version"], capture_output=True, text=True, timeout=60,
                           env=spatch_env(), stdin=subprocess.DEVNULL)
    except (OSError, subprocess.TimeoutExpired) as e:
        raise ExtractError("cannot run spatch (%s): install coccinelle" % e)
    return (r.stdout or r.stderr).splitlines()[0].strip() if (r.stdout or r.stderr) else "?"


def spatch_env():
    """spatch dies with `Fatal error: exception Not_found` without HOME."""
    env = dict(os.environ)
    env.setdefault("HOME", tempfile.gettempdir())
    return env


def spatch_python():
    """spatch loads the Python of the python3 on PATH; PGMAP_SPATCH_PYTHON names another."""
    py = os.environ.get("PGMAP_SPATCH_PYTHON")
    return ["--python", py] if py else []


def run_spatch(spatch, args, timeout):
    try:
        return subprocess.run([spatch] + args, capture_output=True, text=True,
                              timeout=timeout, errors="replace", env=spatch_env(),
                              stdin=subprocess.DEVNULL)
    except subprocess.TimeoutExpired:
        raise ExtractError("spatch did not finish within %d s" % timeout)
    except OSError as e:
        raise ExtractError("cannot run spatch (%s): install coccinelle" % e)


def check_parse(spatch, path, shown, timeout):
    """spatch --parse-c: the file must parse completely (spatch skips a function it cannot
    parse, and would silently lose what is in it)."""
    r = run_spatch(spatch, spatch_python() + [
        "--parse-c", path, "--no-includes", "--include", os.path.join(HERE, TYPES_H),
        "--macro-file", os.path.join(HERE, MACROS_H)], timeout)
    out = r.stdout + r.stderr
    m = re.search(r"nb good = (\d+),\s*nb bad = (\d+)", out)
    if r.returncode != 0 or not m:
        raise ExtractError("%s: spatch --parse-c failed: %s" % (shown, one_line(out[-300:], 300)))
    good, bad = int(m.group(1)), int(m.group(2))
    if bad:
        where = re.search(r'File "[^"]*", line (\d+), column (\d+).*?around = \'(.*?)\'', out, re.S)
        gave_up = ("spatch gave up at line %s near '%s'" % (where.group(1), where.group(3))
                   if where else "spatch gave up")
        # the unparsed lines, as spatch lists them ("bad: <text>"): the first one that is in
        # the file tells where the region starts
        first = None
        try:
            with open(path, "rb") as f:
                lines = f.read().decode("utf-8", "replace").split("\n")
        except OSError:
            lines = []
        badl = [bl.strip() for bl in re.findall(r"^bad:(.*)$", out, re.M)]
        nonblank = [(i, ln.strip()) for i, ln in enumerate(lines) if ln.strip()]
        want = [t for t in badl if t][:4]
        for k in range(len(nonblank) - len(want) + 1):
            if want and all(nonblank[k + j][1] == want[j] for j in range(len(want))):
                # report the first line of the region that says something
                for j in range(len(want)):
                    if len(want[j]) > 2 and not want[j].startswith(("#", "/", "*")):
                        first = (nonblank[k + j][0] + 1, want[j])
                        break
                break
        if first:
            raise ExtractError("%s:%d: C that Coccinelle cannot parse: %d lines from '%s' on are "
                               "not parsed (%s)" % (shown, first[0], bad, one_line(first[1], 80),
                                                   gave_up))
        raise ExtractError("%s:%s: C that Coccinelle cannot parse: %d of %d lines not parsed (%s)"
                           % (shown, where.group(1) if where else "?", bad, good + bad, gave_up))
    return {"lines_parsed": good, "lines_bad": bad}


def run_cocci(spatch, cocci, path, shown, timeout):
    args = spatch_python() + ["--sp-file", os.path.join(HERE, cocci), "--no-includes",
            "--include", os.path.join(HERE, TYPES_H),
            "--macro-file", os.path.join(HERE, MACROS_H), "--very-quiet",
            "--timeout", str(timeout), path]
    r = run_spatch(spatch, args, timeout + 30)
    facts = []
    for ln in r.stdout.splitlines():
        if ln.startswith(PREFIX):
            facts.append(json.loads(ln[len(PREFIX):]))
    err = r.stderr
    if r.returncode != 0 or "Error in Python script" in err or "Fatal error" in err \
            or re.search(r"\bTimeout\b|timed out", err):
        raise ExtractError("%s: spatch with %s failed (status %d): %s"
                           % (shown, cocci, r.returncode, one_line(err[-300:], 300)))
    return facts


# ====================================================================== the model of one file

RELEVANT_CATS = {"refcount", "page_lock", "pgmap", "bitmap", "gen_pool", "kref", "mapping",
                 "freelist", "field", "migrate", "ops_call"}
PAGE_FIELDS = {"zone_device_data", "mapping", "pgmap", "index", "lru", "_refcount", "private",
               "flags", "_mapcount"}
PAGE_TYPES = {"struct page", "struct folio"}
CLAIM_OPS = {"pop", "bitmap_set", "bitmap_find", "set_bit", "gen_pool_alloc"}
PUBLISH_OPS = {"push", "bitmap_clear", "clear_bit", "gen_pool_free"}
INIT_OPS = {"zone_device_page_init", "zone_device_folio_init"}
LOCK_KIND = {"spin_lock": "spinlock", "spin_unlock": "spinlock", "spin_trylock": "spinlock",
             "mutex_lock": "mutex", "mutex_unlock": "mutex", "mutex_trylock": "mutex",
             "down_read": "rwsem", "up_read": "rwsem", "down_write": "rwsem", "up_write": "rwsem",
             "rcu_read_lock": "rcu", "rcu_read_unlock": "rcu", "guard": "guard"}
LOCK_ACQ = {"spin_lock", "mutex_lock", "down_read", "down_write", "rcu_read_lock"}
LOCK_REL = {"spin_unlock", "mutex_unlock", "up_read", "up_write", "rcu_read_unlock"}


def rng(f):
    return (f["line"], f["col"], f["end_line"], f["end_col"])


def start(r):
    return (r[0], r[1])


def end(r):
    return (r[2], r[3])


def inside(a, b):
    """Range a inside range b."""
    return start(b) <= start(a) and end(a) <= end(b)


class Node:
    """A statement of a function body: a leaf (stmt, return, jump, cond, head, label, case) or a
    compound (if, loop, switch, do) with children."""

    def __init__(self, kind, r, **kw):
        self.kind = kind
        self.r = r
        self.kw = kw
        self.children = []      # compound: child nodes (leaves and compounds)
        self.facts = []         # leaf: facts attributed to it
        self.ops = []
        self.unknown = []
        self.keep = False


class FileModel:
    def __init__(self, path, shown, facts):
        self.path = path
        self.shown = shown
        self.src = Source(path)
        self.facts = facts
        self.functions = {}
        self._load_functions()

    def _load_functions(self):
        for f in self.facts:
            if f["fact"] != "function":
                continue
            name = f["name"]
            end_pos = max(tuple(e) for e in f["ends"]) if f.get("ends") else (f["end_line"], 0)
            fn = self.functions.get(name)
            if fn is None or end_pos > fn["end"]:
                self.functions[name] = {"name": name, "line": f["line"], "params": f["params"],
                                        "body": (f["body_line"], f["body_col"]), "end": end_pos}
        # statements that only occur in function bodies (not a global's initializer)
        lost = sorted({f["func"] for f in self.facts
                       if (f["fact"] in ("return", "jump", "if", "loop") or
                           (f["fact"] == "stmt" and f.get("sub") == "expr"))
                       and f["func"] not in self.functions and f["file"] == self.path
                       and f["func"] != "something_else"})  # a #define's body
        self.lost = lost  # statements in a function spatch found no definition of
        for fn in self.functions.values():
            # the closing brace: from the text, more robust than the last path's position
            i = self.src.tok_at(self.src.off(*fn["body"]))
            j = self.src.match(i) if i < len(self.src.toks) and self.src.toks[i][1] == "{" else None
            if j is None:
                raise ExtractError("%s:%d: the body of %s has no closing brace"
                                   % (self.shown, fn["line"], fn["name"]))
            fn["end"] = self.src.lc(self.src.toks[j][3])
            fn["range"] = (fn["body"][0], fn["body"][1], fn["end"][0], fn["end"][1])
            fn["param_names"] = param_names(fn["params"])


def param_names(params):
    names = []
    for p in re.split(r",", params):
        m = re.search(r"([A-Za-z_]\w*)\s*(\[[^\]]*\])?\s*$", p.strip())
        if m and p.strip() not in ("void", ""):
            names.append(m.group(1))
    return names


# ====================================================================== extraction

HEAD_RE = re.compile(r"^(.*)(->|\.)zone_device_data$")


class Extractor:
    def __init__(self, models, era):
        self.models = models
        self.era = era
        self.diagnostics = []
        # function name -> (model, fn); a static function of two files with one name: first wins
        self.fn_index = {}
        for m in models:
            for name, fn in m.functions.items():
                if name in self.fn_index:
                    self.diagnostics.append("function %s defined in %s and %s: calls resolve to "
                                            "the first" % (name, self.fn_index[name][0].shown,
                                                           m.shown))
                    continue
                self.fn_index[name] = (m, fn)
        # struct type of a field expression's base, by the expression's text (per file)
        for m in models:
            m.field_types = {}
            for f in m.facts:
                if f["fact"] == "field" and f.get("base_type"):
                    m.field_types.setdefault(norm(f["text"]), f["base_type"])

    # ------------------------------------------------------------ keys of resources
    def key_of(self, m, text):
        """The identity of a lock, list head, bitmap, pool: `T::field` when spatch knows the
        struct type of the base (`mdevice->lock` -> `struct dmirror_device::lock`), the name
        itself for a variable. When spatch does not know the type (`drm->dmem->lock`: the
        struct of drm is in a header), `T::field` if one known `T::field` was reached through a
        base of the same last name (`dmem->lock`, dmem a struct nouveau_dmem *) or T is named
        after it; else `?dmem::lock`."""
        t = strip_addr(text)
        mm = re.search(r"(->|\.)([A-Za-z_]\w*)$", t)
        if not mm:
            return t
        fld = mm.group(2)
        bt = m.field_types.get(t)
        if bt:
            return "%s::%s" % (bt, fld)
        base = t[:mm.start()]
        b = re.findall(r"[A-Za-z_]\w*", base)
        b = b[-1] if b else base
        cands = sorted(k for k, bases in self.known_fields.items()
                       if k.endswith("::" + fld) and
                       (b in bases or k[:-len(fld) - 2].split()[-1].endswith(b)))
        if len(cands) == 1:
            return cands[0]
        return "?%s::%s" % (b, fld)

    def canon(self, m, text):
        return self.key_of(m, text)

    def _known_fields(self):
        self.known_fields = {}
        for m in self.models:
            for f in m.facts:
                if f["fact"] == "field" and f.get("base_type"):
                    base = norm(m.src.text(*f["base"]))
                    b = re.findall(r"[A-Za-z_]\w*", base)
                    self.known_fields.setdefault("%s::%s" % (f["base_type"], f["field"]),
                                                 set()).add(b[-1] if b else base)

    # ------------------------------------------------------------ the statement tree
    def build(self, m, fn):
        fn["model"] = m
        name = fn["name"]
        frange = fn["range"]
        facts = [f for f in m.facts if f.get("func") == name and f["fact"] != "function"
                 and f["file"] == m.path and inside(rng(f), frange)]
        leaves, compounds, seen = [], [], set()

        def add_leaf(kind, r, **kw):
            if (kind, r) in seen:
                return
            seen.add((kind, r))
            leaves.append(Node(kind, r, **kw))

        ifs = {}
        for f in facts:
            k = f["fact"]
            r = rng(f)
            if k == "stmt":
                add_leaf("stmt", r, sub=f["sub"])
            elif k == "return":
                if not f["text"].startswith("return"):
                    continue  # bound at the closing brace of a void function: no statement
                add_leaf("return", r, value=f.get("value"))
            elif k == "jump":
                # spatch binds the keyword only: the statement runs to its ';'
                j = m.src.tok_at(m.src.off(r[0], r[1]))
                while j < len(m.src.toks) and m.src.toks[j][1] != ";":
                    j += 1
                if j < len(m.src.toks):
                    r = (r[0], r[1]) + m.src.lc(m.src.toks[j][3])
                add_leaf(f["sub"], r, label=f.get("label"))
            elif k == "if":
                old = ifs.get(start(r))
                if old is None or end(r) > end(old.r):
                    n = Node("if", r, cond=tuple(f["cond"]), then=tuple(f["then"]),
                             els=tuple(f["else_"]) if f["else_"] else None)
                    ifs[start(r)] = n
            elif k == "loop":
                if ("loop", start(r)) not in seen:
                    seen.add(("loop", start(r)))
                    compounds.append(Node("loop", r, sub=f["sub"]))
        compounds.extend(ifs.values())
        for c in ifs.values():
            leaves.append(Node("cond", c.kw["cond"], of="if"))
        self._text_structure(m, fn, leaves, compounds)
        # a statement inside a loop header (`i = 0`, `i++`) is part of the header
        heads = [n for n in leaves if n.kind == "head"]
        leaves = [n for n in leaves if n.kind == "head" or
                  not any(inside(n.r, h.r) for h in heads)]
        leaves.sort(key=lambda n: (start(n.r), neg(end(n.r))))
        # each fact goes to the smallest leaf that contains it
        for f in facts:
            if f["fact"] in ("stmt", "return", "jump", "if", "loop"):
                continue
            fr = rng(f)
            best = None
            for n in leaves:
                if start(n.r) > start(fr):
                    break
                if inside(fr, n.r) and (best is None or inside(n.r, best.r)):
                    best = n
            if best is not None:
                best.facts.append(f)
        # nesting by containment; the if's own branches are told apart when printed
        nodes = leaves + compounds
        nodes.sort(key=lambda n: (start(n.r), neg(end(n.r)), 0 if n.kind in COMPOUND else 1))
        root = Node("body", frange)
        stack = [root]
        for n in nodes:
            while len(stack) > 1 and not inside(n.r, stack[-1].r):
                stack.pop()
            stack[-1].children.append(n)
            if n.kind in COMPOUND:
                stack.append(n)
        fn["tree"] = root
        fn["leaves"] = leaves
        fn["facts"] = facts

    def _text_structure(self, m, fn, leaves, compounds):
        """What spatch gives no extent for: loop headers and bodies, switch, do-while, labels,
        case labels. Read from the tokens of the function's text."""
        src = m.src
        toks = src.toks
        i0 = src.tok_at(src.off(*fn["body"]))
        i1 = src.tok_at(src.off(*fn["end"]))

        def stmt_end_after(j):
            """End offset of the statement starting at token j."""
            if j >= len(toks):
                return toks[-1][3]
            if toks[j][1] == "{":
                k = src.match(j)
                return toks[k][3] if k is not None else toks[-1][3]
            st = src.lc(toks[j][2])
            best = None
            for n in leaves + compounds:
                if start(n.r) == st and (best is None or end(n.r) > end(best.r)):
                    best = n
            if best is not None:
                e = src.off(*end(best.r))
                k = src.tok_at(e)
                if k < len(toks) and toks[k][1] == ";":
                    e = toks[k][3]
                return e
            depth = 0
            for k in range(j, len(toks)):
                t = toks[k][1]
                if t in ("(", "[", "{"):
                    depth += 1
                elif t in (")", "]", "}"):
                    depth -= 1
                elif t == ";" and depth == 0:
                    return toks[k][3]
            return toks[-1][3]

        # loops (for, while, iterators) in reverse order: an inner body is known first
        for c in sorted((c for c in compounds if c.kind == "loop"), key=lambda c: neg(start(c.r))):
            j = src.tok_at(src.off(c.r[0], c.r[1]))
            while j < len(toks) and toks[j][1] != "(":
                j += 1
            k = src.match(j) if j < len(toks) else None
            if k is None:
                continue
            leaves.append(Node("head", (c.r[0], c.r[1]) + src.lc(toks[k][3]), of=c.kw["sub"]))
            c.r = (c.r[0], c.r[1]) + src.lc(stmt_end_after(k + 1))
        i = i0
        while i < i1:
            kind, t, s, e = toks[i]
            nxt = toks[i + 1][1] if i + 1 < len(toks) else ""
            if kind == "id" and t == "switch" and nxt == "(":
                k = src.match(i + 1)
                if k is not None and k + 1 < len(toks) and toks[k + 1][1] == "{":
                    b = src.match(k + 1)
                    if b is not None:
                        compounds.append(Node("switch", src.lc(s) + src.lc(toks[b][3])))
                        leaves.append(Node("head", src.lc(s) + src.lc(toks[k][3]),
                                           of="switch"))
            elif kind == "id" and t == "do":
                be = stmt_end_after(i + 1)
                w = src.tok_at(be)
                if w + 1 < len(toks) and toks[w][1] == "while" and toks[w + 1][1] == "(":
                    k = src.match(w + 1)
                    if k is not None:
                        semi = k + 1 if k + 1 < len(toks) and toks[k + 1][1] == ";" else k
                        compounds.append(Node("do", src.lc(s) + src.lc(toks[semi][3])))
                        leaves.append(Node("cond", src.lc(toks[w][2]) + src.lc(toks[k][3]),
                                           of="do"))
                        # the while of a do-while is no while loop
                        for c in list(compounds):
                            if c.kind == "loop" and start(c.r) == src.lc(toks[w][2]):
                                compounds.remove(c)
            elif kind == "id" and t in ("case", "default") and (t == "case" or nxt == ":"):
                depth, j = 0, i + 1
                while j < i1:
                    tt = toks[j][1]
                    if tt in ("(", "[", "{"):
                        depth += 1
                    elif tt in (")", "]", "}"):
                        depth -= 1
                    elif tt == ":" and depth == 0:
                        break
                    j += 1
                if j < i1:
                    leaves.append(Node("case", src.lc(s) + src.lc(toks[j][3]),
                                       label=one_line(src.data[s:toks[j][2]].decode(
                                           "utf-8", "replace"))))
            elif kind == "id" and nxt == ":" and toks[i - 1][1] in ("{", "}", ";", ":") \
                    and t != "default" and not (i + 2 < len(toks) and toks[i + 2][1] == ":"):
                leaves.append(Node("label", src.lc(s) + src.lc(toks[i + 1][3]), label=t))
            i += 1
        # spatch's loops whose head was taken for a do-while's while are gone now; drop their
        # head leaves too
        loop_starts = {start(c.r) for c in compounds if c.kind == "loop"}
        for n in list(leaves):
            if n.kind == "head" and n.kw.get("of") in ("for", "while", "iterator") and \
                    start(n.r) not in loop_starts:
                leaves.remove(n)

    # ------------------------------------------------------------ heads of free lists
    def find_heads(self):
        """Free lists linked through zone_device_data: the heads of the two-statement push and
        pop sequences spatch matched, by key."""
        self.heads = {}
        for m in self.models:
            for f in m.facts:
                if f["fact"] in ("push2", "pop2"):
                    k = self.key_of(m, f["head"])
                    self.heads.setdefault(k, set()).add(norm(f["head"]))

    def is_head(self, m, text):
        return self.canon(m, text) in self.heads

    # ------------------------------------------------------------ classification
    def classify(self, m, fn):
        src = m.src
        facts = fn["facts"]
        page_ranges = {rng(f): f["type"] for f in facts if f["fact"] == "page"}
        fields = {}
        for f in facts:
            if f["fact"] == "field":
                r = rng(f)
                if r not in fields or (fields[r].get("base_type") is None and f.get("base_type")):
                    fields[r] = f
        # which page expression each local holds: assignments to a page-typed identifier
        page_vars = {}
        for f in facts:
            if f["fact"] != "assign":
                continue
            lhs = norm(src.text(*f["lhs"]))
            rhs = one_line(src.text(*f["rhs"]), 200)
            if not re.match(r"^\**[A-Za-z_]\w*$", lhs):
                continue  # a field, an array element: not a local variable
            if tuple(f["lhs"]) in page_ranges or (f.get("type") or "").replace(" ", "") in (
                    "structpage*", "structfolio*"):
                page_vars.setdefault(lhs, []).append({"line": f["line"], "from": rhs})
        for v in page_vars.values():
            v.sort(key=lambda x: x["line"])
        for h in list(page_vars):
            if self.is_head(m, h):
                del page_vars[h]  # a free list head, not a local
        fn["page_vars"] = page_vars
        # locals read from zone_device_data: the driver's per-page object (tainted)
        zdd_vars = set()
        for f in facts:
            if f["fact"] == "assign" and re.search(r"(->|\.)zone_device_data$",
                                                   norm(src.text(*f["rhs"]))):
                lhs = norm(src.text(*f["lhs"]))
                if IDENT.match(lhs) and not self.is_head(m, lhs):
                    zdd_vars.add(lhs)
        fn["zdd_vars"] = sorted(zdd_vars)
        # what the function stores in zone_device_data (prange->svm_bo, pvt): the statements
        # that use it act on the page's per-page object (svm_range_bo_ref(prange->svm_bo))
        zdd_values = set()
        for f in facts:
            if f["fact"] == "assign" and re.search(r"(->|\.)zone_device_data$",
                                                   norm(src.text(*f["lhs"]))):
                v = norm(src.text(*f["rhs"]))
                if v != "NULL" and tuple(f["rhs"]) not in page_ranges and \
                        not self.is_head(m, v) and v not in page_vars:
                    zdd_values.add(v)
        fn["zdd_values"] = sorted(zdd_values)
        # free list sequences: ranges -> (op, part, page, head)
        seq = {}
        for f in facts:
            if f["fact"] in ("push2", "pop2"):
                op = "push" if f["fact"] == "push2" else "pop"
                key = self.canon(m, f["head"])
                seq[tuple(f["first"])] = (op, "link" if op == "push" else "take", f["page"], key)
                seq[tuple(f["second"])] = (op, "head" if op == "push" else "unlink", f["page"],
                                           key)
        for n in fn["leaves"]:
            self._classify_leaf(m, fn, n, page_ranges, fields, seq, zdd_vars)

    def _classify_leaf(self, m, fn, n, page_ranges, fields, seq, zdd_vars):
        src = m.src
        ops = []
        other_calls = []
        covered = []  # ranges an op already explains (a push's zone_device_data write)
        assigns = [f for f in n.facts if f["fact"] == "assign"]
        # 1. free list sequences and single-statement free list operations
        if n.kind == "head":
            walked = [self.canon(m, norm(src.text(*tuple(a["rhs"])))) for a in assigns
                      if self.is_head(m, norm(src.text(*tuple(a["rhs"]))))]
            if walked:
                ops.append({"op": "freelist_walk", "cat": "freelist", "list": walked[0],
                            "text": one_line(src.text(*n.r)), "_end": end(n.r)})
                covered.append(n.r)
                assigns = []
        for a in assigns:
            lr, rr = tuple(a["lhs"]), tuple(a["rhs"])
            lhs, rhs = norm(src.text(*lr)), norm(src.text(*rr))
            hit = seq.get(lr)
            if hit is None:
                # the sequence facts carry the position of the field or of the head only
                for k, v in seq.items():
                    if inside(k, lr) or inside(lr, k):
                        hit = v
                        break
            text = one_line(src.text(lr[0], lr[1], rr[2], rr[3]))
            if hit is not None:
                op, part, page, key = hit
                ops.append({"op": op, "cat": "freelist", "part": part, "list": key,
                            "page": norm(page), "text": text, "_end": end(rr)})
                covered.append((lr[0], lr[1], rr[2], rr[3]))
                continue
            mh = HEAD_RE.match(lhs)
            if mh and self.is_head(m, rhs):
                ops.append({"op": "push", "cat": "freelist", "part": "link",
                            "list": self.canon(m, rhs), "page": mh.group(1), "text": text,
                            "_end": end(rr)})
            elif self.is_head(m, lhs) and HEAD_RE.match(rhs):
                ops.append({"op": "pop", "cat": "freelist", "part": "unlink",
                            "list": self.canon(m, lhs), "page": HEAD_RE.match(rhs).group(1),
                            "text": text, "_end": end(rr)})
            elif self.is_head(m, lhs) and rhs == "NULL":
                ops.append({"op": "freelist_clear", "cat": "freelist",
                            "list": self.canon(m, lhs), "text": text, "_end": end(rr)})
            elif self.is_head(m, lhs) and (rr in page_ranges or rhs in fn["page_vars"]):
                ops.append({"op": "push", "cat": "freelist", "part": "head",
                            "list": self.canon(m, lhs), "page": rhs, "text": text,
                            "_end": end(rr)})
            elif self.is_head(m, rhs) and (lr in page_ranges or lhs in fn["page_vars"]):
                ops.append({"op": "pop", "cat": "freelist", "part": "take",
                            "list": self.canon(m, rhs), "page": lhs, "text": text,
                            "_end": end(rr)})
            else:
                continue
            covered.append((lr[0], lr[1], rr[2], rr[3]))
        # 2. calls
        for f in n.facts:
            if f["fact"] == "call":
                name = f["name"]
                if name in self.fn_index:
                    ops.append({"op": "call", "cat": "call", "function": name,
                                "args": f["args"], "text": one_line(f["text"]),
                                "_end": end(rng(f))})
                elif f["cat"] == "log":
                    continue
                elif f["cat"] != "other":
                    op = {"op": f["op"], "cat": f["cat"], "name": name, "args": f["args"],
                          "text": one_line(f["text"]), "_end": end(rng(f))}
                    self._resource_fields(m, op, f)
                    ops.append(op)
                else:
                    other_calls.append(f)
            elif f["fact"] == "icall":
                mo = re.search(r"->\s*ops\s*->\s*(page_free|folio_free|migrate_to_ram|"
                               r"memory_failure)$", norm(f["callee"]))
                if mo:
                    # the core calling the driver's op: pgmap->ops->page_free(page)
                    ops.append({"op": "ops_call", "cat": "ops_call", "member": mo.group(1),
                                "text": one_line(f["text"]), "_end": end(rng(f))})
                else:
                    other_calls.append(f)
        # the pagemap set up (pagemap.cocci's facts): one op per line
        done = set()
        for f in n.facts:
            if f["fact"] in ("pagemap_type", "pagemap_ops") and (f["fact"], f["line"]) not in done:
                done.add((f["fact"], f["line"]))
                op = {"op": f["fact"], "cat": "pgmap", "pagemap": strip_addr(f["pagemap"]),
                      "text": one_line(src.text(*n.r)), "_end": end(rng(f))}
                if f["fact"] == "pagemap_type":
                    op["value"] = f["value"]
                else:
                    op["ops"] = f["ops"]
                ops.append(op)
        # 3. page fields, and reads of a free list head (a test, a walk)
        lhs_of = {tuple(a["lhs"]): a for a in assigns}
        for r, f in fields.items():
            if not inside(r, n.r):
                continue
            if any(inside(r, c) for c in covered):
                continue
            txt = norm(f["text"])
            if n.kind in ("cond", "head") and self.is_head(m, txt):
                ops.append({"op": "freelist_test" if n.kind == "cond" else "freelist_walk",
                            "cat": "freelist", "list": self.canon(m, txt),
                            "text": one_line(f["text"]), "_end": end(r)})
                continue
            if f["field"] not in PAGE_FIELDS:
                continue
            bt = f.get("base_type")
            base = norm(src.text(*f["base"]))
            if bt not in PAGE_TYPES:
                page_base = tuple(f["base"]) in page_ranges or base in fn["page_vars"]
                if not (page_base or (bt is None and f["field"] == "zone_device_data")):
                    continue
            a = lhs_of.get(r)
            if a is not None:
                ops.append({"op": "field_write", "cat": "field", "field": f["field"],
                            "page": base, "value": one_line(src.text(*a["rhs"])),
                            "text": one_line(src.text(r[0], r[1], a["rhs"][2], a["rhs"][3])),
                            "_end": end(tuple(a["rhs"]))})
            else:
                ops.append({"op": "field_read", "cat": "field", "field": f["field"],
                            "page": base, "text": one_line(f["text"]), "_end": end(r)})
        ops.sort(key=lambda o: o.pop("_end"))
        uniq, seen = [], set()
        for o in ops:  # `T x = e;` is bound both as a declaration and as an assignment
            k = (o["op"], o.get("part"), o.get("text"))
            if k not in seen:
                seen.add(k)
                uniq.append(o)
        ops = uniq
        n.ops = ops
        # what touches a page in this statement
        touches = []
        for r in page_ranges:
            if inside(r, n.r):
                touches.append(norm(src.text(*r)))
        text_ids = set(re.findall(r"[A-Za-z_]\w*", src.text(*n.r)))
        for v in zdd_vars:
            if v in text_ids:
                touches.append("%s (read from zone_device_data)" % v)
        ntext = norm(src.text(*n.r))
        for v in fn["zdd_values"]:
            if (v in text_ids if IDENT.match(v) else v in ntext):
                touches.append("%s (stored in zone_device_data)" % v)
        n.touches = sorted(set(touches), key=lambda s: (len(s), s))
        n.zdd_vars = zdd_vars
        unexplained = []
        # page expressions inside a call an op already explains (page_size(dpage) as an
        # argument of an unknown call) do not make that call unexplained
        explained = [rng(f) for f in n.facts if f["fact"] == "call" and
                     (f["name"] in self.fn_index or f["cat"] != "other")]
        loose = [pr for pr in page_ranges if not any(inside(pr, e) for e in explained)]
        for f in other_calls:
            r = rng(f)
            args_txt = src.text(*r)
            ids = re.findall(r"[A-Za-z_]\w*", args_txt)
            if any(inside(pr, r) for pr in loose) or any(v in ids for v in zdd_vars) or \
                    any((v in ids if IDENT.match(v) else v in norm(args_txt))
                        for v in fn["zdd_values"]):
                name = f.get("name") or f.get("callee")
                why = {"call": name, "text": one_line(f["text"])}
                if name in m.src.macros:
                    why["macro"] = one_line(m.src.macros[name], 300)
                unexplained.append(why)
        n.unclassified = unexplained
        # the statement as a whole
        outer = [f for f in n.facts if f["fact"] == "call" and start(rng(f)) == start(n.r)]
        if n.kind == "stmt" and outer and outer[0]["cat"] == "log":
            n.ops, n.unclassified, n.cls = [], [], "other"   # printk and tracing
            return
        if n.kind == "return" and unexplained:
            n.cls = "unknown"
        elif n.kind in ("return", "goto", "break", "continue", "label", "case"):
            n.cls = "control"
        elif ops:
            n.cls = "classified"
        elif n.touches or unexplained:
            # a plain assignment of pages between variables and fields is data movement
            if n.kind == "stmt" and len(assigns) == 1 and not other_calls and \
                    self._whole(n, assigns[0]) and not self._derefs_zdd(m, n):
                a = assigns[0]
                n.ops = [{"op": "assign", "cat": "data", "lhs": norm(src.text(*a["lhs"])),
                          "rhs": one_line(src.text(*a["rhs"]))}]
                n.cls = "classified"
            elif n.kind in ("cond", "head") and not unexplained and \
                    self._pointer_test(m, n, page_ranges):
                n.ops = [{"op": "page_pointer", "cat": "control",
                          "text": one_line(src.text(*n.r))}]
                n.cls = "classified"
            elif n.kind == "stmt" and n.kw.get("sub") == "decl" and not other_calls and \
                    not assigns:
                n.cls = "other"  # a declaration without initializer
            else:
                n.cls = "unknown"
        else:
            n.cls = "other" if n.kind in ("stmt",) else "control"

    def _pointer_test(self, m, n, page_ranges):
        """A condition that uses page pointers only as values (`!page`, `rpage != page`,
        `!spage || !(src[i] & MIGRATE_PFN_MIGRATE)`): nothing of a page is read."""
        src = m.src
        for r in page_ranges:
            if not inside(r, n.r):
                continue
            after = src.data[src.off(r[2], r[3]):src.off(r[2], r[3]) + 3].lstrip()
            if after.startswith((b"->", b".", b"[")):
                return False
            before = src.data[max(0, src.off(r[0], r[1]) - 2):src.off(r[0], r[1])].rstrip()
            if before.endswith(b"*") and not before.endswith(b"**"):
                # *page (a struct page value) or a product: either way not just a pointer
                return False
        return not self._derefs_zdd(m, n)

    def _derefs_zdd(self, m, n):
        """The statement dereferences a local read from zone_device_data (`pvt->gpa`)."""
        ids = set(re.findall(r"[A-Za-z_]\w*(?=\s*(?:->|\.|\[))", m.src.text(*n.r)))
        return bool(ids & set(n.zdd_vars))

    def _whole(self, n, a):
        """The assignment is the whole statement (`x = e;` or `T x = e;`)."""
        return a.get("sub") == "decl" or (tuple(a["lhs"])[:2] == n.r[:2] and
                                           tuple(a["rhs"])[2:] == n.r[2:])

    def _resource_fields(self, m, op, f):
        args = f["args"]
        cat, o = f["cat"], f["op"]
        first = args[0] if args else ""
        if cat == "lock" and args and o != "guard":
            op["lock"] = strip_addr(first)
            op["lock_key"] = self.canon(m, first)
        elif o in ("bitmap_alloc", "gen_pool_create"):
            pass  # the bitmap or pool is what they return, not an argument
        elif cat == "bitmap" and args:
            a = args[1] if o in ("set_bit", "clear_bit", "test_bit") and len(args) > 1 else first
            op["bitmap"] = strip_addr(a)
            op["bitmap_key"] = self.canon(m, a)
        elif cat == "gen_pool" and args:
            op["pool"] = strip_addr(first)
            op["pool_key"] = self.canon(m, first)
        elif cat == "kref" and args:
            op["object"] = strip_addr(first)
        elif cat == "pgmap" and args and o in ("pgmap_get", "pgmap_put", "pgmap_tryget"):
            op["ref"] = strip_addr(first)
        elif cat in ("refcount", "page_lock") and args:
            op["page"] = norm(first)
        elif cat == "mapping" and args:
            i = MAP_PAGE_ARG.get(f["name"])
            if i is not None and i < len(args):
                op["page"] = norm(args[i])
            i = MAP_PFN_ARG.get(f["name"])
            if i is not None and i < len(args):
                op["pfn"] = norm(args[i])

    # ------------------------------------------------------------ relevance, roles
    def protocol_ops(self, fn):
        for n in fn["leaves"]:
            for o in n.ops:
                if o["cat"] in RELEVANT_CATS:
                    yield n, o

    def roles(self, fn, ops_members):
        """What a function does to the protocol, from its operations. "alloc": it initialises
        a page for a new user (zone_device_page_init / zone_device_folio_init), or claims one
        from a pool and returns it or stores it through a pointer parameter; "claim" and
        "publish": pool operations (pop, bitmap_set, gen_pool_alloc; push, bitmap_clear,
        gen_pool_free); the others name the operations they stand for."""
        roles = ["op:%s" % mem for mem in ops_members.get(fn["name"], [])]
        ops = [o for _, o in self.protocol_ops(fn)]
        names = {o["op"] for o in ops}
        claims = bool(names & CLAIM_OPS)
        # what the claim produced: the pages popped, the variables the claim assigned
        claimed = set(fn["page_vars"])
        for n in fn["leaves"]:
            if any(o["op"] in CLAIM_OPS for o in n.ops):
                for a in n.facts:
                    if a["fact"] == "assign":
                        claimed.add(norm(fn["model"].src.text(*a["lhs"])))
        params = set(fn["param_names"])
        hands_out = names & {"vm_insert_page", "vmf_insert_mixed"} or any(
            n.kind == "return" and n.kw.get("value") and norm(n.kw["value"]) in claimed
            for n in fn["leaves"])
        for n in fn["leaves"]:
            for a in n.facts:
                if a["fact"] != "assign":
                    continue
                lhs = norm(fn["model"].src.text(*a["lhs"]))
                rhs = norm(fn["model"].src.text(*a["rhs"]))
                base = re.match(r"^\**([A-Za-z_]\w*)", lhs)
                if base and base.group(1) in params and lhs != base.group(1) and \
                        rhs in claimed:
                    hands_out = True  # *ppage = page, pages[i] = pg
        if names & INIT_OPS or (claims and hands_out):
            roles.append("alloc")
        if claims:
            roles.append("claim")
        if names & PUBLISH_OPS:
            roles.append("publish")
        if names & {"get_page", "put_page", "lock_page", "unlock_page", "trylock_page",
                    "get_page_unless_zero", "set_page_count", "page_ref_inc", "page_ref_dec",
                    "put_page_testzero", "page_ref_freeze", "page_ref_unfreeze"}:
            roles.append("page_refs")
        if "field_write" in names:
            roles.append("page_fields")
        if names & {"memremap_pages", "memunmap_pages"} or fn.get("sets_pagemap"):
            roles.append("pagemap_setup")
        if names & {"migrate_vma_setup", "migrate_vma_pages", "migrate_vma_finalize"}:
            roles.append("migration")
        if "hmm_range_fault" in names:
            roles.append("mirror")
        if names & {"vm_insert_page", "vmf_insert_mixed", "unmap_mapping_range",
                    "pin_user_pages", "unpin_user_page"}:
            roles.append("mapping")
        if names & {"pgmap_get", "pgmap_put", "pgmap_tryget"}:
            roles.append("pgmap_refs")
        if any(o["cat"] == "kref" for o in ops):
            roles.append("kref")
        if not roles:
            roles.append("reads_page_fields" if "field_read" in names else "other")
        return roles

    # ------------------------------------------------------------ locks held
    def locksets(self, m, fn, entry=frozenset()):
        """Which locks are held at each statement, walking the tree: an if's branches from a
        copy, the set after it the intersection of the branches that fall through, a label the
        intersection of the fall-through and the gotos seen before it; at the entry, what every
        caller in the given files holds at its call (`entry`). Must-hold, approximate (no path
        conditions, loops walked once)."""
        at_goto = {}

        def walk(nodes, held):
            for n in nodes:
                if held is None:
                    held = None
                if n.kind == "label":
                    sets = at_goto.get(n.kw["label"], [])
                    if held is not None:
                        sets = sets + [held]
                    held = set.intersection(*map(set, sets)) if sets else set()
                    n.held = held
                    continue
                if n.kind == "if":
                    cond = [c for c in n.children if c.kind == "cond" and c.r == n.kw["cond"]]
                    for c in cond:
                        held = step(c, held)
                    then = [c for c in n.children if inside(c.r, n.kw["then"]) and c not in cond]
                    els = [c for c in n.children if n.kw["els"] and inside(c.r, n.kw["els"])]
                    h1 = walk(then, set(held) if held is not None else None)
                    h2 = walk(els, set(held) if held is not None else None) if n.kw["els"] \
                        else held
                    outs = [h for h in (h1, h2) if h is not None]
                    held = set.intersection(*outs) if outs else None
                    continue
                if n.kind in ("loop", "switch", "do"):
                    h = walk(n.children, set(held) if held is not None else None)
                    if held is not None and h is not None:
                        held = held & h
                    elif n.kind == "do":
                        held = h
                    continue
                held = step(n, held)
            return held

        def step(n, held):
            n.held = set(held) if held is not None else None
            if held is None:
                for o in n.ops:
                    o["held"] = None  # not reached by the walk (after a return, a goto)
                return None
            for o in n.ops:
                if o["cat"] == "lock" and "lock_key" in o:
                    if o["op"] in LOCK_ACQ:
                        held = held | {o["lock_key"]}
                    elif o["op"] in LOCK_REL:
                        held = held - {o["lock_key"]}
                o["held"] = sorted(held)
            if n.kind == "goto":
                at_goto.setdefault(n.kw["label"], []).append(held)
                return None
            if n.kind == "return":
                return None
            return held

        walk(fn["tree"].children, set(entry))

    def entry_locks(self, ops_members):
        """Locks held when a function is entered: the intersection of what its callers in the
        given files hold at their calls (dmirror_remove_free_pages runs under mdevice->lock
        taken by dmirror_device_remove_chunks). Nothing for an op (the core calls it) or a
        function with no caller here. Iterated until it settles (a few rounds)."""
        entry = {}
        for _ in range(5):
            for m in self.models:
                for fn in m.functions.values():
                    self.locksets(m, fn, entry.get(fn["name"], frozenset()))
            at = {}
            for m in self.models:
                for fn in m.functions.values():
                    for n in fn["leaves"]:
                        for o in n.ops:
                            if o["op"] == "call" and o.get("held") is not None:
                                at.setdefault(o["function"], []).append(frozenset(o["held"]))
                            elif o["op"] == "call":
                                at.setdefault(o["function"], []).append(frozenset())
            new = {}
            for name, sets in at.items():
                if name in ops_members or not sets:
                    continue
                e = frozenset.intersection(*sets)
                if e:
                    new[name] = e
            if new == entry:
                break
            entry = new
        return entry

    # ------------------------------------------------------------ output of a body
    def keep(self, node):
        if node.kind in COMPOUND or node.kind == "body":
            kept = [self.keep(c) for c in node.children]
            node.keep = any(kept)
            return node.keep
        node.keep = node.cls in ("classified", "unknown") or node.kind in (
            "return", "goto", "label", "break", "continue")
        return node.keep

    def leaf_json(self, m, n):
        src = m.src
        t = src.text(*n.r)
        if n.kind == "stmt" and n.kw.get("sub") == "expr":
            t += ";"
        d = {"kind": n.kind, "line": n.r[0]}
        if n.r[2] != n.r[0]:
            d["end_line"] = n.r[2]
        d["text"] = one_line(t)
        if n.kind in ("goto", "label"):
            d["label"] = n.kw.get("label")
        if n.kind == "case":
            d["label"] = n.kw.get("label")
        if n.kind == "return":
            d["value"] = n.kw.get("value")
        d["class"] = n.cls
        if n.ops:
            d["ops"] = [dict(o) for o in n.ops]
        if n.cls == "unknown" or n.unclassified:
            d["touches"] = n.touches
            if n.unclassified:
                d["unclassified_calls"] = n.unclassified
        return d

    def tree_json(self, m, nodes, counts):
        out = []
        for n in nodes:
            if n.kind not in COMPOUND:
                counts[n.cls] = counts.get(n.cls, 0) + 1
                if n.cls == "other":
                    counts.setdefault("other_lines", []).append(n.r[0])
                if n.keep:
                    out.append(self.leaf_json(m, n))
                continue
            if not n.keep:
                self._count_dropped(n, counts)
                continue
            if n.kind == "if":
                cond = [c for c in n.children if c.kind == "cond" and c.r == n.kw["cond"]]
                rest = [c for c in n.children if c not in cond]
                then = [c for c in rest if inside(c.r, n.kw["then"])]
                els = [c for c in rest if n.kw["els"] and inside(c.r, n.kw["els"])]
                c = cond[0] if cond else None
                d = {"kind": "if", "line": n.r[0], "end_line": n.r[2]}
                if c is not None:
                    counts[c.cls] = counts.get(c.cls, 0) + 1
                    d["cond"] = self.leaf_json(m, c)
                d["then"] = self.tree_json(m, then, counts)
                if n.kw["els"]:
                    d["else"] = self.tree_json(m, els, counts)
                out.append(d)
            else:
                head = [c for c in n.children if c.kind in ("head", "cond") and
                        c.kw.get("of") in ("for", "while", "iterator", "switch", "do")]
                rest = [c for c in n.children if c not in head]
                d = {"kind": n.kind if n.kind != "loop" else "loop", "line": n.r[0],
                     "end_line": n.r[2]}
                if n.kind == "loop":
                    d["loop"] = n.kw["sub"]
                for h in head:
                    counts[h.cls] = counts.get(h.cls, 0) + 1
                    d["cond" if h.kind == "cond" else "head"] = self.leaf_json(m, h)
                d["body"] = self.tree_json(m, rest, counts)
                out.append(d)
        return out

    def _count_dropped(self, n, counts):
        for c in n.children:
            if c.kind in COMPOUND:
                self._count_dropped(c, counts)
            else:
                counts[c.cls] = counts.get(c.cls, 0) + 1
                if c.cls == "other":
                    counts.setdefault("other_lines", []).append(c.r[0])

    # ------------------------------------------------------------ the whole document
    def run(self, allow_no_ops):
        self._known_fields()
        for m in self.models:
            for fn in m.functions.values():
                self.build(m, fn)
        self.find_heads()
        for m in self.models:
            for fn in m.functions.values():
                self.classify(m, fn)
        # ops structs
        ops_structs = []
        ops_members = {}
        for m in self.models:
            by = {}
            for f in m.facts:
                if f["fact"] == "ops_member":
                    by.setdefault(f["ops"], {})[f["member"]] = f["function"]
            for name, members in sorted(by.items()):
                line = self._def_line(m, r"\bstruct\s+dev_pagemap_ops\s+%s\s*=" % re.escape(name))
                ms = {}
                for mem, func in sorted(members.items()):
                    target = self.fn_index.get(func)
                    ms[mem] = {"function": func,
                               "line": self._def_line(m, r"\.\s*%s\s*=\s*%s\b" % (
                                   re.escape(mem), re.escape(func)), after=line),
                               "defined": ({"file": target[0].shown, "line": target[1]["line"]}
                                           if target else None)}
                    ops_members.setdefault(func, []).append(mem)
                ops_structs.append({"name": name, "file": m.shown, "line": line,
                                    "members": ms})
        if not ops_structs and not allow_no_ops:
            raise ExtractError("%s: no struct dev_pagemap_ops initializer (no page_free, "
                               "folio_free or migrate_to_ram): not a driver pgmap extract can "
                               "model (--allow-no-ops extracts it anyway)"
                               % ", ".join(m.shown for m in self.models))
        entry = self.entry_locks(ops_members)
        pagemaps = self.pagemaps(ops_structs)
        functions = []
        counts_total = {}
        for m in self.models:
            for fn in sorted(m.functions.values(), key=lambda f: f["line"]):
                relevant = fn["name"] in ops_members or any(True for _ in self.protocol_ops(fn))
                if not relevant:
                    continue
                self.keep(fn["tree"])
                counts = {}
                body = self.tree_json(m, fn["tree"].children, counts)
                other_lines = counts.pop("other_lines", [])
                for k, v in counts.items():
                    counts_total[k] = counts_total.get(k, 0) + v
                calls = sorted({o["function"] for n in fn["leaves"] for o in n.ops
                                if o["op"] == "call"})
                functions.append({
                    "name": fn["name"], "file": m.shown, "line": fn["line"],
                    "end_line": fn["end"][0],
                    "signature": one_line(m.src.line_text(fn["line"])),
                    "params": fn["param_names"],
                    "roles": self.roles(fn, ops_members),
                    "calls": calls,
                    "page_vars": fn["page_vars"],
                    "zone_device_data_vars": fn["zdd_vars"],
                    "zone_device_data_values": fn["zdd_values"],
                    "entry_held": sorted(entry.get(fn["name"], ())),
                    "counts": {"classified": counts.get("classified", 0),
                               "unknown": counts.get("unknown", 0),
                               "control": counts.get("control", 0),
                               "other": counts.get("other", 0)},
                    "other_lines": other_lines,
                    "body": body,
                })
        names = {f["name"] for f in functions}
        callers = {}
        for m in self.models:
            for fn in m.functions.values():
                for n in fn["leaves"]:
                    for o in n.ops:
                        if o["op"] == "call" and o["function"] in names:
                            callers.setdefault(o["function"], set()).add(fn["name"])
        for f in functions:
            f["called_by"] = sorted(callers.get(f["name"], ()))
            for n in self._walk_ops(f["body"]):
                if n["op"] == "call":
                    n["callee_relevant"] = n["function"] in names
        return {
            "format": FORMAT,
            "tool": "pgmap extract (org.pgmap.cli/extract/extract.py)",
            "era": self.era,
            "files": [],
            "ops": ops_structs,
            "pagemaps": pagemaps,
            "functions": functions,
            "resources": self.resources(functions),
            "era_hints": self.era_hints(functions, ops_structs),
            "counts": {k: counts_total.get(k, 0) for k in ("classified", "unknown", "control",
                                                          "other")},
            "diagnostics": self.diagnostics,
        }

    def _walk_ops(self, body):
        for n in body:
            for o in n.get("ops", []):
                yield o
            for k in ("cond", "head"):
                if k in n:
                    for o in n[k].get("ops", []):
                        yield o
            for k in ("then", "else", "body"):
                if k in n:
                    yield from self._walk_ops(n[k])

    def _walk_stmts(self, body):
        for n in body:
            if n["kind"] not in COMPOUND:
                yield n
            for k in ("cond", "head"):
                if k in n:
                    yield n[k]
            for k in ("then", "else", "body"):
                if k in n:
                    yield from self._walk_stmts(n[k])

    def _def_line(self, m, pattern, after=1):
        rx = re.compile(pattern)
        for ln in range(max(after, 1), m.src.nlines + 1):
            if rx.search(m.src.line_text(ln)):
                return ln
        return None

    # ------------------------------------------------------------ pagemaps
    def pagemaps(self, ops_structs):
        out = {}
        for m in self.models:
            for f in m.facts:
                k = f["fact"]
                if k not in ("pagemap_type", "pagemap_ops", "pagemap_init"):
                    continue
                key = (m.shown, f["func"] if k != "pagemap_init" else None,
                       strip_addr(f["pagemap"]))
                pm = out.setdefault(key, {"pagemap": strip_addr(f["pagemap"]), "file": m.shown,
                                          "function": key[1], "types": [], "ops": [],
                                          "memremap": []})
                ctx = self._context(m, f)
                if k == "pagemap_type" or (k == "pagemap_init" and f["member"] == "type"):
                    v = f["value"]
                    if not any(t["line"] == f["line"] for t in pm["types"]):
                        pm["types"].append({"value": v, "line": f["line"], "context": ctx})
                elif k == "pagemap_ops" or (k == "pagemap_init" and f["member"] == "ops"):
                    v = strip_addr(f.get("ops") or f["value"])
                    if not any(t["line"] == f["line"] for t in pm["ops"]):
                        pm["ops"].append({"ops": v, "line": f["line"], "context": ctx})
                if key[1] and key[1] in m.functions:
                    m.functions[key[1]]["sets_pagemap"] = True
            # memremap_pages(pgmap, nid) / devm_memremap_pages(dev, pgmap)
            for f in m.facts:
                if f["fact"] == "call" and f["name"] in ("memremap_pages", "devm_memremap_pages"):
                    arg = f["args"][0 if f["name"] == "memremap_pages" else 1] \
                        if len(f["args"]) > 1 else ""
                    pmk = strip_addr(arg)
                    key = (m.shown, f["func"], pmk)
                    if key not in out:
                        # a pagemap set up in one function, remapped in another
                        cands = [k for k in out if k[0] == m.shown and k[2] == pmk]
                        key = cands[0] if len(cands) == 1 else key
                    pm = out.setdefault(key, {"pagemap": pmk, "file": m.shown,
                                              "function": f["func"], "types": [], "ops": [],
                                              "memremap": []})
                    if not any(x["line"] == f["line"] for x in pm["memremap"]):
                        pm["memremap"].append({"call": f["name"], "line": f["line"],
                                               "function": f["func"],
                                               "text": one_line(f["text"])})
        res = sorted(out.values(), key=lambda p: (p["file"], p["types"][0]["line"]
                                                  if p["types"] else 0))
        for p in res:
            p["types"].sort(key=lambda t: t["line"])
            p["device_types"] = sorted({t["value"] for t in p["types"]
                                        if t["value"].startswith("MEMORY_DEVICE_")})
        return res

    def _context(self, m, f):
        """The conditions around a fact: the enclosing if branches, case labels and loops."""
        fn = m.functions.get(f["func"])
        if not fn or "tree" not in fn:
            return []
        r = rng(f)
        out = []

        def walk(nodes):
            last_case = None
            for n in nodes:
                if n.kind == "case":
                    last_case = n
                if not inside(r, n.r):
                    continue
                if last_case is not None and n is not last_case:
                    out.append({"case": last_case.kw["label"], "line": last_case.r[0]})
                if n.kind == "if":
                    ct = m.src.text(*n.kw["cond"])
                    if inside(r, n.kw["then"]):
                        out.append({"if": one_line(ct), "branch": "then", "line": n.r[0]})
                    elif n.kw["els"] and inside(r, n.kw["els"]):
                        out.append({"if": one_line(ct), "branch": "else", "line": n.r[0]})
                    walk(n.children)
                elif n.kind in ("loop", "switch", "do"):
                    if n.kind != "switch":
                        out.append({n.kind: one_line(m.src.text(n.r[0], n.r[1], n.r[0],
                                                                n.r[1] + 40)), "line": n.r[0]})
                    walk(n.children)
                return

        walk(fn["tree"].children)
        return out

    # ------------------------------------------------------------ resources
    def resources(self, functions):
        res = {"locks": {}, "freelists": {}, "bitmaps": {}, "gen_pools": {}, "krefs": {},
               "pgmap_refs": {}, "lru_lists": {}}
        zdd = []
        for f in functions:
            for st in self._walk_stmts(f["body"]):
                for o in st.get("ops", []):
                    where = {"function": f["name"], "line": st["line"], "op": o["op"]}
                    if o.get("part"):
                        where["part"] = o["part"]
                    if o["cat"] != "lock":
                        where["held"] = o.get("held")
                    if o["cat"] == "lock" and "lock_key" in o:
                        e = res["locks"].setdefault(o["lock_key"], {
                            "key": o["lock_key"], "kind": LOCK_KIND.get(o["op"], "?"),
                            "exprs": [], "functions": []})
                        if o["lock"] not in e["exprs"]:
                            e["exprs"].append(o["lock"])
                        if f["name"] not in e["functions"]:
                            e["functions"].append(f["name"])
                    elif o["cat"] == "freelist":
                        e = res["freelists"].setdefault(o["list"], {
                            "key": o["list"], "link": "zone_device_data",
                            "heads": sorted(self.heads.get(o["list"], ())), "uses": []})
                        e["uses"].append(where)
                    elif o["cat"] == "bitmap" and "bitmap_key" in o:
                        res["bitmaps"].setdefault(o["bitmap_key"], {
                            "key": o["bitmap_key"], "exprs": [], "uses": []})["uses"].append(where)
                        ex = res["bitmaps"][o["bitmap_key"]]["exprs"]
                        if o["bitmap"] not in ex:
                            ex.append(o["bitmap"])
                    elif o["cat"] == "gen_pool" and "pool_key" in o:
                        res["gen_pools"].setdefault(o["pool_key"], {
                            "key": o["pool_key"], "exprs": [], "uses": []})["uses"].append(where)
                        ex = res["gen_pools"][o["pool_key"]]["exprs"]
                        if o["pool"] not in ex:
                            ex.append(o["pool"])
                    elif o["cat"] == "kref" and "object" in o:
                        res["krefs"].setdefault(o["object"], {"expr": o["object"], "uses": []}
                                                )["uses"].append(where)
                    elif o["cat"] == "pgmap" and "ref" in o:
                        res["pgmap_refs"].setdefault(o["ref"], {"expr": o["ref"], "uses": []}
                                                     )["uses"].append(where)
                    elif o["cat"] == "list" and any("->lru" in norm(a) or ".lru" in norm(a)
                                                    for a in o.get("args", [])):
                        res["lru_lists"].setdefault(norm(o["args"][-1]), {
                            "expr": norm(o["args"][-1]), "uses": []})["uses"].append(where)
                    elif o["op"] == "field_write" and o["field"] == "zone_device_data":
                        zdd.append({"function": f["name"], "line": st["line"], "page": o["page"],
                                    "value": o["value"]})
        for kind in ("freelists", "bitmaps", "gen_pools"):
            for e in res[kind].values():
                helds = [set(u["held"]) for u in e["uses"] if u.get("held") is not None]
                e["guarded_by"] = sorted(set.intersection(*helds)) if helds else []
                counts = {}
                for h in helds:
                    for lk in h:
                        counts[lk] = counts.get(lk, 0) + 1
                e["held_at_uses"] = {"uses": len(e["uses"]), "by_lock": counts}
        out = {k: sorted(v.values(), key=lambda e: e.get("key") or e.get("expr"))
               for k, v in res.items()}
        out["zone_device_data_writes"] = zdd
        return out

    # ------------------------------------------------------------ era
    def era_hints(self, functions, ops_structs):
        """Which cores of org.pgmap.dsl/library the allocation's shape fits: an `era` list
        of names and the reason. Only from the driver side: the core era is not in the
        driver's C (the same driver C ran on v6.1 and v6.12)."""
        allops = [o for f in functions for o in self._walk_ops(f["body"])]
        members = {mem for s in ops_structs for mem in s["members"]}
        inits = [o for o in allops if o["op"] in INIT_OPS]
        hints = []
        if any(o["op"] == "zone_device_folio_init" or
               (o["op"] == "zone_device_page_init" and len(o.get("args", [])) == 3)
               for o in inits) or "folio_free" in members:
            hints.append({"eras": ["folio_2026"],
                          "why": "zone_device_folio_init(), zone_device_page_init(page, pgmap, "
                                 "order) or a folio_free op"})
        elif inits:
            hints.append({"eras": ["v6_1", "v6_15"],
                          "why": "zone_device_page_init(page) hands pages out"})
        else:
            allocs = [f for f in functions if "alloc" in f["roles"]]
            aops = [o["op"] for f in allocs for o in self._walk_ops(f["body"])]
            if "lock_page" in aops and "get_page" in aops:
                hints.append({"eras": ["v5_17"],
                              "why": "the allocation takes get_page() and lock_page()"})
            elif "lock_page" in aops:
                hints.append({"eras": ["v6_0", "dan_v2", "reorder"],
                              "why": "the allocation takes lock_page() only (the page keeps "
                                     "its idle count 1)"})
        if self.era:
            cands = [e for h in hints for e in h["eras"]]
            if cands and self.era not in cands:
                self.diagnostics.append("--era %s, but the allocation looks like %s"
                                        % (self.era, " / ".join(cands)))
        return hints


COMPOUND = ("if", "loop", "switch", "do")
# which argument of a mapping call is the page, or the pfn
MAP_PAGE_ARG = {"vm_insert_page": 2, "vmf_insert_page_mkwrite": 1, "vmf_insert_folio_pmd": 1,
                "vmf_insert_folio_pud": 1, "unpin_user_page": 0}
MAP_PFN_ARG = {"vmf_insert_mixed": 2, "vmf_insert_mixed_mkwrite": 2, "vmf_insert_pfn": 2,
               "vmf_insert_pfn_prot": 2, "vmf_insert_pfn_pmd": 1, "vmf_insert_pfn_pud": 1}


def neg(p):
    return (-p[0], -p[1])


def extract(files, era, allow_no_ops, spatch, timeout):
    if shutil.which(spatch) is None and not os.path.exists(spatch):
        raise ExtractError("spatch not found (%s): install coccinelle" % spatch)
    version = spatch_version(spatch)
    models = []
    infos = []
    for shown in files:
        path = os.path.abspath(shown)
        if not os.path.exists(path):
            raise ExtractError("%s: no such file" % shown)
        if not os.path.isfile(path):
            raise ExtractError("%s: not a regular file" % shown)
        try:
            with open(path, "rb"):
                pass
        except OSError as e:
            raise ExtractError("%s: cannot read (%s)" % (shown, e.strerror))
        t0 = time.monotonic()
        parse = check_parse(spatch, path, shown, timeout)
        facts = []
        for cocci in COCCI:
            facts.extend(run_cocci(spatch, cocci, path, shown, timeout))
        dt = time.monotonic() - t0
        # one fact per line of output, but spatch binds the same fact on several paths
        uniq, seen = [], set()
        for f in facts:
            k = json.dumps(f, sort_keys=True)
            if k not in seen:
                seen.add(k)
                uniq.append(f)
        m = FileModel(path, shown, uniq)
        if m.lost:
            raise ExtractError("%s: statements in %s, but spatch matched no definition of it"
                               % (shown, ", ".join(m.lost)))
        models.append(m)
        infos.append({"file": shown, "lines": m.src.nlines, "spatch_seconds": round(dt, 2),
                      "facts": len(uniq), **parse})
    ex = Extractor(models, era)
    doc = ex.run(allow_no_ops)
    doc["spatch"] = version
    doc["files"] = infos
    return doc


def write_out(doc, out, files):
    text = json.dumps(doc, indent=1, sort_keys=False) + "\n"
    if out == "-":
        sys.stdout.write(text)
        return
    if os.path.isdir(out):
        stem = os.path.splitext(os.path.basename(files[0]))[0] or "driver"
        out = os.path.join(out, stem + ".json")
    d = os.path.dirname(os.path.abspath(out))
    try:
        fd, tmp = tempfile.mkstemp(prefix=".extract-", suffix=".json", dir=d)
        with os.fdopen(fd, "w") as f:
            f.write(text)
        os.replace(tmp, out)
    except OSError as e:
        raise ExtractError("%s: cannot write (%s)" % (out, e.strerror))


def main(argv=None):
    ap = argparse.ArgumentParser(
        prog="extract.py",
        description="Read a ZONE_DEVICE driver's C with Coccinelle and write what it says about "
                    "the page refcount protocol as JSON.")
    ap.add_argument("files", nargs="+", metavar="FILE.c")
    ap.add_argument("--out", required=True,
                    help="the JSON file to write, a directory (FILE.json in it), or - (stdout)")
    ap.add_argument("--era", default=None, help="the kernel era the driver is meant for "
                    "(recorded; a mismatch with what the C uses is a diagnostic)")
    ap.add_argument("--allow-no-ops", action="store_true",
                    help="extract a pagemap without dev_pagemap_ops too (Xen unpopulated-alloc, "
                         "device DAX) instead of failing")
    ap.add_argument("--spatch", default=os.environ.get("SPATCH", "spatch"))
    ap.add_argument("--timeout", type=int, default=300, help="seconds per spatch run")
    a = ap.parse_args(argv)
    try:
        doc = extract(a.files, a.era, a.allow_no_ops, a.spatch, a.timeout)
        write_out(doc, a.out, a.files)
    except ExtractError as e:
        print("pgmap extract: error: %s" % e, file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
