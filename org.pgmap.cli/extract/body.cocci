// pgmap extract, part 2 of 2: the statements of every function and the protocol facts in them.
//
//   spatch --sp-file body.cocci --no-includes --include pgmap_types.h \
//          --macro-file pgmap_macros.h --very-quiet FILE.c
//
// Prints one JSON object per line, prefixed with "PGMAPX " (extract.py reads only those). Every
// fact has "file", "func" (the enclosing function), "line", "col" (0-based byte offset),
// "end_line", "end_col" (exclusive) and "text" (the C text of that range, read from the file).
//
// Statement units (extract.py builds the ordered body from them):
//   stmt     an expression statement `E;` (range of E), or a local declaration (sub "decl")
//   return   `return E;` / `return;` (a `return;` bound at the closing brace of a void function
//            is an artifact: its text is not "return", extract.py drops it)
//   jump     goto (label), break, continue
//   if       `if (C) S [else S]`: the condition's range, the then and else ranges
//   loop     for / while / iterator (list_for_each_entry...): the keyword's position; extract.py
//            finds the header and body in the text (positions of bodies without braces cannot
//            be bound in SmPL with this spatch); do-while and switch are found in the text too
//            (`switch (E) { ... }` and `do S while (E);` do not parse as SmPL here)
// Facts (each attributed by extract.py to the innermost statement unit that contains it):
//   call     `F(args)`: name, the category and op from CALLS below, the argument texts
//   icall    a call through a function pointer (`ops->copy(...)`)
//   page     an expression whose type is struct page * / struct folio * / struct page **
//   field    `B->f` / `B.f`, with B's struct type when spatch infers it
//   assign   `L = R`, a declaration `T x = R;` (sub "decl", with T)
//   push2    `P->zone_device_data = H; H = P;`    a push on a free list linked through
//   pop2     `P = H; H = P->zone_device_data;`    zone_device_data (two consecutive statements)

@initialize:python@
@@
import json

_files = {}

def _src(path):
    if path not in _files:
        try:
            with open(path, "rb") as f:
                data = f.read()
        except OSError:
            data = b""
        starts = [0]
        for i, c in enumerate(data):
            if c == 10:
                starts.append(i + 1)
        _files[path] = (data, starts)
    return _files[path]

def text_of(path, l1, c1, l2, c2):
    data, starts = _src(path)
    try:
        a = starts[l1 - 1] + c1
        b = starts[l2 - 1] + c2
    except IndexError:
        return ""
    return data[a:b].decode("utf-8", "replace")

# The protocol vocabulary: callee name -> (category, op). Variants map to one op
# (spin_lock_irqsave -> spin_lock); anything absent is category "other".
CALLS = {}
def _add(cat, op, *names):
    for n in names:
        CALLS[n] = (cat, op)

_add("lock", "spin_lock", "spin_lock", "spin_lock_irq", "spin_lock_irqsave", "spin_lock_bh",
     "raw_spin_lock", "raw_spin_lock_irq", "raw_spin_lock_irqsave", "spin_lock_nested")
_add("lock", "spin_unlock", "spin_unlock", "spin_unlock_irq", "spin_unlock_irqrestore",
     "spin_unlock_bh", "raw_spin_unlock", "raw_spin_unlock_irq", "raw_spin_unlock_irqrestore")
_add("lock", "spin_trylock", "spin_trylock", "spin_trylock_irqsave", "raw_spin_trylock")
_add("lock", "mutex_lock", "mutex_lock", "mutex_lock_interruptible", "mutex_lock_killable",
     "mutex_lock_nested", "mutex_lock_io")
_add("lock", "mutex_unlock", "mutex_unlock")
_add("lock", "mutex_trylock", "mutex_trylock")
_add("lock", "down_read", "down_read", "down_read_killable", "mmap_read_lock", "read_lock",
     "read_lock_irqsave")
_add("lock", "up_read", "up_read", "mmap_read_unlock", "read_unlock", "read_unlock_irqrestore")
_add("lock", "down_write", "down_write", "down_write_killable", "mmap_write_lock", "write_lock",
     "write_lock_irqsave")
_add("lock", "up_write", "up_write", "mmap_write_unlock", "write_unlock",
     "write_unlock_irqrestore")
_add("lock", "rcu_read_lock", "rcu_read_lock", "srcu_read_lock", "dax_read_lock")
_add("lock", "rcu_read_unlock", "rcu_read_unlock", "srcu_read_unlock", "dax_read_unlock")
_add("lock", "guard", "guard", "scoped_guard")
_add("sync", "synchronize", "synchronize_rcu", "synchronize_srcu")
_add("page_lock", "lock_page", "lock_page", "folio_lock")
_add("page_lock", "unlock_page", "unlock_page", "folio_unlock")
_add("page_lock", "trylock_page", "trylock_page", "folio_trylock")
_add("refcount", "get_page", "get_page", "folio_get")
_add("refcount", "put_page", "put_page", "folio_put")
_add("refcount", "get_page_unless_zero", "get_page_unless_zero", "folio_try_get",
     "folio_try_get_rcu", "page_cache_get_speculative")
_add("refcount", "put_page_testzero", "put_page_testzero", "folio_put_testzero")
_add("refcount", "set_page_count", "set_page_count", "init_page_count", "folio_set_count",
     "set_page_refcounted", "folio_set_refcounted")
_add("refcount", "page_ref_inc", "page_ref_inc", "folio_ref_inc", "page_ref_add", "folio_ref_add")
_add("refcount", "page_ref_dec", "page_ref_dec", "folio_ref_dec", "page_ref_sub", "folio_ref_sub",
     "page_ref_dec_and_test", "page_ref_sub_and_test", "folio_ref_dec_and_test",
     "folio_ref_sub_and_test")
_add("refcount", "page_ref_freeze", "page_ref_freeze", "folio_ref_freeze")
_add("refcount", "page_ref_unfreeze", "page_ref_unfreeze", "folio_ref_unfreeze")
_add("refcount", "page_ref_count", "page_ref_count", "page_count", "folio_ref_count")
_add("refcount", "zone_device_page_init", "zone_device_page_init")
_add("refcount", "zone_device_folio_init", "zone_device_folio_init")
_add("refcount", "free_zone_device_page", "free_zone_device_page", "free_zone_device_folio",
     "put_devmap_managed_page", "put_devmap_managed_folio_refs")
_add("refcount", "release_pages", "release_pages", "folios_put", "put_pages_list")
_add("pgmap", "pgmap_get", "percpu_ref_get", "percpu_ref_get_many", "pgmap_get")
_add("pgmap", "pgmap_put", "percpu_ref_put", "percpu_ref_put_many", "put_dev_pagemap",
     "pgmap_put")
_add("pgmap", "pgmap_tryget", "percpu_ref_tryget", "percpu_ref_tryget_many",
     "percpu_ref_tryget_live", "percpu_ref_tryget_live_rcu", "get_dev_pagemap", "pgmap_tryget")
_add("pgmap", "pgmap_request_folios", "pgmap_request_folios")
_add("pgmap", "memremap_pages", "memremap_pages", "devm_memremap_pages")
_add("pgmap", "memunmap_pages", "memunmap_pages", "devm_memunmap_pages")
_add("pgmap", "percpu_ref_kill", "percpu_ref_kill", "percpu_ref_exit")
for _n in ("is_zone_device_page", "folio_is_zone_device", "is_device_private_page",
           "folio_is_device_private", "is_device_coherent_page", "folio_is_device_coherent",
           "is_pci_p2pdma_page", "is_fsdax_page", "PageAnon", "folio_test_anon", "page_mapped",
           "folio_mapped", "PageLocked", "folio_test_locked", "folio_test_large",
           "PageCompound"):
    _add("test", _n, _n)
_add("bitmap", "bitmap_set", "bitmap_set", "__bitmap_set", "bitmap_allocate_region")
_add("bitmap", "bitmap_clear", "bitmap_clear", "__bitmap_clear", "bitmap_release_region")
_add("bitmap", "bitmap_find", "bitmap_find_next_zero_area", "bitmap_find_free_region",
     "find_first_zero_bit", "find_next_zero_bit", "find_first_bit", "find_next_bit")
_add("bitmap", "set_bit", "set_bit", "__set_bit", "test_and_set_bit", "__test_and_set_bit")
_add("bitmap", "clear_bit", "clear_bit", "__clear_bit", "test_and_clear_bit",
     "__test_and_clear_bit")
_add("bitmap", "test_bit", "test_bit")
_add("bitmap", "bitmap_alloc", "bitmap_zalloc", "bitmap_alloc", "bitmap_free")
_add("gen_pool", "gen_pool_alloc", "gen_pool_alloc", "gen_pool_alloc_owner",
     "gen_pool_alloc_algo", "gen_pool_alloc_algo_owner", "gen_pool_dma_alloc",
     "gen_pool_dma_zalloc")
_add("gen_pool", "gen_pool_free", "gen_pool_free", "gen_pool_free_owner")
_add("gen_pool", "gen_pool_add", "gen_pool_add", "gen_pool_add_owner", "gen_pool_add_virt")
_add("gen_pool", "gen_pool_create", "gen_pool_create", "devm_gen_pool_create",
     "gen_pool_destroy")
_add("kref", "kref_init", "kref_init")
_add("kref", "kref_get", "kref_get")
_add("kref", "kref_get_unless_zero", "kref_get_unless_zero")
_add("kref", "kref_put", "kref_put", "kref_put_mutex", "kref_put_lock")
_add("kref", "kref_read", "kref_read")
_add("list", "list_add", "list_add", "list_add_tail", "list_move", "list_move_tail")
_add("list", "list_del", "list_del", "list_del_init")
_add("list", "list_first_entry", "list_first_entry", "list_first_entry_or_null")
_add("list", "list_empty", "list_empty")
for _n in ("xa_store", "xa_insert", "xa_erase", "xa_load", "xa_alloc", "xa_cmpxchg"):
    _add("xarray", _n, _n)
_add("object", "alloc", "kzalloc", "kmalloc", "kcalloc", "kvzalloc", "kvmalloc", "kvcalloc",
     "devm_kzalloc", "kmem_cache_alloc", "kmem_cache_zalloc", "kmalloc_array")
_add("object", "free", "kfree", "kvfree", "kmem_cache_free", "devm_kfree")
_add("mapping", "vm_insert_page", "vm_insert_page", "vm_insert_pages", "vm_map_pages",
     "vm_map_pages_zero", "vmf_insert_page_mkwrite", "vmf_insert_folio_pmd",
     "vmf_insert_folio_pud")
_add("mapping", "vmf_insert_mixed", "vmf_insert_mixed", "vmf_insert_mixed_mkwrite",
     "vmf_insert_pfn", "vmf_insert_pfn_prot", "vmf_insert_pfn_pmd", "vmf_insert_pfn_pud")
_add("mapping", "unmap_mapping_range", "unmap_mapping_range", "unmap_mapping_pages",
     "zap_vma_ptes")
_add("mapping", "pin_user_pages", "pin_user_pages", "pin_user_pages_fast",
     "pin_user_pages_remote", "get_user_pages", "get_user_pages_fast")
_add("mapping", "unpin_user_page", "unpin_user_page", "unpin_user_pages")
_add("migrate", "migrate_vma_setup", "migrate_vma_setup", "migrate_device_range",
     "migrate_device_pfns")
_add("migrate", "migrate_vma_pages", "migrate_vma_pages", "migrate_device_pages")
_add("migrate", "migrate_vma_finalize", "migrate_vma_finalize", "migrate_device_finalize")
_add("migrate", "migrate_pfn", "migrate_pfn")
_add("migrate", "hmm_range_fault", "hmm_range_fault")
_add("lookup", "lookup", "pfn_to_page", "page_to_pfn", "virt_to_page", "page_to_virt",
     "page_address", "page_folio", "folio_page", "pfn_folio", "phys_to_page", "page_to_phys",
     "pfn_to_online_page", "compound_head", "page_zone", "page_to_nid", "migrate_pfn_to_page",
     "page_pgmap", "folio_pgmap", "hmm_pfn_to_page", "pfn_swap_entry_to_page",
     "device_private_entry_to_page", "folio_pfn", "page_private", "page_size", "page_order",
     "folio_order", "folio_nr_pages", "folio_size", "compound_order", "thp_nr_pages",
     "page_shift", "folio_file_page", "container_of", "folio_address", "page_to_virt")
_add("access", "access", "copy_highpage", "copy_page", "dma_map_page", "dma_unmap_page",
     "kmap", "kunmap", "kmap_local_page", "kunmap_local", "kmap_atomic", "kunmap_atomic",
     "memcpy_to_page", "memcpy_from_page", "clear_highpage", "clear_page", "flush_dcache_page",
     "folio_zero_range", "dma_map_page_attrs", "dma_unmap_page_attrs")
_add("system_page", "alloc_page", "alloc_page", "alloc_pages", "alloc_page_vma", "folio_alloc",
     "alloc_pages_node", "__alloc_pages")
_add("system_page", "free_page", "__free_page", "__free_pages", "free_page", "free_pages")
_add("assert", "warn", "WARN_ON", "WARN_ON_ONCE", "WARN", "WARN_ONCE", "BUG_ON", "BUG",
     "VM_BUG_ON", "VM_BUG_ON_PAGE", "VM_BUG_ON_FOLIO", "VM_WARN_ON", "VM_WARN_ON_ONCE",
     "VM_WARN_ON_ONCE_PAGE", "VM_WARN_ON_FOLIO", "VM_WARN_ON_ONCE_FOLIO")
_add("wait", "wait_var_event", "wait_var_event", "___wait_var_event", "wait_event",
     "wait_event_interruptible", "wait_for_completion")
_add("wait", "wake_up_var", "wake_up_var", "wake_up", "wake_up_all", "complete", "complete_all")

# (the SmPL lexer reads two slashes as a comment, and is thrown by a backslash or an unbalanced
# quote character even inside the Python code: none may appear literally in these Python blocks)
_SLASH = chr(47)
_QUOTES = chr(34) + chr(39)
_BACKSLASH = chr(92)
_LINE_COMMENT = _SLASH + _SLASH
_C_OPEN = _SLASH + "*"
_C_CLOSE = "*" + _SLASH

_add("log", "log", "printk", "pr_debug", "pr_info", "pr_err", "pr_warn", "pr_notice",
     "pr_debug_ratelimited", "pr_info_ratelimited", "pr_err_ratelimited", "pr_warn_once",
     "pr_info_once", "pci_info", "pci_info_ratelimited", "pci_err", "pci_warn", "dev_dbg",
     "dev_err", "dev_warn", "dev_info", "dev_notice", "dev_err_ratelimited", "NV_DEBUG",
     "NV_INFO", "NV_ERROR", "NV_WARN", "drm_dbg", "drm_err", "drm_warn", "drm_info",
     "trace_printk", "dev_err_probe")

def category(name):
    if name in CALLS:
        return CALLS[name]
    if name.startswith("trace_"):
        return ("log", "log")
    return ("other", None)

def split_args(s):
    """The top-level comma-separated arguments of the text between the parentheses of a call."""
    out, depth, cur, i, n = [], 0, [], 0, len(s)
    while i < n:
        c = s[i]
        if c in _QUOTES:
            j = i + 1
            while j < n and s[j] != c:
                j += 2 if s[j] == _BACKSLASH else 1
            cur.append(s[i:j + 1])
            i = j + 1
            continue
        if s.startswith(_C_OPEN, i):
            j = s.find(_C_CLOSE, i + 2)
            i = n if j < 0 else j + 2
            continue
        if s.startswith(_LINE_COMMENT, i):
            j = s.find(chr(10), i)
            i = n if j < 0 else j
            continue
        if c in "([{":
            depth += 1
        elif c in ")]}":
            depth -= 1
        if c == "," and depth == 0:
            out.append("".join(cur).strip())
            cur = []
        else:
            cur.append(c)
        i += 1
    last = "".join(cur).strip()
    if last or out:
        out.append(last)
    return out

def emit(fact, p, q=None, **kw):
    a = p[0]
    b = (q if q is not None else p)[0]
    d = {"fact": fact, "file": a.file, "func": a.current_element,
         "line": int(a.line), "col": int(a.column),
         "end_line": int(b.line_end), "end_col": int(b.column_end)}
    d["text"] = text_of(a.file, d["line"], d["col"], d["end_line"], d["end_col"])
    for k, v in kw.items():
        d[k] = v if isinstance(v, (int, list, bool, dict)) or v is None else str(v)
    print("PGMAPX " + json.dumps(d, sort_keys=True), flush=True)

def pos(p):
    return [int(p[0].line), int(p[0].column), int(p[0].line_end), int(p[0].column_end)]

// ================================================================ statement units
@s_expr@
expression E;
position p;
@@
E@p;

@script:python@
p << s_expr.p;
@@
emit("stmt", p, sub="expr")

@s_decl@
declaration D;
position p;
@@
D@p

@script:python@
p << s_decl.p;
@@
if p[0].current_element != "something_else":
    emit("stmt", p, sub="decl")

@s_ret@
expression E;
position p, q;
@@
return@p E@q;

@script:python@
p << s_ret.p;
q << s_ret.q;
@@
emit("return", p, q, value=text_of(q[0].file, int(q[0].line), int(q[0].column), int(q[0].line_end), int(q[0].column_end)))

@s_ret0@
position p;
@@
return@p;

@script:python@
p << s_ret0.p;
@@
emit("return", p, value=None)

@s_goto@
identifier l;
position p;
@@
goto@p l;

@script:python@
p << s_goto.p;
l << s_goto.l;
@@
emit("jump", p, sub="goto", label=l)

@s_break@
position p;
@@
break@p;

@script:python@
p << s_break.p;
@@
emit("jump", p, sub="break")

@s_continue@
position p;
@@
continue@p;

@script:python@
p << s_continue.p;
@@
emit("jump", p, sub="continue")

@s_ifelse@
expression C;
statement S1, S2;
position p, pc, p1, p2;
@@
if@p (C@pc) S1@p1 else S2@p2

@script:python@
p << s_ifelse.p;
pc << s_ifelse.pc;
p1 << s_ifelse.p1;
p2 << s_ifelse.p2;
@@
emit("if", p, p2, cond=pos(pc), then=pos(p1), else_=pos(p2))

@s_if@
expression C;
statement S1;
position p, pc, p1;
@@
if@p (C@pc) S1@p1

@script:python@
p << s_if.p;
pc << s_if.pc;
p1 << s_if.p1;
@@
emit("if", p, p1, cond=pos(pc), then=pos(p1), else_=None)

@s_for@
statement S;
position p;
@@
for@p (...;...;...) S

@script:python@
p << s_for.p;
@@
emit("loop", p, sub="for")

@s_while@
expression C;
statement S;
position p;
@@
while@p (C) S

@script:python@
p << s_while.p;
@@
emit("loop", p, sub="while")

@s_iter@
iterator I;
position p;
@@
I@p(...) { ... }

@script:python@
p << s_iter.p;
@@
emit("loop", p, sub="iterator")

// ================================================================ facts
@f_call@
identifier F;
expression list Es;
position p, q;
@@
F@p(Es)@q

@script:python@
F << f_call.F;
p << f_call.p;
q << f_call.q;
@@
name = str(F)
cat, op = category(name)
t = text_of(p[0].file, int(p[0].line), int(p[0].column), int(q[0].line_end), int(q[0].column_end))
i = t.find("(")
args = split_args(t[i + 1:-1]) if i >= 0 and t.endswith(")") else []
emit("call", p, q, name=name, cat=cat, op=op, args=args)

@f_icall@
expression E;
expression list Es;
position p, q;
@@
E@p(Es)@q

@script:python@
E << f_icall.E;
p << f_icall.p;
q << f_icall.q;
@@
t = text_of(p[0].file, int(p[0].line), int(p[0].column), int(q[0].line_end), int(q[0].column_end))
i = t.find("(")
callee = t[:i].strip() if i >= 0 else t
if not callee.replace("_", "a").isalnum():
    emit("icall", p, q, callee=callee)

@f_page@
struct page *P;
position p;
@@
P@p

@script:python@
p << f_page.p;
@@
emit("page", p, type="struct page *")

@f_folio@
struct folio *P;
position p;
@@
P@p

@script:python@
p << f_folio.p;
@@
emit("page", p, type="struct folio *")

@f_pages@
struct page **P;
position p;
@@
P@p

@script:python@
p << f_pages.p;
@@
emit("page", p, type="struct page **")

@f_field_typed@
type T;
T *B;
identifier fld;
position p, q;
@@
B@p->fld@q

@script:python@
T << f_field_typed.T;
fld << f_field_typed.fld;
p << f_field_typed.p;
q << f_field_typed.q;
@@
emit("field", p, q, base_type=T, field=fld, base=pos(p))

@f_field_typed_dot@
type T;
T B;
identifier fld;
position p, q;
@@
B@p.fld@q

@script:python@
T << f_field_typed_dot.T;
fld << f_field_typed_dot.fld;
p << f_field_typed_dot.p;
q << f_field_typed_dot.q;
@@
emit("field", p, q, base_type=T, field=fld, base=pos(p))

@f_field@
expression B;
identifier fld;
position p, q;
@@
(
B@p->fld@q
|
B@p.fld@q
)

@script:python@
fld << f_field.fld;
p << f_field.p;
q << f_field.q;
@@
emit("field", p, q, base_type=None, field=fld, base=pos(p))

@f_assign@
expression L, R;
position p, q;
@@
L@p = R@q

@script:python@
p << f_assign.p;
q << f_assign.q;
@@
emit("assign", p, q, lhs=pos(p), rhs=pos(q))

@f_decl_init@
type T;
identifier x;
expression R;
position p, q;
@@
T x@p = R@q;

@script:python@
T << f_decl_init.T;
x << f_decl_init.x;
p << f_decl_init.p;
q << f_decl_init.q;
@@
if p[0].current_element != "something_else":
    emit("assign", p, q, sub="decl", type=T, lhs=pos(p), rhs=pos(q))

@f_push2@
expression P, H;
position p1, p2;
@@
P->zone_device_data@p1 = H;
H@p2 = P;

@script:python@
P << f_push2.P;
H << f_push2.H;
p1 << f_push2.p1;
p2 << f_push2.p2;
@@
emit("push2", p1, p2, page=P, head=H, first=pos(p1), second=pos(p2))

@f_pop2@
expression P, H;
position p1, p2;
@@
P@p1 = H;
H@p2 = P->zone_device_data;

@script:python@
P << f_pop2.P;
H << f_pop2.H;
p1 << f_pop2.p1;
p2 << f_pop2.p2;
@@
emit("pop2", p1, p2, page=P, head=H, first=pos(p1), second=pos(p2))

@f_push2p@
expression P, H;
position p1, p2;
@@
 (P)->zone_device_data@p1 = H;
H@p2 = P;

@script:python@
P << f_push2p.P;
H << f_push2p.H;
p1 << f_push2p.p1;
p2 << f_push2p.p2;
@@
emit("push2", p1, p2, page=P, head=H, first=pos(p1), second=pos(p2))

@f_pop2p@
expression P, H;
position p1, p2;
@@
P@p1 = H;
H@p2 = (P)->zone_device_data;

@script:python@
P << f_pop2p.P;
H << f_pop2p.H;
p1 << f_pop2p.p1;
p2 << f_pop2p.p2;
@@
emit("pop2", p1, p2, page=P, head=H, first=pos(p1), second=pos(p2))
